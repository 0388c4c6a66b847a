"""The Helm chart, rendered for both regions and checked as Kubernetes would: every object valid
against the API's schemas, pods at the "restricted" Pod Security level, the disruption budgets,
network policies, account, monitor and ingress a region's IT needs, no silent defaults, and a
roll-out when the rules change. The chart of issue 22 had none of these."""
from __future__ import annotations

import shutil

import helm_python as helm
import pytest

from deploy.local.services import SERVICES
from tests.support.helm_chart import CHART, REGIONS, of_kind, pod_specs, region_values, render, validate

PROCESSES = sorted(s.name for s in SERVICES) + ["navigator"]


@pytest.fixture(scope="module", params=REGIONS)
def rendered(request) -> list[dict]:
    return render(region_values(request.param))


def test_every_object_of_both_regions_is_valid_kubernetes(rendered):
    for obj in rendered:
        validate(obj)
    kinds = {o["kind"] for o in rendered}
    assert {"Deployment", "Service", "Ingress", "Job", "ConfigMap", "ServiceAccount", "PodDisruptionBudget",
            "NetworkPolicy"} <= kinds


def test_the_validator_refuses_what_kubernetes_refuses():
    """The check has teeth: a misspelt field and a wrong type fail."""
    import kubernetes_validate

    [deployment, *_] = of_kind(render(region_values("kbr")), "Deployment").values()
    deployment["spec"]["replica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)


def test_every_process_runs_navigator_and_redis_included(rendered):
    deployments = of_kind(rendered, "Deployment")
    assert sorted(deployments) == sorted([f"pfdo-{p}" for p in PROCESSES] + ["pfdo-redis"])
    navigator = deployments["pfdo-navigator"]["spec"]["template"]["spec"]["containers"][0]
    assert navigator["args"][:4] == ["python", "-m", "navigator", "serve"]
    assert navigator["ports"] == [{"name": "http", "containerPort": 8080}]
    env = {e["name"]: e for e in navigator["env"]}
    assert env["NAVIGATOR_GATEWAY_URL"]["value"] == "http://pfdo-gateway:8000"
    assert env["NAVIGATOR_SESSION_SECRET"]["valueFrom"]["secretKeyRef"]["key"] == "NAVIGATOR_SESSION_SECRET"
    gateway = {e["name"]: e for e in deployments["pfdo-gateway"]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert gateway["GATEWAY_RATE_LIMIT_STORAGE_URL"]["value"] == "redis://pfdo-redis:6379/0"
    assert "pfdo-redis" in of_kind(rendered, "Service")


def test_pods_meet_the_restricted_pod_security_standard(rendered):
    """The checks of the "restricted" profile (kubernetes.io/docs/concepts/security/pod-security-standards),
    plus a read-only root filesystem with /tmp an emptyDir."""
    allowed_volumes = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                       "projected", "secret"}
    for name, spec in pod_specs(rendered).items():
        pod = spec["securityContext"]
        assert spec.get("automountServiceAccountToken") is False, name
        for flag in ("hostNetwork", "hostPID", "hostIPC"):
            assert not spec.get(flag), name
        for volume in spec.get("volumes", []):
            assert set(volume) - {"name"} <= allowed_volumes, (name, volume)
        for container in spec["containers"] + spec.get("initContainers", []):
            ctx = container["securityContext"]
            assert pod.get("runAsNonRoot") is True or ctx.get("runAsNonRoot") is True, name
            assert (pod.get("runAsUser") or ctx.get("runAsUser")) != 0, name
            seccomp = ctx.get("seccompProfile") or pod.get("seccompProfile")
            assert seccomp and seccomp["type"] in ("RuntimeDefault", "Localhost"), name
            assert ctx["allowPrivilegeEscalation"] is False and not ctx.get("privileged"), name
            assert ctx["capabilities"]["drop"] == ["ALL"] and set(ctx["capabilities"].get("add", [])) <= {
                "NET_BIND_SERVICE"}, name
            assert not any(p.get("hostPort") for p in container.get("ports", [])), name
            assert ctx["readOnlyRootFilesystem"] is True, name
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts or name == "pfdo-redis", name


def test_the_pods_account_mounts_no_token(rendered):
    [account] = of_kind(rendered, "ServiceAccount").values()
    assert account["automountServiceAccountToken"] is False
    for name, spec in pod_specs(rendered).items():
        if "migrate" not in name:  # the hook runs before the account exists: the namespace's default, no token
            assert spec["serviceAccountName"] == account["metadata"]["name"], name


def test_a_node_drain_keeps_every_process_running(rendered):
    budgets = of_kind(rendered, "PodDisruptionBudget")
    deployments = of_kind(rendered, "Deployment")
    for process in PROCESSES:
        budget = budgets[f"pfdo-{process}"]
        assert budget["spec"]["selector"]["matchLabels"] == (
            deployments[f"pfdo-{process}"]["spec"]["selector"]["matchLabels"])
        assert budget["spec"]["maxUnavailable"] == 1
        assert deployments[f"pfdo-{process}"]["spec"]["replicas"] >= 1


def _selects(selector: dict, labels: dict) -> bool:
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expr in selector.get("matchExpressions", []):
        if expr["operator"] == "In" and labels.get(expr["key"]) not in expr["values"]:
            return False
    return True


def _allowed_sources(rendered, pod: str) -> list[dict]:
    """Every `from` peer of every ingress rule that selects this pod."""
    labels = of_kind(rendered, "Deployment")[pod]["spec"]["template"]["metadata"]["labels"]
    peers = []
    for policy in of_kind(rendered, "NetworkPolicy").values():
        if _selects(policy["spec"]["podSelector"], labels) and "Ingress" in policy["spec"]["policyTypes"]:
            for rule in policy["spec"].get("ingress", []):
                peers.extend(rule.get("from", [{"anywhere": True}]))
    return peers


def test_network_policies_let_in_only_the_ingress_the_gateway_and_each_other(rendered):
    pods = of_kind(rendered, "Deployment")
    labels = {name: d["spec"]["template"]["metadata"]["labels"] for name, d in pods.items()}
    ingress_ns = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
    monitoring = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}
    deny = of_kind(rendered, "NetworkPolicy")["pfdo-default-deny"]["spec"]
    assert deny["policyTypes"] == ["Ingress", "Egress"] and "ingress" not in deny and "egress" not in deny
    for pod in pods:
        peers = _allowed_sources(rendered, pod)
        assert {"anywhere": True} not in peers, pod
        from_outside = ingress_ns in peers
        assert from_outside == (pod in ("pfdo-gateway", "pfdo-navigator")), pod
        pod_peers = [p["podSelector"] for p in peers if "podSelector" in p]
        if pod == "pfdo-redis":
            assert all(_selects(s, labels["pfdo-gateway"]) for s in pod_peers) and pod_peers, pod
            assert not any(_selects(s, labels["pfdo-navigator"]) for s in pod_peers), pod
        elif pod != "pfdo-navigator":  # a service: from the gateway, the other services; the gateway from the pages
            assert any(_selects(s, labels["pfdo-gateway"]) for s in pod_peers), pod
            assert any(_selects(s, labels["pfdo-billing"]) for s in pod_peers), pod  # each other
            assert any(_selects(s, labels["pfdo-navigator"]) for s in pod_peers) == (pod == "pfdo-gateway"), pod
            assert monitoring in peers, pod
        else:
            assert not pod_peers, pod  # nobody inside calls the pages


