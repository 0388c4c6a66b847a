"""Backup and restore of a regional installation: every service's database (pg_dump's custom format,
one file per database) and RabbitMQ's definitions (exchanges, queues, bindings, users, policies), with a
manifest of checksums. `python -m deploy.backup create DIR` / `restore DIR` (README, "Operations").

Where the databases are: by default the same variables the services read, `<SERVICE>_DATABASE_URL`
(point them at PostgreSQL itself, not at PgBouncer: pg_dump needs a session of its own);
`PFDO_BACKUP_<SERVICE>_DATABASE_URL` wins when set. Or, with `--exec "docker compose exec -T postgres"`,
pg_dump and pg_restore run inside the database's container (compose), as `--pg-user`.
RabbitMQ: `rabbitmqctl export_definitions -` (`--rabbitmqctl` names the command, e.g.
"docker compose exec -T rabbitmq rabbitmqctl"), or the management API (`--rabbitmq-api`).

A restore goes into empty databases only (created when missing): it never merges into live data."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SERVICE_DATABASES = ["registry", "certificates", "catalog", "billing", "notifications", "gateway"]
MANIFEST = "manifest.json"
DEFINITIONS = "rabbitmq-definitions.json"


class BackupError(RuntimeError):
    pass


@dataclass
class Postgres:
    """How to reach each database: by URL (`urls`), or by running the client tools through `exec_prefix`
    (e.g. `docker compose exec -T postgres`) as `user`."""
    urls: dict[str, str] = field(default_factory=dict)
    exec_prefix: list[str] = field(default_factory=list)
    user: str = "postgres"

    @classmethod
    def from_env(cls, names: Sequence[str], env: dict[str, str] | None = None) -> Postgres:
        env = dict(os.environ) if env is None else env
        urls = {}
        for name in names:
            url = env.get(f"PFDO_BACKUP_{name.upper()}_DATABASE_URL") or env.get(f"{name.upper()}_DATABASE_URL")
            if not url:
                raise BackupError(f"{name.upper()}_DATABASE_URL (or PFDO_BACKUP_{name.upper()}_DATABASE_URL) "
                                  "is not set: where is that database?")
            urls[name] = url.replace("postgresql+asyncpg://", "postgresql://")
        return cls(urls=urls)

    def _tool(self, tool: str, database: str, *args: str) -> list[str]:
        if self.exec_prefix:
            return [*self.exec_prefix, tool, "-U", self.user, "-d", database, *args]
        return [tool, f"--dbname={self.urls[database]}", *args]

    def _maintenance(self, database: str) -> list[str]:
        """psql on the server's `postgres` database (to create `database`)."""
        if self.exec_prefix:
            return [*self.exec_prefix, "psql", "-X", "-q", "-U", self.user, "-d", "postgres"]
        from sqlalchemy.engine import make_url

        url = make_url(self.urls[database]).set(database="postgres").render_as_string(hide_password=False)
        return ["psql", "-X", "-q", f"--dbname={url}"]

    def dump(self, database: str, target: Path) -> None:
        with target.open("wb") as out:
            _run(self._tool("pg_dump", database, "--format=custom", "--no-owner", "--no-privileges"), stdout=out)

    def restore(self, database: str, source: Path) -> None:
        self._ensure_empty(database)
        with source.open("rb") as dump:
            _run(self._tool("pg_restore", database, "--no-owner", "--no-privileges", "--exit-on-error",
                            "--single-transaction"), stdin=dump)

    def _server_name(self, database: str) -> str:
        """The database's name on the server (its URL's, or the service's own name through --exec)."""
        if self.exec_prefix:
            return database
        from sqlalchemy.engine import make_url

        return make_url(self.urls[database]).database or database

    def _ensure_empty(self, database: str) -> None:
        name = self._server_name(database)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise BackupError(f"{name!r}: not a database name this tool creates")
        exists = _run([*self._maintenance(database), "-tA", "-c",
                       f"SELECT count(*) FROM pg_database WHERE datname = '{name}'"], capture=True).strip()
        if exists == "0":
            _run([*self._maintenance(database), "-v", "ON_ERROR_STOP=1", "-c", f'CREATE DATABASE "{name}"'])
            return
        tables = _run(self._tool("psql", database, "-X", "-tA", "-c",
                                 "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                                 "('pg_catalog', 'information_schema')"), capture=True).strip()
        if tables != "0":
            raise BackupError(f"database {database} is not empty ({tables} tables): a restore goes into an empty "
                              "database only (drop it or name another)")


@dataclass
class RabbitMQ:
    """rabbitmqctl (a command line, e.g. `docker compose exec -T rabbitmq rabbitmqctl`) or the management API."""
    rabbitmqctl: list[str] = field(default_factory=lambda: ["rabbitmqctl"])
    api_url: str | None = None  # http://user:password@host:15672

    def export(self) -> dict:
        if self.api_url:
            import httpx

            return httpx.get(self.api_url.rstrip("/") + "/api/definitions", timeout=60).raise_for_status().json()
        return json.loads(_run([*self.rabbitmqctl, "--quiet", "export_definitions", "-", "--format", "json"],
                               capture=True))

    def import_(self, definitions: dict) -> None:
        if self.api_url:
            import httpx

            httpx.post(self.api_url.rstrip("/") + "/api/definitions", json=definitions, timeout=120).raise_for_status()
            return
        _run([*self.rabbitmqctl, "--quiet", "import_definitions", "--format", "json"],  # no path: standard input
             input=json.dumps(definitions).encode())


def _run(command: list[str], *, stdout=None, stdin=None, input: bytes | None = None, capture: bool = False) -> str:
    result = subprocess.run(command, stdout=subprocess.PIPE if capture else stdout, stdin=stdin, input=input,
                            stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        shown = " ".join(shlex.quote(part) for part in command if "://" not in part)  # no passwords in errors
        raise BackupError(f"{shown} failed ({result.returncode}): {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode() if capture else ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def create(directory: Path, postgres: Postgres, rabbitmq: RabbitMQ | None,
           databases: Sequence[str] = SERVICE_DATABASES) -> dict:
    """Dump every database and the broker's definitions into `directory` (made; must be empty). The manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: a backup goes into a directory of its own")
    manifest: dict = {"created_at": datetime.now(UTC).isoformat(timespec="seconds"), "databases": {}}
    for name in databases:
        target = directory / f"{name}.dump"
        postgres.dump(name, target)
        manifest["databases"][name] = {"file": target.name, "sha256": _sha256(target), "bytes": target.stat().st_size}
    if rabbitmq is not None:
        target = directory / DEFINITIONS
        target.write_text(json.dumps(rabbitmq.export(), ensure_ascii=False, indent=1), encoding="utf-8")
        manifest["rabbitmq"] = {"file": target.name, "sha256": _sha256(target)}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def verify(directory: Path) -> dict:
    """The manifest, once every file in it is present and unchanged."""
    if not (directory / MANIFEST).exists():
        raise BackupError(f"{directory} holds no backup ({MANIFEST} is missing)")
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    entries = list(manifest["databases"].values()) + ([manifest["rabbitmq"]] if "rabbitmq" in manifest else [])
    for entry in entries:
        path = directory / entry["file"]
        if not path.exists() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{path} is missing or damaged (its checksum differs from the manifest's)")
    return manifest


def restore(directory: Path, postgres: Postgres, rabbitmq: RabbitMQ | None,
            databases: Sequence[str] | None = None) -> list[str]:
    """Everything (or `databases`) from a verified backup into empty databases, then the broker's definitions.
    The databases restored."""
    manifest = verify(directory)
    chosen = list(databases or manifest["databases"])
    unknown = set(chosen) - set(manifest["databases"])
    if unknown:
        raise BackupError(f"not in this backup: {', '.join(sorted(unknown))}")
    for name in chosen:
        postgres.restore(name, directory / manifest["databases"][name]["file"])
    if rabbitmq is not None and "rabbitmq" in manifest:
        rabbitmq.import_(json.loads((directory / manifest["rabbitmq"]["file"]).read_text(encoding="utf-8")))
    return chosen
