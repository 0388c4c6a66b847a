"""deploy.backup without servers: where it looks for each database, the commands it runs through
`--exec` (compose), and a damaged or incomplete backup refused before anything is restored. The
restore itself: tests/e2e/test_backup_restore.py."""
from __future__ import annotations

import json

import pytest

from deploy import backup
from deploy.backup import BackupError, Postgres, RabbitMQ


def test_the_databases_are_where_the_services_find_them_unless_a_backup_url_is_named():
    env = {"REGISTRY_DATABASE_URL": "postgresql+asyncpg://pfdo:pw@pgbouncer:5432/registry",
           "PFDO_BACKUP_REGISTRY_DATABASE_URL": "postgresql://pfdo:pw@postgres:5432/registry",
           "BILLING_DATABASE_URL": "postgresql+asyncpg://pfdo:pw@postgres:5432/billing"}
    found = Postgres.from_env(["registry", "billing"], env)
    assert found.urls == {"registry": "postgresql://pfdo:pw@postgres:5432/registry",
                          "billing": "postgresql://pfdo:pw@postgres:5432/billing"}
    with pytest.raises(BackupError, match="CATALOG_DATABASE_URL"):
        Postgres.from_env(["catalog"], env)


def test_through_exec_the_tools_run_in_the_database_s_container(monkeypatch, tmp_path):
    ran = []

    def fake_run(command, **kw):
        ran.append(command)
        return "0\n" if kw.get("capture") else ""
    monkeypatch.setattr(backup, "_run", fake_run)
    pg = Postgres(exec_prefix=["docker", "compose", "exec", "-T", "postgres"], user="pfdo")
    pg.dump("billing", tmp_path / "billing.dump")
    dump = tmp_path / "billing.dump"
    pg.restore("billing", dump)
    assert ran[0] == ["docker", "compose", "exec", "-T", "postgres", "pg_dump", "-U", "pfdo", "-d", "billing",
                      "--format=custom", "--no-owner", "--no-privileges"]
    assert ran[1][:7] == ["docker", "compose", "exec", "-T", "postgres", "psql", "-X"]  # does it exist?
    assert ran[2][-1] == 'CREATE DATABASE "billing"'  # it did not: made, empty
    assert ran[3][5:10] == ["pg_restore", "-U", "pfdo", "-d", "billing"] and "--single-transaction" in ran[3]


def test_a_damaged_or_incomplete_backup_is_refused_before_any_restore(tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "_run", lambda command, **kw: "")

    class Definitions(RabbitMQ):
        def export(self):
            return {"queues": [{"name": "pfdo.catalog"}]}
    made = backup.create(tmp_path / "b", Postgres(urls={"billing": "postgresql://x/billing"}), Definitions(),
                         ["billing"])
    assert set(made) == {"created_at", "databases", "rabbitmq"}
    assert backup.verify(tmp_path / "b")["databases"]["billing"]["file"] == "billing.dump"
    with pytest.raises(BackupError, match="not empty"):
        backup.create(tmp_path / "b", Postgres(urls={}), None, [])
    (tmp_path / "b" / backup.DEFINITIONS).write_text(json.dumps({"queues": []}))
    restored = []
    monkeypatch.setattr(Postgres, "restore", lambda self, name, path: restored.append(name))
    with pytest.raises(BackupError, match="damaged"):
        backup.restore(tmp_path / "b", Postgres(urls={"billing": "postgresql://x/billing"}), None)
    (tmp_path / "b" / "billing.dump").unlink()
    with pytest.raises(BackupError, match="missing"):
        backup.verify(tmp_path / "b")
    assert restored == []


def test_the_command_line_reports_failures_without_a_traceback(tmp_path, capsys):
    from deploy.backup.__main__ import main

    assert main(["verify", str(tmp_path / "nothing")]) == 1
    assert "holds no backup" in capsys.readouterr().err
