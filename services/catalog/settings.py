from pydantic_settings import SettingsConfigDict

from pfdo_kit.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CATALOG_", extra="ignore", frozen=True)

    port: int = 8003
    # District rules: how long a freed seat is held for the next family on the waitlist,
    # and how often overdue offers and undecided applications are swept.
    offer_hours: int = 48
    sweep_interval_s: float = 60.0
