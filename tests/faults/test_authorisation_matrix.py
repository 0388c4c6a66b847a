"""Every public endpoint × every role of the other side × A's objects (world.py): refusals are
401/403/404 as problem+json, never 2xx or 5xx, reveal none of A's secrets, and leave A's
objects as they were. The endpoint table must classify every operation of the gateway's merged
OpenAPI document, so a new endpoint cannot be forgotten."""
from __future__ import annotations

import json

import httpx
import pytest
import pytest_asyncio

from pfdo_kit.errors import PROBLEM_JSON
from tests.faults.endpoint_table import ENDPOINTS, Endpoint
from tests.faults.openapi import merged_openapi, operations
from tests.faults.world import ROLES, World, build_world

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
REFUSALS = frozenset({401, 403, 404})


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(platform) -> World:
    return await build_world(platform)


async def test_every_operation_of_the_openapi_document_is_classified(platform):
    documented = operations(await merged_openapi(platform.gateway_url))
    classified = [e.key for e in ENDPOINTS]
    assert len(set(classified)) == len(classified), "an endpoint is classified twice"
    missing, stale = sorted(documented - set(classified)), sorted(set(classified) - documented)
    assert not missing, f"not classified in endpoint_table.py: {missing}"
    assert not stale, f"classified in endpoint_table.py but not in the API: {stale}"


async def test_the_other_side_reaches_nothing_of_a_and_changes_nothing(world: World):
    assert len(world.secrets) >= 14, f"A's secrets went missing from the check: {world.secrets}"
    before = await world.snapshots()
    failures: list[str] = []
    calls = 0
    async with httpx.AsyncClient(base_url=world.gateway_url, timeout=30) as http:
        for endpoint in ENDPOINTS:
            for role in ROLES:
                if role not in endpoint.allowed:
                    failures += await _probe(http, world, endpoint, role)
                    calls += 1
    assert not failures, f"{len(failures)} of {calls} calls went wrong:\n" + "\n".join(failures)
    assert await world.snapshots() == before


async def _probe(http: httpx.AsyncClient, world: World, e: Endpoint, role: str) -> list[str]:
    token = world.actors[role].token
    path = e.path.format(**world.ids)
    writes = e.touches is not None and e.method != "GET"
    before = await world.snapshot(e.touches) if writes else None
    query, body = e.query(world.ids) if e.query else None, e.body(world.ids) if e.body else None
    r = await http.request(e.method, path, params=query, json=body,
                           headers={"Authorization": f"Bearer {token}"} if token else {})
    where, status = f"{role:9} {e.method} {path}: {r.status_code}", r.status_code
    problems = []
    if leaked := world.leaked(r.text, asked=f"{path} {query} {json.dumps(body, ensure_ascii=False)}"):
        problems.append(f"{where} reveals {leaked}")
    refused = status in REFUSALS | e.also_refusal
    ok = 200 <= status < 300
    if e.kind == "public" and not ok:
        problems.append(f"{where}, a public endpoint should answer")
    elif e.kind == "scoped" and not (ok or refused):
        problems.append(f"{where}, expected the caller's own data or a refusal")
    elif e.kind == "refused" and not refused:
        problems.append(f"{where}, expected a refusal {sorted(REFUSALS | e.also_refusal)}")
    if refused and not ok:
        if r.headers.get("content-type", "") != PROBLEM_JSON:
            problems.append(f"{where} answered {r.headers.get('content-type')!r}, not problem+json")
        if role == "anonymous" and status != 401 and status not in e.also_refusal:
            problems.append(f"{where}, an anonymous caller should be asked to log in (401)")
    if writes and await world.snapshot(e.touches) != before:
        problems.append(f"{where} changed A's {e.touches}")
    return problems


@pytest.mark.parametrize("path", ["/api/v1/programs/x%2F..%2F..%2F..%2Fmetrics",
                                  "/api/v1/programs/%2E%2E/%2E%2E/%2E%2E/metrics",
                                  "/api/v1/children/%2E%2E/%2E%2E/%2E%2E/health/ready"])
async def test_a_path_cannot_climb_out_of_its_branch_of_the_api(world: World, path: str):
    """The gateway's route table is a lock too: encoded `/` and `..` reach no service's other paths."""
    async with httpx.AsyncClient(base_url=world.gateway_url, timeout=30) as http:
        r = await http.get(path, headers={"Authorization": f"Bearer {world.actors['parent'].token}"})
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM_JSON, (r.status_code, r.text[:200])


async def test_an_encoded_hash_or_question_mark_stays_inside_its_segment(world: World):
    """`%23` and `%3F` in an id are part of the id upstream: a bad id (422), not a cut-short path."""
    async with httpx.AsyncClient(base_url=world.gateway_url, timeout=30) as http:
        for cut in ("%23", "%3F"):
            r = await http.post(f"/api/v1/contracts/{world.ids['contract_id']}{cut}/sign",
                                headers={"Authorization": f"Bearer {world.owners['parent'].token}"})
            assert r.status_code == 422 and r.json()["field"] == "contract_id", (cut, r.status_code, r.text[:200])
