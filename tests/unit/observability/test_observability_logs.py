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


def test_timestamp_follows_each_record_across_seconds() -> None:
    fmt = JsonFormatter()
    stamps = []
    for created in (1_800_000_000.25, 1_800_000_000.75, 1_800_000_061.5, 1_800_000_000.125):
        rec = _record("tick")
        rec.created, rec.msecs = created, (created - int(created)) * 1000
        stamps.append(json.loads(fmt.format(rec))["ts"])
    assert stamps == [
        "2027-01-15T08:00:00.250Z",
        "2027-01-15T08:00:00.750Z",
        "2027-01-15T08:01:01.500Z",
        "2027-01-15T08:00:00.125Z",
    ]


def test_access_line_names_route_status_duration_and_request_id() -> None:
    """The middleware's own line: built without `Logger.info` (no caller lookup), same content as before."""
    import asyncio
    import io
    import threading

    from starlette.types import Message, Receive, Scope, Send

    from townsquare.observability.logs import RequestContext, access_log

    class Route:
        path = "/api/v1/things/{thing_id}"

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = Route()
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    access_log.addHandler(handler)
    old_level = access_log.level
    access_log.setLevel(logging.INFO)
    try:
        scope = {
            "type": "http",
            "method": "PUT",
            "path": "/api/v1/things/7",
            "headers": [(b"x-request-id", b"r-9")],
        }
        # on a thread of its own: another test of the session may leave an event loop running on this one
        worker = threading.Thread(target=asyncio.run, args=(RequestContext(app)(scope, receive, send),))
        worker.start()
        worker.join()
    finally:
        access_log.removeHandler(handler)
        access_log.setLevel(old_level)
    (line,) = stream.getvalue().splitlines()
    data = json.loads(line)
    assert data["msg"] == "PUT /api/v1/things/{thing_id} 201" and data["logger"] == "townsquare.access"
    assert (
        data["status"] == 201 and data["route"] == "/api/v1/things/{thing_id}" and data["request_id"] == "r-9"
    )
    assert isinstance(data["duration_ms"], float) and data["duration_ms"] >= 0
    assert (b"x-request-id", b"r-9") in sent[0]["headers"]
