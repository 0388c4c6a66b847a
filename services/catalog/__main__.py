from pfdo_kit.cli import service_main
from services.catalog.settings import CatalogSettings

service_main("services.catalog", CatalogSettings, "services.catalog.app:create_app")
