from pydantic_settings import SettingsConfigDict

from pfdo_kit.settings import ServiceSettings


class CertificatesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CERTIFICATES_", extra="ignore", frozen=True)

    port: int = 8002
    # District rule: certificates for children of these ages (inclusive).
    min_age: int = 5
    max_age: int = 17
    # The district code that starts every certificate number (two digits).
    number_prefix: str = "07"
    # Long runs (jobs/runs.py): how soon an idle process looks for a queued run, and how many
    # certificates one batch (one transaction) works.
    runs_poll_interval_s: float = 1.0
    runs_batch_size: int = 500
