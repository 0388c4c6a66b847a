"""The platform's health at a glance: each service ready or not, its broker, its outbox backlog and the
dead-letter queues with messages waiting (and the command to look into them)."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.gateway import ApiProblem
from navigator.roles import require_role
from navigator.web import api, page

router = APIRouter(prefix="/admin")


def inspect_command(service: str) -> str:
    """The operator's command that lists a service's dead letters (the gateway is a package of its own)."""
    module = "gateway" if service == "gateway" else f"services.{service}"
    return f"python -m {module} dead-letters list"


def _age(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} с"
    if seconds < 3600:
        return f"{seconds // 60} мин {seconds % 60} с"
    return f"{seconds // 3600} ч {seconds % 3600 // 60} мин"


@router.get("")
async def home(request: Request):
    require_role(request, "admin")
    try:
        platform, failure = await api(request, "GET", "/admin/platform"), None
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        platform, failure = None, problem.title
    services = []
    for s in (platform or {}).get("services") or []:
        letters = [d for d in s.get("dead_letters") or [] if isinstance(d, dict)]
        services.append({**s, "dead_letters": letters, "oldest": _age(s.get("outbox_oldest_age_s")),
                         "letters_waiting": sum(int(d.get("messages") or 0) for d in letters),
                         "command": inspect_command(str(s.get("service") or ""))})
    return page(request, "admin/home.html", platform=platform, failure=failure, services=services,
                troubled=[s for s in services if not s.get("ready") or s.get("broker") != "ok" or s["letters_waiting"]])
