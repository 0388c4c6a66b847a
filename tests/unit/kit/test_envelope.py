import json
import uuid

import pytest
from pydantic import ValidationError

from pfdo_events import Envelope, decode
from pfdo_events.envelope import UnknownEvent
from pfdo_events.registry import ProviderApproved, ProviderSnapshot

SNAPSHOT = ProviderSnapshot(provider_id=uuid.uuid4(), status="approved", kind="private", short_name="ООО «Робокласс»",
                            inn="7707083893", municipality="chegem")


def test_envelope_round_trip_keeps_every_field():
    cause = uuid.uuid4()
    env = Envelope.wrap(ProviderApproved(provider=SNAPSHOT, actor="operator:1"), district="chegem",
                        correlation_id=cause, causation_id=cause)
    assert env.routing_key == "registry.provider.approved.v1"
    back, event = decode(env.model_dump_json().encode())
    assert back == env
    assert isinstance(event, ProviderApproved) and event.provider == SNAPSHOT


def test_new_chain_correlates_to_itself():
    env = Envelope.wrap(ProviderApproved(provider=SNAPSHOT, actor="a"), district="d")
    assert env.correlation_id == env.id and env.causation_id is None


def test_unknown_version_and_bad_payload_are_refused():
    env = Envelope.wrap(ProviderApproved(provider=SNAPSHOT, actor="a"), district="d")
    raw = json.loads(env.model_dump_json())
    with pytest.raises(UnknownEvent):
        decode(json.dumps({**raw, "version": 9}).encode())
    with pytest.raises(ValidationError):
        decode(json.dumps({**raw, "payload": {"actor": "a"}}).encode())
    with pytest.raises(ValidationError):
        decode(b"not json")
