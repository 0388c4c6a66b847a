"""The applications inbox: those waiting for a decision, soonest deadline first, accepted or rejected with a
reason the family sees; the waitlist per group in its order; any other status to look back at."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.provider.common import shown_refusal, staff, status_of
from navigator.texts import INBOX_STATUSES
from navigator.web import api, page, redirect

router = APIRouter(prefix="/provider/applications")


async def _certificate_number(request: Request, certificate_id: str) -> str | None:
    try:
        return (await api(request, "GET", f"/certificates/{certificate_id}")).get("number")
    except ApiProblem:
        return None


def _ordered(items: list[dict], status: str) -> list[dict]:
    """Waiting ones by their deadline; the waitlist per group, first come first (the order seats are offered)."""
    if status == "submitted":
        return sorted(items, key=lambda a: (a.get("decide_by") or "", a.get("created_at") or ""))
    if status == "waitlisted":
        ordered = sorted(items, key=lambda a: (a.get("group_name") or "", a.get("group_id"), a.get("created_at")))
        place, last = 0, None
        for a in ordered:
            place = place + 1 if a.get("group_id") == last else 1
            last = a.get("group_id")
            a["place"] = place
        return ordered
    return items


async def _inbox(request: Request, status: str, status_code: int = 200, **extra):
    staff(request)
    whole = status in ("submitted", "waitlisted")  # ordered across the whole list, not one page of it
    number = request.query_params.get("page", "1")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    found = await api(request, "GET", "/applications", params={"status": status, "page": 1 if whole else number,
                                                                "page_size": 100 if whole else 20})
    items = _ordered(found["items"], status)
    numbers = await asyncio.gather(*(_certificate_number(request, a["certificate_id"]) for a in items))
    return page(request, "provider/applications.html", status_code, data=found, items=items, status=status,
                numbers=dict(zip((a["id"] for a in items), numbers)), whole=whole,
                errors=extra.pop("errors", {}), **extra)


@router.get("")
async def inbox(request: Request, status: str = "submitted"):
    return await _inbox(request, status if status in INBOX_STATUSES else "submitted")


@router.post("/{application_id}/{action}")
async def decide(request: Request, application_id: str, action: str):
    staff(request)
    form = await read_form(request)
    back = form.get("status") if form.get("status") in INBOX_STATUSES else "submitted"
    if action not in ("accept", "reject"):
        return redirect(f"/provider/applications?status={back}")
    reason = form.get("reason", "").strip()
    try:
        answer = await api(request, "POST", f"/applications/{application_id}/{action}",
                           json={"reason": reason} if action == "reject" else None,
                           idempotency_key=form.get("idempotency_key") or None)
    except ApiProblem as problem:
        if not shown_refusal(problem):
            raise
        message = problem.field_errors().get("reason") or problem.title
        return await _inbox(request, back, status_of(problem), problem=problem.title,
                            errors={application_id: message}, reason={application_id: reason})
    if action == "reject":
        request.state.session.flash("Заявка отклонена; семья увидит причину.")
    elif answer and answer.get("status") == "waitlisted":
        request.state.session.flash("Мест в группе нет: заявка поставлена в очередь.")
    else:
        request.state.session.flash("Заявка принята: место закреплено, семье уйдёт договор-оферта на подпись.")
    return redirect(f"/provider/applications?status={back}")
