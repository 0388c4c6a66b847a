from pfdo_kit.cli import service_main
from gateway.settings import GatewaySettings

service_main("gateway", GatewaySettings, "gateway.app:create_app")
