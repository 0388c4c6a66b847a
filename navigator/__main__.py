"""`python -m navigator serve [--workers N]`."""
from __future__ import annotations

import argparse
import logging

import uvicorn

from navigator.settings import NavigatorSettings
from pfdo_kit.proxies import UVICORN_PROXY_OPTIONS
from pfdo_kit.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m navigator")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the families' web pages")
    serve.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    settings = load_settings(NavigatorSettings)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per gateway call is noise
    uvicorn.run("navigator.app:create_app", factory=True, host=settings.host, port=settings.port,
                workers=args.workers, log_config=None, access_log=False, timeout_graceful_shutdown=10,
                timeout_keep_alive=settings.http_keep_alive_s, **UVICORN_PROXY_OPTIONS)


if __name__ == "__main__":
    main()
