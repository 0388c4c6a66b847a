"""The registry service: `uvicorn --factory services.registry.app:create_app`."""
from fastapi import FastAPI

from pfdo_kit.app import create_service_app
from pfdo_kit.settings import load_settings
from services.registry.api.agreements import router as agreements
from services.registry.api.providers import router as providers
from services.registry.handlers import CONSUMERS
from services.registry.models import messaging
from services.registry.settings import RegistrySettings


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    return create_service_app(
        service="registry",
        title="PFDO — реестр поставщиков образовательных услуг",
        settings=settings or load_settings(RegistrySettings),
        tables=messaging,
        routers=[providers, agreements],
        consumers=CONSUMERS,
    )
