"""The AsyncAPI 3.0 document of every event on the bus, built from the event models themselves:
one channel per routing key on the one topic exchange, one `send` operation by its publisher,
AMQP bindings as the kit declares them (durable topic exchange, persistent messages)."""
from __future__ import annotations

import pfdo_events.billing
import pfdo_events.catalog
import pfdo_events.certificates
import pfdo_events.gateway
import pfdo_events.registry  # noqa: F401 - importing the modules registers their events
from pfdo_events import registered_events
from pfdo_events.envelope import Envelope

EXCHANGE = "pfdo.events"
AMQP_BINDING = "0.3.0"
SCHEMAS = "#/components/schemas/"


def _publisher(event_type: str) -> str:
    owner = event_type.split(".")[0]
    return owner if owner == "gateway" else f"services/{owner}"


def _channel(key: str, message: str, description: str) -> dict:
    return {
        "address": key,
        "title": key,
        "description": description,
        "messages": {message: {"$ref": f"#/components/messages/{message}"}},
        "bindings": {"amqp": {"is": "routingKey", "bindingVersion": AMQP_BINDING, "exchange": {
            "name": EXCHANGE, "type": "topic", "durable": True, "autoDelete": False, "vhost": "/"}}},
    }


def _message(key: str, schema: str, summary: str) -> dict:
    return {
        "name": key, "title": key, "summary": summary, "contentType": "application/json",
        "headers": {"type": "object", "properties": {
            "message_id": {"type": "string", "description": "the event's id (Envelope.id): a consumer's inbox "
                                                            "drops a repeat by it"}}},
        "payload": {"allOf": [{"$ref": f"{SCHEMAS}Envelope"},
                              {"type": "object", "properties": {"payload": {"$ref": f"{SCHEMAS}{schema}"}}}]},
        "bindings": {"amqp": {"contentEncoding": "utf-8", "messageType": key, "bindingVersion": AMQP_BINDING}},
    }


def asyncapi_document() -> dict:
    channels, operations, messages, schemas = {}, {}, {}, {}
    # The platform's contracts only: a test's own event classes register themselves too.
    platform = [e for e in registered_events().values() if e.__module__.startswith("pfdo_events.")]
    for event in sorted(platform, key=lambda e: (e.event_type, e.event_version)):
        key = f"{event.event_type}.v{event.event_version}"
        name = event.__name__ + (f"V{event.event_version}" if event.event_version > 1 else "")
        schemas[name] = event.model_json_schema(ref_template=SCHEMAS + "{model}")
        for sub_name, sub in schemas[name].pop("$defs", {}).items():
            schemas.setdefault(sub_name, sub)
        description = " ".join((event.__doc__ or "").split())
        channels[key] = _channel(key, name, description)
        messages[name] = _message(key, name, description)
        operations[f"publish_{key.replace('.', '_')}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{key}"},
            "title": f"{_publisher(event.event_type)} publishes {key}",
            "summary": f"published by {_publisher(event.event_type)} through its outbox, in the change's transaction",
            "messages": [{"$ref": f"#/channels/{key}/messages/{name}"}],
            "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": AMQP_BINDING}},
        }
    envelope = Envelope.model_json_schema(ref_template=SCHEMAS + "{model}")
    envelope.pop("$defs", None)
    schemas["Envelope"] = envelope
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "PFDO events", "version": "1", "description": (
            "The PFDO platform's events on RabbitMQ: one durable topic exchange, pfdo.events; the routing key is "
            "`<event type>.v<version>`. Every event is published through the outbox in the change's transaction "
            "and taken through the inbox in the effect's transaction: nothing lost, no effect twice. Messages are "
            "persistent (deliveryMode 2); a consumer acks after its commit; poison goes to its dead-letter "
            "queue.")},
        "servers": {"rabbitmq": {"host": "127.0.0.1:5672", "protocol": "amqp", "protocolVersion": "0-9-1",
                                 "description": "the installation's RabbitMQ (each process's *_AMQP_URL)"}},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
