from pydantic_settings import SettingsConfigDict

from pfdo_kit.settings import ServiceSettings


class CertificatesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CERTIFICATES_", extra="ignore", frozen=True)

    port: int = 8002
