"""`python -m deploy.backup create DIR` / `restore DIR` / `verify DIR` (see deploy/backup/__init__.py)."""
from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from deploy.backup import SERVICE_DATABASES, BackupError, Postgres, RabbitMQ, create, restore, verify


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.backup", description=__doc__)
    parser.add_argument("command", choices=["create", "restore", "verify"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--only", help="databases, comma-separated (default: every service's)")
    parser.add_argument("--exec", dest="exec_prefix",
                        help='run pg_dump/pg_restore/psql through this, e.g. "docker compose exec -T postgres"')
    parser.add_argument("--pg-user", default="postgres", help="the database user with --exec")
    parser.add_argument("--rabbitmqctl", default="rabbitmqctl",
                        help='the rabbitmqctl command, e.g. "docker compose exec -T rabbitmq rabbitmqctl"')
    parser.add_argument("--rabbitmq-api", help="the management API instead: http://user:password@host:15672")
    parser.add_argument("--no-rabbitmq", action="store_true", help="databases only")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else SERVICE_DATABASES
    try:
        if args.command == "verify":
            manifest = verify(args.directory)
            print(f"{args.directory}: complete, made {manifest['created_at']}: {', '.join(manifest['databases'])}")
            return 0
        if args.exec_prefix:
            postgres = Postgres(exec_prefix=shlex.split(args.exec_prefix), user=args.pg_user)
        else:
            postgres = Postgres.from_env(names)
        rabbitmq = None if args.no_rabbitmq else RabbitMQ(shlex.split(args.rabbitmqctl), args.rabbitmq_api)
        if args.command == "create":
            manifest = create(args.directory, postgres, rabbitmq, names)
            print(f"backed up {', '.join(manifest['databases'])}"
                  + (" and RabbitMQ's definitions" if "rabbitmq" in manifest else "") + f" into {args.directory}")
        else:
            done = restore(args.directory, postgres, rabbitmq, names if args.only else None)
            print(f"restored {', '.join(done)} from {args.directory}")
        return 0
    except BackupError as error:
        print(f"backup: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
