"""`python -m deploy.cli load-region`: each municipality's period goes to its own path, by whoever
acts for that municipality; a period already open is left alone; one refusal does not stop
the others, and the command says which failed."""
from __future__ import annotations

import asyncio

import pytest

from deploy import cli
from deploy.api_client import ApiError
from deploy.region_config import REGIONS, region
from deploy.region_load import load_region


class FakeApi:
    """Records what one login sends; periods in `existing` answer GET with their status."""

    def __init__(self, who: str, log: list, existing: dict[str, str] | None = None,
                 refuse: set[str] = frozenset()) -> None:
        self.who, self.log, self.existing, self.refuse = who, log, existing or {}, refuse

    async def call(self, method: str, path: str, json=None, **_):
        self.log.append((self.who, method, path, json))
        if any(code in path for code in self.refuse) and method == "PUT":
            raise ApiError(403, {"title": "Недостаточно прав"})
        if method == "GET":
            if path not in self.existing:
                raise ApiError(404, {"title": "Не найдено"})
            return {"status": self.existing[path]}
        return {}

    async def run(self, method: str, path: str, **_):
        self.log.append((self.who, method, path, None))
        return {"status": "done", "result": {"credited_certificates": 3, "stopped_at_budget": False}}

    async def login(self, email: str, password: str):
        return FakeApi(email, self.log, self.existing, self.refuse)

    async def close(self) -> None:
        pass


def test_each_municipality_s_period_goes_to_its_own_path_and_is_opened():
    config, log = region("kbr"), []
    loaded = asyncio.run(load_region(config, lambda code: FakeApi("admin", log), open_=True))
    assert [o.ok for o in loaded] == [True, True]
    writes = [(method, path, body) for _, method, path, body in log if method != "GET"]
    assert writes == [
        ("PUT", "/municipalities/chegem/periods/2026", config.municipality("chegem").period.api_body()),
        ("POST", "/municipalities/chegem/periods/2026/open", None),
        ("PUT", "/municipalities/baksan/periods/2026", config.municipality("baksan").period.api_body()),
        ("POST", "/municipalities/baksan/periods/2026/open", None)]
    assert "начислено сертификатов: 3" in loaded[0].message


def test_an_open_period_is_left_alone_and_only_the_chosen_municipality_is_loaded():
    config, log = region("kbr"), []
    existing = {"/municipalities/chegem/periods/2026": "open"}
    loaded = asyncio.run(load_region(config, lambda code: FakeApi("admin", log, existing), open_=True))
    assert "уже открыт" in loaded[0].message and loaded[0].ok
    assert not any(path.startswith("/municipalities/chegem") for _, method, path, _ in log if method != "GET")
    log.clear()
    loaded = asyncio.run(load_region(config, lambda code: FakeApi("admin", log), open_=False, only=["baksan"]))
    assert [o.municipality for o in loaded] == ["baksan"]
    assert [(m, p) for _, m, p, _ in log] == [("GET", "/municipalities/baksan/periods/2026"),
                                               ("PUT", "/municipalities/baksan/periods/2026")]


def test_a_refusal_is_reported_and_the_other_municipalities_still_load():
    config, log = region("stavropol"), []
    loaded = asyncio.run(load_region(config, lambda code: FakeApi("x", log, refuse={"neftekumsk"}), open_=False))
    assert [(o.municipality, o.ok) for o in loaded] == [("neftekumsk", False), ("stavropol-city", True)]
    assert "403 Недостаточно прав" in loaded[0].message


def test_the_command_acts_for_each_municipality_as_its_operator_or_the_admin(monkeypatch, capsys):
    log: list = []
    monkeypatch.setattr(cli, "Api", lambda url: FakeApi("anonymous", log))
    code = cli.main(["load-region", str(REGIONS / "kbr.yaml"), "--email", "admin@x.ru", "--password", "p",
                     "--operator", "baksan", "op-baksan@x.ru", "p", "--open"])
    assert code == 0
    by = {path: who for who, method, path, _ in log if method == "PUT"}
    assert by == {"/municipalities/chegem/periods/2026": "admin@x.ru",
                  "/municipalities/baksan/periods/2026": "op-baksan@x.ru"}
    assert "Чегемский муниципальный район: период 2026 загружен и открыт" in capsys.readouterr().out


@pytest.mark.parametrize("argv, says", [
    (["--operator", "chegem", "op@x.ru", "p"], "baksan"),  # nobody acts for baksan
    (["--email", "a@x.ru", "--password", "p", "--only", "nalchik"], "nalchik"),
    (["--email", "a@x.ru"], "--password"),
])
def test_the_command_refuses_before_logging_in_when_nobody_acts_for_a_municipality(argv, says, monkeypatch, capsys):
    log: list = []
    monkeypatch.setattr(cli, "Api", lambda url: FakeApi("anonymous", log))
    assert cli.main(["load-region", str(REGIONS / "kbr.yaml"), *argv]) == 2
    assert says in capsys.readouterr().err and log == []
