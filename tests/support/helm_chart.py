"""The Helm chart rendered offline (the helm-python-sdk wheel: Helm's own Go code, no binary, no
cluster), each object checked against Kubernetes' published schemas (kubernetes-validate)."""
from __future__ import annotations

import copy
from pathlib import Path

import helm_python as helm
import kubernetes_validate
import yaml

CHART = Path(__file__).parents[2] / "deploy" / "helm" / "pfdo"
REGIONS = ["kbr", "stavropol"]
# The oldest Kubernetes a region's cluster is expected to run (restricted PSS, policy/v1, seccompProfile).
KUBERNETES_VERSION = "1.30.0"
# What an operator adds on the command line (README, Operations): the Secret's name.
OPERATOR_VALUES = {"secrets": {"name": "pfdo-secrets"}}


def region_values(region: str, **overrides) -> dict:
    values = yaml.safe_load((CHART / f"values-{region}.yaml").read_text(encoding="utf-8"))
    return merge(merge(values, OPERATOR_VALUES), overrides)


def merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        out[key] = merge(out.get(key, {}), value) if isinstance(value, dict) and isinstance(out.get(key), dict) \
            else copy.deepcopy(value)
    return out


def render(values: dict, chart: Path = CHART, namespace: str = "pfdo-kbr") -> list[dict]:
    """Every object the chart makes for these values (hooks included), in template order."""
    manifests = helm.Chart.load(str(chart)).render(values, name="pfdo", namespace=namespace, is_install=True)
    return [doc for _, text in sorted(manifests.items()) for doc in yaml.safe_load_all(text) if doc]


def validate(obj: dict) -> None:
    """Raises kubernetes_validate.ValidationError for an object Kubernetes would refuse (strict: no unknown
    fields either); custom resources (ServiceMonitor) have no published schema and are skipped."""
    if obj["apiVersion"].startswith("monitoring.coreos.com/"):
        return
    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def pod_specs(objects: list[dict]) -> dict[str, dict]:
    """Each workload's pod spec by the workload's name (deployments and the migration job)."""
    return {o["metadata"]["name"]: o["spec"]["template"]["spec"] for o in objects
            if o["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet")}
