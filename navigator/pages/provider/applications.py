"""The applications inbox: those waiting for a decision, soonest deadline first, accepted or rejected with a
reason the family sees; the waitlist per group in its order; any other status to look back at."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.provider.common import staff
from navigator.pages.staff_common import bounded, page_number, status_of
from navigator.pages.staff_common import shown as shown_refusal
from navigator.texts import INBOX_STATUSES
from navigator.web import api, page, redirect

router = APIRouter(prefix="/provider/applications")
WAITING_PAGE = 50


async def waiting(request: Request, page: int = 1, page_size: int = WAITING_PAGE) -> dict:
    """Applications waiting for a decision, the soonest `decide_by` first (`sort=deadline`; an API that does not
    know the order yet is asked without it and the page is ordered here)."""
    params = {"status": "submitted", "sort": "deadline", "page": page, "page_size": page_size}
    try:
        found = await api(request, "GET", "/applications", params=params)
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        found = await api(request, "GET", "/applications", params={**params, "sort": None})
    found["items"] = _ordered(found["items"], "submitted")
    return found


async def certificate_numbers(request: Request, items: list[dict]) -> dict[str, str | None]:
    """Each application's certificate number: the API's `certificate_number` when it gives one, else the
    certificate asked for (four at a time)."""
    missing = [a for a in items if "certificate_number" not in a]
    found = await bounded(_certificate_number(request, a["certificate_id"]) for a in missing)
    return {a["id"]: a.get("certificate_number") for a in items} | dict(zip((a["id"] for a in missing), found))


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
    number = page_number(request.query_params.get("page"))
    whole = status == "waitlisted"  # numbered per group across the whole list, not one page of it
    if status == "submitted":
        found = await waiting(request, number)
    else:
        found = await api(request, "GET", "/applications", params={"status": status, "page": 1 if whole else number,
                                                                    "page_size": 100 if whole else 20})
    items = _ordered(found["items"], status)
    return page(request, "provider/applications.html", status_code, data=found, items=items, status=status,
                numbers=await certificate_numbers(request, items), whole=whole,
                errors=extra.pop("errors", {}), **extra)


@router.get("")
async def inbox(request: Request, status: str = "submitted"):
    return await _inbox(request, status if status in INBOX_STATUSES else "submitted")


@router.post("/{application_id}/{action}")
async def decide(request: Request, application_id: uuid.UUID, action: str):
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
                            errors={str(application_id): message}, reason={str(application_id): reason})
    if action == "reject":
        request.state.session.flash("Заявка отклонена; семья увидит причину.")
    elif answer and answer.get("status") == "waitlisted":
        request.state.session.flash("Мест в группе нет: заявка поставлена в очередь.")
    else:
        request.state.session.flash("Заявка принята: место закреплено, семье уйдёт договор-оферта на подпись.")
    return redirect(f"/provider/applications?status={back}")
