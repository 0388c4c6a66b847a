"""The HTTP layer's CPU per request, in-process: the gateway proxying a request to a service, and a
service's own stack (the kit's middlewares, routing, the token check) answering one — old code against
new, alternately, in one run.

    python -m bench.http_ops [--against main] [--requests 3000] [--rounds 3] [--uses 3] [--concurrency 8]

Each round runs one child process per code version (`--against`: a git revision, unpacked with
`git archive` and put first on the child's PYTHONPATH; "new" is this working tree), alternating, so
both see the same machine. A child builds the real apps (`create_service_app`, `gateway.app.create_app`,
without their lifespans: no database or broker is touched on these paths) and drives them through ASGI
directly, as uvicorn would after parsing a request; CPU is the child's own (time.process_time) over
`--requests` requests after a warm-up, per request:

- service GET / POST: a route that reads the caller's principal (CurrentPrincipal) and answers a small
  JSON, through every middleware a service has;
- gateway GET / POST: /api/v1/applications proxied by the gateway to a stub service (a uvicorn process of
  its own, not counted) over loopback with the gateway's pooled aiohttp client: the gateway's middlewares,
  routing, token check, write throttle (in memory here; Redis in a rush) and proxying.

A caller's token is used `--uses` times (a parent's apply, sign and a list or two), by `--concurrency`
callers at once; every token is new to the process when first used. uvicorn's own HTTP parsing and socket
writes are not counted (the same in both versions)."""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISSUER, AUDIENCE = "pfdo-gateway", "pfdo"
MUNICIPALITIES = [{"code": "bench", "name": "Бенч", "oktmo": "83000000"}]
STUB_BODY = json.dumps({"items": [{"id": str(uuid.UUID(int=i)), "status": "pending"} for i in range(3)],
                        "next": None}).encode()


# ---- the stub service the gateway proxies to (its own process)

async def _stub(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"x-request-id", b"stub")]})
    await send({"type": "http.response.body", "body": STUB_BODY})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_stub() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    stub = subprocess.Popen([sys.executable, "-c", (
        f"import sys, uvicorn; sys.path.insert(0, {str(ROOT)!r}); from bench.http_ops import _stub; "
        f"uvicorn.run(_stub, host='127.0.0.1', port={port}, log_level='warning', access_log=False, "
        "timeout_keep_alive=75, http='httptools', loop='uvloop')")])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return stub, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    stub.kill()
    raise SystemExit("the stub service did not start")


# ---- a child: one code version, the apps built and driven in-process

class Caller:
    """ASGI requests as uvicorn hands them over (lower-case header names, bytes)."""

    def __init__(self, app) -> None:
        self.app = app

    async def request(self, method: str, path: str, token: str, body: bytes = b"") -> int:
        headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench"), (b"accept", b"application/json"),
                   (b"accept-encoding", b"gzip, deflate"), (b"connection", b"keep-alive"),
                   (b"authorization", b"Bearer " + token.encode())]
        if body:
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        raw_path, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
                 "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 40000), "scheme": "http",
                 "method": method, "root_path": "", "path": raw_path, "raw_path": raw_path.encode(),
                 "query_string": query.encode(), "headers": headers, "state": {}}
        sent = [{"type": "http.request", "body": body, "more_body": False}]
        status = []

        async def receive():
            if sent:
                return sent.pop()
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await self.app(scope, receive, send)
        return status[0]


def _service_app(public_pem: str):
    from fastapi import APIRouter
    from pydantic import BaseModel
    from sqlalchemy import MetaData

    from pfdo_kit.app import create_service_app
    from pfdo_kit.dependencies import CurrentPrincipal
    from pfdo_kit.messaging_tables import messaging_tables
    from pfdo_kit.settings import ServiceSettings

    class Apply(BaseModel):
        group_id: uuid.UUID
        child_id: uuid.UUID

    router = APIRouter()

    @router.get("/api/v1/bench/items")
    async def items(principal: CurrentPrincipal) -> dict:
        return {"items": [{"id": str(uuid.UUID(int=i)), "owner": principal.subject} for i in range(3)]}

    @router.post("/api/v1/bench/items", status_code=201)
    async def add(body: Apply, principal: CurrentPrincipal) -> dict:
        return {"id": str(body.group_id), "owner": principal.subject}

    settings = ServiceSettings(database_url="postgresql+asyncpg://bench@127.0.0.1/none", amqp_url="amqp://none",
                               district="bench", municipalities=MUNICIPALITIES, jwt_public_keys=[public_pem],
                               log_json=False)
    return create_service_app(service="bench", title="bench", settings=settings,
                              tables=messaging_tables(MetaData()), routers=[router])


def _gateway_app(private_pem: str, stub_url: str):
    from gateway.app import create_app
    from gateway.settings import GatewaySettings

    urls = {f"{name}_url": stub_url for name in ("registry", "certificates", "catalog", "billing", "notifications")}
    settings = GatewaySettings(database_url="postgresql+asyncpg://bench@127.0.0.1/none", amqp_url="amqp://none",
                               district="bench", municipalities=MUNICIPALITIES, signing_key_pem=private_pem,
                               log_json=False, writes_per_minute=1_000_000, **urls)
    return create_app(settings)


