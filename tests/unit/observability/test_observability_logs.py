"""JSON log lines carry the request id of the request they were written in, and never break on odd values."""

from __future__ import annotations

import json
import logging

from townsquare.observability.logs import REQUEST_ID, JsonFormatter


def _record(msg: str, **extra: object) -> logging.LogRecord:
    rec = logging.makeLogRecord({"name": "townsquare.test", "levelno": 20, "levelname": "INFO", "msg": msg})
    for k, v in extra.items():
        setattr(rec, k, v)
    return rec


def test_line_is_json_with_request_id_from_context() -> None:
    token = REQUEST_ID.set("rid-42")
    try:
        line = JsonFormatter().format(_record("batch done", batch=20, who=object()))
    finally:
        REQUEST_ID.reset(token)
    data = json.loads(line)
    assert data["request_id"] == "rid-42" and data["msg"] == "batch done" and data["level"] == "info"
    assert data["batch"] == 20 and data["who"].startswith("<object")
    assert data["ts"].endswith("Z")


def test_no_request_id_outside_a_request() -> None:
    data = json.loads(JsonFormatter().format(_record("worker started")))
    assert "request_id" not in data
