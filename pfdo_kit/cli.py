"""`python -m services.<name> migrate|serve|dead-letters` for every service."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

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
        made = prepare_metrics_dir(args.workers)
        try:
            uvicorn.run(
                app_factory, factory=True, host=settings.host, port=settings.port,
                workers=args.workers, log_config=None, access_log=False, timeout_graceful_shutdown=15,
                timeout_keep_alive=settings.http_keep_alive_s,  # longer than any pooled client's idle reuse
                **UVICORN_PROXY_OPTIONS,  # the app reads X-Forwarded-For itself, from <PREFIX>_TRUSTED_PROXIES
            )
        finally:
            if made is not None:
                shutil.rmtree(made, ignore_errors=True)


def prepare_metrics_dir(workers: int) -> str | None:
    """Several workers: each keeps its metrics in PROMETHEUS_MULTIPROC_DIR and a scrape adds them up
    (pfdo_kit/metrics.py). Unset, a fresh temporary directory is made; set, what a previous run left there
    is cleared (it would be added in). Must happen before the workers start: they read it at import.
    Returns the directory it made, if any (removed when the server stops)."""
    directory, made = os.environ.get("PROMETHEUS_MULTIPROC_DIR"), None
    if not directory:
        if workers <= 1:
            return None
        directory = made = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="pfdo-metrics-")
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.db"):
        old.unlink()
    return made
