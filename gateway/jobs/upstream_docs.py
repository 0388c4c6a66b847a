"""The services' OpenAPI documents, which the gateway merges into the whole API's document:
fetched until every service has answered, then every 10 minutes."""
from __future__ import annotations

import asyncio
import logging

from gateway.domain.routes import SERVICES
from gateway.upstreams import Upstreams
from pfdo_kit.runtime import ServiceRuntime

log = logging.getLogger(__name__)


class UpstreamDocs:
    def __init__(self, upstreams: Upstreams) -> None:
        self.documents: dict[str, dict] = {}  # service → its /openapi.json
        self._upstreams = upstreams

    async def keep_fresh(self, runtime: ServiceRuntime) -> None:
        """The background job (the runtime runs it, and cancels it when the gateway stops)."""
        while True:
            for service in SERVICES:
                try:
                    r = await self._upstreams.send(service, "GET", "/openapi.json")
                    if r.status_code == 200:
                        self.documents[service] = r.json()
                except Exception:  # noqa: BLE001 - a service not up yet: try again later
                    log.debug("openapi of %s not available yet", service)
            await asyncio.sleep(600 if len(self.documents) == len(SERVICES) else 5)
