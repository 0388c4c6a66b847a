from pydantic_settings import SettingsConfigDict

from pfdo_kit.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_", extra="ignore", frozen=True)

    port: int = 8001