class Tokens:
    """A fresh token for every `uses` requests, signed as the gateway signs them."""

    def __init__(self, private_pem: str, uses: int) -> None:
        import jwt
        from cryptography.hazmat.primitives import serialization

        self._jwt, self._uses, self._n = jwt, uses, 0
        self._key = serialization.load_pem_private_key(private_pem.encode(), password=None)
        self._current = ""

    def next(self) -> str:
        if self._n % self._uses == 0:
            now = int(time.time())
            self._current = self._jwt.encode(
                {"sub": str(uuid.uuid4()), "role": "parent", "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                 "exp": now + 900, "municipality": "bench"}, self._key, algorithm="RS256",
                headers={"kid": "pfdo-1"})
        self._n += 1
        return self._current


async def _measure(caller: Caller, method: str, path: str, tokens: list[str], body: bytes,
                   concurrency: int, expect: int) -> float:
    """CPU µs per request; the tokens are made beforehand (signing is not the layer's cost)."""
    queue = iter(tokens)

    async def worker() -> None:
        for token in queue:
            status = await caller.request(method, path, token, body)
            if status != expect:
                raise SystemExit(f"{method} {path}: {status}, expected {expect}")

    started = time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.process_time() - started) / len(tokens) * 1e6


async def _child(args) -> dict:
    private_pem, public_pem = Path(args.key).read_text(), Path(args.key + ".pub").read_text()
    service, gateway = Caller(_service_app(public_pem)), Caller(_gateway_app(private_pem, args.stub))
    body = json.dumps({"group_id": str(uuid.uuid4()), "child_id": str(uuid.uuid4())}).encode()
    cases = {"service GET": (service, "GET", "/api/v1/bench/items", b"", 200),
             "service POST": (service, "POST", "/api/v1/bench/items", body, 201),
             "gateway GET": (gateway, "GET", "/api/v1/applications?mine=true&page=1", b"", 200),
             "gateway POST": (gateway, "POST", "/api/v1/applications", body, 200)}
    tokens = Tokens(private_pem, args.uses)
    out = {}
    for name, (caller, method, path, payload, expect) in cases.items():
        warm = [tokens.next() for _ in range(min(300, args.requests))]
        await _measure(caller, method, path, warm, payload, args.concurrency, expect)
        batch = [tokens.next() for _ in range(args.requests)]
        out[name] = await _measure(caller, method, path, batch, payload, args.concurrency, expect)
    await gateway.app.state.upstreams.close()
    return out


# ---- the parent: versions alternated, figures compared

def _unpack(revision: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def _keys(into: Path) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = into / "key.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    (into / "key.pem.pub").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return str(path)


def _run_child(tree: Path, key: str, stub: str, args) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"} | {"PYTHONPATH": str(tree)}
    # Run as a file from the version's tree (not `-m bench…`: the version's own code must come first).
    child_argv = ["--child", "--key", key, "--stub", stub, "--requests", str(args.requests), "--uses",
                  str(args.uses), "--concurrency", str(args.concurrency)]
    code = (f"import runpy, sys; sys.argv = {['http_ops', *child_argv]!r}; "
            f"runpy.run_path({str(Path(__file__).resolve())!r}, run_name='__main__')")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tree, capture_output=True, text=True,
                         check=False)
    if out.returncode:
        raise SystemExit(f"the child for {tree} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http_ops")
    parser.add_argument("--against", default="main", help="the old code: a git revision")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--uses", type=int, default=3, help="requests per token")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--key", help=argparse.SUPPRESS)
    parser.add_argument("--stub", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import uvloop
        print(json.dumps(uvloop.run(_child(args))))
        return

    with tempfile.TemporaryDirectory(prefix="http-ops-") as tmp:
        (old_tree := Path(tmp) / "old").mkdir()
        _unpack(args.against, old_tree)
        key = _keys(Path(tmp))
        stub, stub_url = _start_stub()
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        try:
            for _ in range(args.rounds):
                for version, tree in (("old", old_tree), ("new", ROOT)):
                    runs[version].append(_run_child(tree, key, stub_url, args))
        finally:
            stub.terminate()
            stub.wait()
    print(f"CPU µs per request (median of {args.rounds} rounds of {args.requests}; a token used {args.uses} times;"
          f" {args.concurrency} at once); old = {args.against}, new = this tree")
    print(f"{'':14} {'old':>8} {'new':>8} {'change':>8}")
    result = {}
    for case in runs["new"][0]:
        old = statistics.median(r[case] for r in runs["old"])
        new = statistics.median(r[case] for r in runs["new"])
        result[case] = {"old_us": round(old), "new_us": round(new)}
        print(f"{case:14} {old:8.0f} {new:8.0f} {100 * (new - old) / old:+7.0f}%")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
