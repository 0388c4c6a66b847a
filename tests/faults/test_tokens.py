"""Forged and broken access tokens get 401 as problem+json — at the gateway and at each
service called directly (the gateway is not the only lock) — while the genuine token they
were forged from is accepted everywhere."""
from __future__ import annotations

import httpx
import pytest
import pytest_asyncio

from deploy.api_client import Api
from pfdo_kit.errors import PROBLEM_JSON
from tests.faults.forged_tokens import Forge, forgeries
from tests.support.people import register

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]

# (process, path): a parent's token opens each of them, and each reads the token (the catalog's
# search reads none: behind the gateway a bad token on it is refused all the same).
TARGETS = [("gateway", "/api/v1/me"), ("gateway", "/api/v1/me/cabinet"), ("gateway", "/api/v1/children"),
           ("gateway", "/api/v1/programs"), ("registry", "/api/v1/providers"), ("certificates", "/api/v1/children"),
           ("catalog", "/api/v1/applications"), ("billing", "/api/v1/contracts")]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def forge(platform) -> Forge:
    parent = await register(Api(platform.gateway_url), "token-owner@pfdo-faults.ru")
    return Forge(parent.token, platform.signing_key_pem)


async def _get(platform, process: str, path: str, token: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=platform.service_url(process), timeout=30) as http:
        return await http.get(path, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(("process", "path"), TARGETS)
async def test_the_genuine_token_opens_every_target(platform, forge: Forge, process: str, path: str):
    r = await _get(platform, process, path, forge.genuine)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(("process", "path"), TARGETS)
async def test_every_forged_token_is_refused_with_401(platform, forge: Forge, process: str, path: str):
    wrong = []
    for what, token in forgeries(forge).items():
        r = await _get(platform, process, path, token)
        problem = r.json() if r.headers.get("content-type") == PROBLEM_JSON else {}
        if (r.status_code, problem.get("type"), r.headers.get("www-authenticate")) != (
                401, "urn:pfdo:problem:unauthorized", "Bearer") or not problem.get("title"):
            wrong.append(f"{what}: {r.status_code} {r.headers.get('content-type')} {r.text[:200]}")
    assert not wrong, f"{process} {path} let through or mis-answered:\n" + "\n".join(wrong)
