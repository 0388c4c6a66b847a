from pfdo_kit.cli import service_main
from services.notifications.settings import NotificationsSettings

service_main("services.notifications", NotificationsSettings, "services.notifications.app:create_app")
