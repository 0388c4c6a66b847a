"""The billing service: `uvicorn --factory services.billing.app:create_app`."""
from fastapi import FastAPI

from pfdo_kit.app import create_service_app
from pfdo_kit.settings import load_settings
from services.billing.api.advances import router as advances_router
from services.billing.api.attendance import router as attendance_router
from services.billing.api.contracts import router as contracts_router
from services.billing.api.debits import router as debits_router
from services.billing.api.disputes import router as disputes_router
from services.billing.api.documents import router as documents_router
from services.billing.api.invoices import router as invoices_router
from services.billing.api.months import router as months_router
from services.billing.api.registers import router as registers_router
from services.billing.api.reports import router as reports_router
from services.billing.api.rules import router as rules_router
from services.billing.flows.documents import documents_for
from services.billing.handlers import CONSUMERS
from services.billing.jobs.month_close import run_month_closes
from services.billing.jobs.month_close_gauge import refresh_month_close_gauge
from services.billing.jobs.offer_renderer import run_offer_renderer
from services.billing.models import messaging
from services.billing.settings import BillingSettings


def create_app(settings: BillingSettings | None = None) -> FastAPI:
    settings = settings or load_settings(BillingSettings)
    app = create_service_app(
        service="billing",
        title="PFDO — договоры, посещаемость, закрытие месяца, счета",
        settings=settings,
        tables=messaging,
        routers=[contracts_router, documents_router, attendance_router, months_router, advances_router,
                 invoices_router, reports_router, registers_router, debits_router, disputes_router, rules_router],
        consumers=CONSUMERS,
        background=[run_month_closes, run_offer_renderer],
        gauges=[refresh_month_close_gauge],
    )
    # The contract documents' font and templates: checked now, so a process without them never starts.
    app.state.documents = documents_for(settings)
    return app
