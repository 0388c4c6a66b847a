from pydantic import Field
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
    runs_poll_interval_s: float = Field(default=1.0, gt=0)
    # Whether this process works long runs; a replica that should only answer requests turns it off.
    runs_worker: bool = True
    runs_batch_size: int = Field(default=500, ge=1, le=5000)
