"""The deployment files a region's configuration writes: its Helm values
(`deploy/helm/pfdo/values-<region>.yaml`: `region` and `rules`; the rest of the file, e.g. the
ingress host, is the operator's and stays) and its env file for compose
(`deploy/compose/<region>.env`). `python -m deploy.cli region-files` writes them,
`--check` says whether the committed ones are current (tests/unit/deploy checks it too)."""
from __future__ import annotations

from pathlib import Path

import yaml

from deploy.region_config import REGIONS, RegionConfig, load

DEPLOY = Path(__file__).parent
HELM = DEPLOY / "helm" / "pfdo"
COMPOSE = DEPLOY / "compose"

SECRETS = """\
# Secrets go in .env next to the compose file (never here):
#   PFDO_REGION            this region's code ({code}): compose reads {code}.env
#   PFDO_SIGNING_KEY_PEM   the gateway's RS256 private key (PEM)
#   PFDO_PUBLIC_KEYS_JSON  ["<its public key PEM>"] for the services
#   POSTGRES_PASSWORD, RABBITMQ_PASSWORD
#   SMTP_HOST, SMTP_PORT (587), SMTP_TLS (starttls|tls|none), SMTP_USERNAME, SMTP_PASSWORD   the mail relay
#   MAIL_FROM_ADDRESS (no-reply@<the region's domain>), PUBLIC_BASE_URL (https://<the Navigator's host>)
"""


def helm_values_path(config: RegionConfig) -> Path:
    return HELM / f"values-{config.code}.yaml"


def compose_env_path(config: RegionConfig) -> Path:
    return COMPOSE / f"{config.code}.env"


def _header(config: RegionConfig) -> str:
    lines = [f"# {config.name}: " + ", ".join(m.name for m in config.municipalities) + ".",
             f"# Written by `python -m deploy.cli region-files` from deploy/regions/{config.code}.yaml:",
             "# change that file, not what it writes here."]
    return "\n".join(lines) + "\n"


def helm_values(config: RegionConfig, current: str | None = None) -> str:
    """The region's values file: `region` and `rules` from its configuration, every other key as
    in `current` (the committed file), or a placeholder ingress host for a new region."""
    kept = (yaml.safe_load(current) or {}) if current else {"ingress": {"host": f"pfdo.{config.code}.example.ru"}}
    values = {"region": config.code, **{k: v for k, v in kept.items() if k not in ("region", "rules")},
              "rules": config.service_env()}
    install = (f"# helm upgrade --install pfdo deploy/helm/pfdo -n pfdo-{config.code} --create-namespace "
               f"-f deploy/helm/pfdo/values-{config.code}.yaml\n")
    return _header(config) + install + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10_000)


def compose_env(config: RegionConfig) -> str:
    lines = [f"{key}={value}" for key, value in config.installation_env().items()]
    return _header(config) + SECRETS.format(code=config.code) + "\n".join(lines) + "\n"


def rendered(config: RegionConfig) -> dict[Path, str]:
    """Each file of the region and the text it should have."""
    values = helm_values_path(config)
    current = values.read_text(encoding="utf-8") if values.exists() else None
    return {values: helm_values(config, current), compose_env_path(config): compose_env(config)}


def shipped_regions() -> list[Path]:
    return sorted(REGIONS.glob("*.yaml"))


def stale(paths: list[Path] | None = None) -> list[Path]:
    """The files that differ from what their region's configuration writes."""
    found = []
    for path in paths or shipped_regions():
        for target, text in rendered(load(path)).items():
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                found.append(target)
    return found


def write(paths: list[Path] | None = None) -> list[Path]:
    """Write every region's files; the ones that changed."""
    changed = []
    for path in paths or shipped_regions():
        for target, text in rendered(load(path)).items():
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
                changed.append(target)
    return changed
