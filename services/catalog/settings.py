from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from pfdo_kit import capacity
from pfdo_kit.settings import ServiceSettings
from services.catalog.domain.payment_plan import Pricing


class CatalogSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CATALOG_", extra="ignore", frozen=True)

    port: int = 8003
    # District rules: how long a freed seat is held for the next family on the waitlist,
    # and how often overdue offers and undecided applications are swept.
    offer_hours: int = 48
    # Normative cost (нормативная стоимость) of one person-hour by direction, in kopecks, and the
    # district's coefficient in thousandths: the certificate pays at most hours × rate × k.
    normative_kop_per_hour: dict[str, int] = {
        "technical": 180_00, "natural_science": 160_00, "physical_sports": 150_00, "artistic": 160_00,
        "tourism_local_history": 150_00, "social_humanitarian": 140_00,
    }
    normative_coefficient_permille: int = 1000
    sweep_interval_s: float = 60.0
    # Search pages are the same for everyone: shared caches (the gateway) may keep one this many
    # seconds, and serve it search_stale_s more while fetching its successor (RFC 5861), so seat
    # counts in a listing can lag: a popular page by about search_cache_s, a page nobody asked for
    # meanwhile by up to both (applying always checks the real seats).
    search_cache_s: int = Field(default=5, ge=0, le=60)
    search_stale_s: int = Field(default=25, ge=0, le=300)
    # Search's own read connections (queries/reads.py); unset: half of what the process's share leaves
    # besides the LISTEN connection (pfdo_kit/capacity.py), the other half the pool of everything else.
    search_pool_size: int | None = Field(default=None, ge=1, le=100)
    # A district's own thesaurus (YAML shaped like services/catalog/thesaurus/ru.yaml), added to the base one.
    thesaurus_path: Path | None = None

    def search_pool(self) -> int:
        if self.search_pool_size is not None:
            return self.search_pool_size
        return max(1, (capacity.share(self.db_connection_budget, self.db_processes) - capacity.LISTEN_CONNECTIONS) // 2)

    def extra_connections(self) -> int:
        return self.search_pool()

    @property
    def pricing(self) -> Pricing:
        return Pricing(self.normative_kop_per_hour, self.normative_coefficient_permille)
