"""The certificates service: `uvicorn --factory services.certificates.app:create_app`."""
from fastapi import FastAPI

from pfdo_kit.app import create_service_app
from pfdo_kit.settings import load_settings
from services.certificates.api.certificates import router as certificates_router
from services.certificates.api.children import router as children_router
from services.certificates.api.periods import router as periods_router
from services.certificates.api.reports import router as reports_router
from services.certificates.handlers import CONSUMERS
from services.certificates.jobs.runs import work_runs
from services.certificates.models import messaging
from services.certificates.settings import CertificatesSettings


def create_app(settings: CertificatesSettings | None = None) -> FastAPI:
    settings = settings or load_settings(CertificatesSettings)
    return create_service_app(
        service="certificates",
        title="PFDO — дети, сертификаты и их счета",
        settings=settings,
        tables=messaging,
        routers=[children_router, certificates_router, periods_router, reports_router],
        consumers=CONSUMERS,
        background=[work_runs] if settings.runs_worker else [],
    )
