"""The committed Grafana dashboard and Prometheus alert rules (deploy/monitoring): the dashboard is
Grafana JSON whose every panel queries Prometheus, the rules parse with the groups and alerts a
region's on-call needs (outbox age and backlog, dead letters, 5xx, readiness, a stuck month close),
each with a severity and a Russian summary, and every platform metric they name is one the code
exports (or the runtime's metrics listed below). `promtool check rules` passed on them when written;
CI has no promtool."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[3]
MONITORING = ROOT / "deploy" / "monitoring"


def _rules() -> dict:
    return yaml.safe_load((MONITORING / "alerts.yaml").read_text(encoding="utf-8"))


def _dashboard() -> dict:
    return json.loads((MONITORING / "grafana-dashboard.json").read_text(encoding="utf-8"))


def _exported_metrics() -> set[str]:
    names = set()
    for path in [*ROOT.glob("pfdo_kit/**/*.py"), *ROOT.glob("services/**/*.py"), *ROOT.glob("gateway/**/*.py")]:
        names |= set(re.findall(r"""(?:Counter|Gauge|Histogram|Summary)\(\s*["'](pfdo_[a-z0-9_]+)["']""",
                                path.read_text(encoding="utf-8")))
    return names


def _known(name: str, exported: set[str]) -> bool:
    base = re.sub(r"_(bucket|sum|count)$", "", name)
    return any(n in (name, base) or n + "_total" in (name, base) or n == base.removesuffix("_total")
               for n in exported)


def test_the_rules_parse_with_the_expected_groups_and_alerts():
    groups = {g["name"]: g["rules"] for g in _rules()["groups"]}
    assert set(groups) == {"pfdo-outbox", "pfdo-bus", "pfdo-http", "pfdo-availability", "pfdo-billing"}
    alerts = {r["alert"]: r for rules in groups.values() for r in rules}
    assert {"PfdoOutboxEventsWaiting", "PfdoOutboxBacklog", "PfdoDeadLetters", "PfdoHigh5xxRate", "PfdoNotReady",
            "PfdoTargetDown", "PfdoMonthCloseStuck"} <= set(alerts)
    for name, rule in alerts.items():
        assert rule["expr"].strip() and rule["labels"]["severity"] in ("warning", "critical"), name
        assert re.search("[а-яА-Я]", rule["annotations"]["summary"]), name  # read by the region's staff
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, name
        if "for" in rule:
            assert re.fullmatch(r"\d+[smhd]", rule["for"]), name
    assert "pfdo_http_requests_total" in alerts["PfdoHigh5xxRate"]["expr"] and '"5.."' in alerts["PfdoHigh5xxRate"][
        "expr"]
    assert "pfdo_outbox_oldest_unsent_age_seconds" in alerts["PfdoOutboxEventsWaiting"]["expr"]
    assert "pfdo_bus_dead_letter_queue_messages" in alerts["PfdoDeadLetters"]["expr"]


def test_the_dashboard_is_grafana_json_over_prometheus():
    dashboard = _dashboard()
    assert dashboard["uid"] and dashboard["title"] and dashboard["schemaVersion"] >= 30
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)) >= 10
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}" and panel["targets"], panel["title"]
        assert all(t["expr"].strip() for t in panel["targets"]), panel["title"]
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
    titles = " ".join(p["title"] for p in dashboard["panels"])
    for topic in ("Outbox", "DLQ", "5xx", "Закрытие месяца"):
        assert topic in titles


def test_every_platform_metric_named_is_one_the_code_exports():
    exported = _exported_metrics()
    assert "pfdo_http_requests_total" in exported  # the scan finds the code's metrics
    expressions = [r["expr"] for g in _rules()["groups"] for r in g["rules"]]
    expressions += [t["expr"] for p in _dashboard()["panels"] for t in p["targets"]]
    named = {m for e in expressions for m in re.findall(r"\b(pfdo_[a-z0-9_]+)", e)}
    unknown = sorted(m for m in named if not _known(m, exported))
    assert unknown == []