def test_only_the_gateway_reaches_the_services_from_the_navigator():
    """The pages speak to the gateway only: no policy lets the Navigator reach a service directly."""
    rendered = render(region_values("kbr"))
    navigator = of_kind(rendered, "Deployment")["pfdo-navigator"]["spec"]["template"]["metadata"]["labels"]
    for pod in [f"pfdo-{s.name}" for s in SERVICES if s.name != "gateway"]:
        selectors = [p["podSelector"] for p in _allowed_sources(rendered, pod) if "podSelector" in p]
        assert not any(_selects(s, navigator) for s in selectors), pod


def test_egress_reaches_the_database_and_the_broker_only_from_the_processes_that_use_them(rendered):
    policies = of_kind(rendered, "NetworkPolicy")
    data = policies["pfdo-egress-data"]["spec"]
    ports = {p["port"] for rule in data["egress"] for p in rule["ports"]}
    assert {5432, 6432, 5672} <= ports
    [names] = [e["values"] for e in data["podSelector"]["matchExpressions"]]
    assert sorted(names) == sorted([s.name for s in SERVICES] + ["migrate"])
    mail = policies["pfdo-egress-mail"]["spec"]
    assert mail["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "notifications"


def test_the_service_monitor_is_made_only_when_asked():
    assert not of_kind(render(region_values("kbr")), "ServiceMonitor")
    [monitor] = of_kind(render(region_values("kbr", serviceMonitor={"enabled": True})), "ServiceMonitor").values()
    assert monitor["spec"]["endpoints"] == [{"port": "http", "path": "/metrics", "interval": "30s"}]
    assert monitor["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] == "service"


def test_the_ingress_routes_pages_and_api_and_keeps_internal_paths_in(rendered):
    ingresses = of_kind(rendered, "Ingress")
    public = ingresses["pfdo"]["spec"]["rules"][0]["http"]["paths"]
    assert {(p["path"], p["backend"]["service"]["name"]) for p in public} == {
        ("/", "pfdo-navigator"), ("/api", "pfdo-gateway")}
    internal = ingresses["pfdo-internal"]
    assert internal["metadata"]["annotations"]["nginx.ingress.kubernetes.io/allowlist-source-range"] == "127.0.0.1/32"
    internal_paths = {p["path"] for p in internal["spec"]["rules"][0]["http"]["paths"]}
    assert {"/health", "/metrics", "/docs", "/openapi.json", "/redoc"} <= internal_paths
    for obj in ingresses.values():
        for rule in obj["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                # the gateway is reached by /api only: its /metrics, /docs, /health never from outside
                assert path["backend"]["service"]["name"] != "pfdo-gateway" or path["path"] == "/api"


@pytest.mark.parametrize("missing, message", [
    ("region", "region"), ("secrets", "secrets"), ("CERTIFICATES_NUMBER_PREFIX", "CERTIFICATES_NUMBER_PREFIX"),
    ("host", "ingress/host")])
def test_required_values_have_no_silent_default(missing, message):
    values = region_values("kbr")
    if missing == "region":
        del values["region"]
    elif missing == "secrets":
        del values["secrets"]
    elif missing == "host":
        del values["ingress"]["host"]
    else:
        del values["rules"][missing]
    with pytest.raises(helm.HelmValuesError, match=message):
        render(values)


def test_without_the_schema_the_templates_still_require_the_values(tmp_path):
    """`required`/`fail` in the templates: also with --skip-schema-validation, nothing falls back."""
    chart = tmp_path / "pfdo"
    shutil.copytree(CHART, chart)
    (chart / "values.schema.json").unlink()
    values = region_values("kbr")
    render(values, chart=chart)
    for key, expected in (("region", "region is required"), ("secrets", "secrets.name is required")):
        broken = {k: v for k, v in values.items() if k != key}
        with pytest.raises(helm.HelmError, match=expected):
            render(broken, chart=chart)
    no_prefix = region_values("kbr")
    del no_prefix["rules"]["CERTIFICATES_NUMBER_PREFIX"]
    with pytest.raises(helm.HelmError, match="CERTIFICATES_NUMBER_PREFIX is required"):
        render(no_prefix, chart=chart)


def test_the_schema_refuses_wrong_types():
    with pytest.raises(helm.HelmValuesError, match="workers"):
        render(region_values("kbr", services={"gateway": {"workers": 0}}))
    with pytest.raises(helm.HelmValuesError, match="url"):
        render(region_values("kbr", redis={"enabled": False}))


def test_a_changed_rule_rolls_every_pod():
    def checksums(values):
        return {name: d["spec"]["template"]["metadata"]["annotations"]["checksum/rules"]
                for name, d in of_kind(render(values), "Deployment").items() if name != "pfdo-redis"}

    before = checksums(region_values("kbr"))
    after = checksums(region_values("kbr", rules={"BILLING_ADVANCE_PERCENT": "70"}))
    assert set(before) == set(after) and all(before[n] != after[n] for n in before)
    for name, d in of_kind(render(region_values("kbr")), "Deployment").items():
        if name != "pfdo-redis":
            assert "checksum/secret" in d["spec"]["template"]["metadata"]["annotations"], name


def test_the_migration_job_has_resources_and_the_whole_rules_inline(rendered):
    [job] = of_kind(rendered, "Job").values()
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"]["requests"]["memory"] and container["resources"]["limits"]["memory"]
    names = [e["name"] for e in container["env"]]
    assert len(names) == len(set(names))
    assert "CERTIFICATES_NUMBER_PREFIX" in names and "GATEWAY_MUNICIPALITIES" in names
    assert "envFrom" not in container  # the ConfigMap does not exist yet when a pre-install hook runs
    for s in SERVICES:
        assert f"python -m {s.package} migrate" in container["args"][0]


def test_no_container_lists_a_variable_twice(rendered):
    for name, spec in pod_specs(rendered).items():
        for container in spec["containers"]:
            names = [e["name"] for e in container.get("env", [])]
            assert len(names) == len(set(names)), name


@pytest.mark.parametrize("region", REGIONS)
def test_helm_lint_finds_no_warning(region):
    report = helm.lint(str(CHART), region_values(region, serviceMonitor={"enabled": True}), strict=True,
                       kube_version="v1.30.0")
    assert report["errors"] == [] and [m for m in report["messages"] if m["severity"] >= 2] == []


def test_every_process_believes_forwarded_addresses_from_the_cluster_only(rendered):
    for name, spec in pod_specs(rendered).items():
        if "migrate" in name or "redis" in name:
            continue
        process = name.removeprefix("pfdo-")
        env = {e["name"]: e.get("value") for e in spec["containers"][0]["env"]}
        assert env[f"{process.upper()}_TRUSTED_PROXIES"] == '["10.0.0.0/8","172.16.0.0/12","192.168.0.0/16"]', name
        assert env["PROMETHEUS_MULTIPROC_DIR"] == "/var/run/pfdo-metrics", name
        assert not any(k == "FORWARDED_ALLOW_IPS" for k in env), name
