"""`python -m services.<name> migrate|serve|dead-letters` for every service."""
from __future__ import annotations

import argparse
import uvicorn

from pfdo_kit import dead_letters_cli
from pfdo_kit.migrations import upgrade
from pfdo_kit.settings import ServiceSettings, load_settings


def service_main(package: str, settings_cls: type[ServiceSettings], app_factory: str, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {package}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations up to head")
    serve = sub.add_parser("serve", help="run the HTTP service with its relay and consumers")
    serve.add_argument("--workers", type=int, default=1)
    dead_letters_cli.add_commands(sub)
    args = parser.parse_args(argv)

    settings = load_settings(settings_cls)
    if args.command == "migrate":
        upgrade(package, settings.database_url)
        print(f"{package}: migrations applied")
    elif args.command == "dead-letters":
        raise SystemExit(dead_letters_cli.main(args, settings, app_factory))
    else:
        uvicorn.run(
            app_factory, factory=True, host=settings.host, port=settings.port,
            workers=args.workers, log_config=None, access_log=False, timeout_graceful_shutdown=15,
            timeout_keep_alive=settings.http_keep_alive_s,  # longer than any pooled client's idle reuse
        )
