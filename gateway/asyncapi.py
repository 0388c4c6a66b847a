"""An AsyncAPI 2.6 document of every event on the bus, built from the event models themselves."""
from __future__ import annotations

import pfdo_events.billing
import pfdo_events.catalog
import pfdo_events.certificates
import pfdo_events.gateway
import pfdo_events.registry  # noqa: F401 - importing the modules registers their events
from pfdo_events import registered_events
from pfdo_events.envelope import Envelope


def _publisher(event_type: str) -> str:
    owner = event_type.split(".")[0]
    return owner if owner == "gateway" else f"services/{owner}"


def asyncapi_document() -> dict:
    channels, schemas = {}, {}
    for event in sorted(registered_events().values(), key=lambda e: (e.event_type, e.event_version)):
        key = f"{event.event_type}.v{event.event_version}"
        name = event.__name__ + (f"V{event.event_version}" if event.event_version > 1 else "")
        schemas[name] = event.model_json_schema(ref_template="#/components/schemas/{model}")
        for sub_name, sub in schemas[name].pop("$defs", {}).items():
            schemas.setdefault(sub_name, sub)
        channels[key] = {
            "description": (event.__doc__ or "").strip(),
            "subscribe": {"operationId": f"on_{key.replace('.', '_')}",
                          "summary": f"published by {_publisher(event.event_type)}",
                          "message": {"name": key, "messageId": key,
                                      "headers": {"type": "object", "properties": {
                                          "message_id": {"type": "string", "description": "the event id"}}},
                                      "payload": {"allOf": [{"$ref": "#/components/schemas/Envelope"},
                                                            {"type": "object", "properties": {
                                                                "payload": {"$ref": f"#/components/schemas/{name}"}}}]}}},
        }
    envelope = Envelope.model_json_schema(ref_template="#/components/schemas/{model}")
    envelope.pop("$defs", None)
    schemas["Envelope"] = envelope
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "PFDO events", "version": "1",
                 "description": "One durable topic exchange (pfdo.events); the channel is the routing key."},
        "servers": {"rabbitmq": {"url": "amqp://127.0.0.1:5672", "protocol": "amqp", "protocolVersion": "0-9-1"}},
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"schemas": schemas},
    }
