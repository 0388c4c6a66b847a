"""The catalog (Navigator) service: `uvicorn --factory services.catalog.app:create_app`."""
from fastapi import FastAPI

from pfdo_kit.app import create_service_app
from pfdo_kit.settings import load_settings
from services.catalog.api.applications import router as applications_router
from services.catalog.api.cost import router as cost_router
from services.catalog.api.dependencies import Searching
from services.catalog.api.groups import router as groups_router
from services.catalog.api.programs import router as programs_router
from services.catalog.api.reviews import router as reviews_router
from services.catalog.handlers import CONSUMERS
from services.catalog.jobs.sweeper import run_sweeper
from services.catalog.models import messaging
from services.catalog.queries.query_plans import QueryPlans
from services.catalog.queries.reads import SearchReads
from services.catalog.settings import CatalogSettings
from services.catalog.thesaurus import load as load_thesaurus


def create_app(settings: CatalogSettings | None = None) -> FastAPI:
    settings = settings or load_settings(CatalogSettings)
    reads = SearchReads(settings.search_pool())
    app = create_service_app(
        service="catalog",
        title="PFDO — Навигатор: программы, группы, заявки",
        settings=settings,
        tables=messaging,
        routers=[programs_router, applications_router, reviews_router, groups_router, cost_router],
        consumers=CONSUMERS,
        background=[run_sweeper, reads.hold],
    )
    app.state.searching = Searching(reads, QueryPlans(load_thesaurus(settings.thesaurus_path)), app.state.clock,
                                    settings)
    return app
