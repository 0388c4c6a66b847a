from pfdo_kit.cli import service_main
from services.billing.settings import BillingSettings

service_main("services.billing", BillingSettings, "services.billing.app:create_app")
