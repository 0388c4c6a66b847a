import json
import logging
import uuid

from pfdo_kit import context
from pfdo_kit.logs import JsonFormatter


def test_log_line_is_json_with_request_and_correlation_ids():
    corr = uuid.uuid4()
    rid_token, corr_token = context.request_id.set("req-7"), context.correlation_id.set(corr)
    try:
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "Заявка %s", ("принята",), None)
        record.provider_id = "p-1"
        line = json.loads(JsonFormatter("registry").format(record))
    finally:
        context.request_id.reset(rid_token)
        context.correlation_id.reset(corr_token)
    assert line["msg"] == "Заявка принята" and line["level"] == "WARNING" and line["service"] == "registry"
    assert (line["request_id"], line["correlation_id"], line["provider_id"]) == ("req-7", str(corr), "p-1")
