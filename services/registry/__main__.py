from pfdo_kit.cli import service_main
from services.registry.settings import RegistrySettings

service_main("services.registry", RegistrySettings, "services.registry.app:create_app")
