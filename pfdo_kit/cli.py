"""`python -m services.<name> migrate|serve|dead-letters` for every service."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import uvicorn

from pfdo_kit import dead_letters_cli
from pfdo_kit.migrations import upgrade
from pfdo_kit.proxies import UVICORN_PROXY_OPTIONS
from pfdo_kit.settings import ServiceSettings, load_settings


@dataclass(frozen=True)
class Command:
    """A process's own command besides migrate|serve|dead-letters: it parses its own arguments."""

    help: str
    run: Callable[[list[str]], int]


def service_main(package: str, settings_cls: type[ServiceSettings], app_factory: str, argv: list[str] | None = None,
                 commands: Mapping[str, Command] | None = None) -> None:
    commands = dict(commands or {})
    words = sys.argv[1:] if argv is None else argv
    if words[:1] and words[0] in commands:
        raise SystemExit(commands[words[0]].run(words[1:]))
    parser = argparse.ArgumentParser(prog=f"python -m {package}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, command in commands.items():
        sub.add_parser(name, help=command.help, add_help=False)
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
            **UVICORN_PROXY_OPTIONS,  # the app reads X-Forwarded-For itself, from <PREFIX>_TRUSTED_PROXIES
        )
