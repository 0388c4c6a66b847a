"""The bare limit for HTTP: a FastAPI app that only answers a ping, served the way the services
are served (uvicorn, uvloop + httptools, no access log), with N worker processes.

    python -m bench.bare_ping --port 18999 --workers 2
"""
from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_ping")
    parser.add_argument("--port", type=int, default=18999)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run("bench.bare_ping:create_app", factory=True, host="127.0.0.1", port=args.port,
                workers=args.workers, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
