"""Event-stream frames of atproto subscriptions: two DAG-CBOR objects back to back, header then body.

A message frame's header is `{"op": 1, "t": "#labels"}`; an error frame's is `{"op": -1}` with a body
`{"error": …, "message": …}` (after which the server closes the stream).
"""

from __future__ import annotations

from typing import Any

import libipld

from townsquare.connectors.atproto.labels import Label


def message(t: str, body: dict[str, Any]) -> bytes:
    return bytes(libipld.encode_dag_cbor({"op": 1, "t": t})) + bytes(libipld.encode_dag_cbor(body))


def error(name: str, text: str) -> bytes:
    return bytes(libipld.encode_dag_cbor({"op": -1})) + bytes(
        libipld.encode_dag_cbor({"error": name, "message": text})
    )


def labels(seq: int, batch: list[Label]) -> bytes:
    return message("#labels", {"seq": seq, "labels": [lab.to_cbor_obj() for lab in batch]})


def info(name: str, text: str) -> bytes:
    return message("#info", {"name": name, "message": text})
