"""The atproto labeler driven by the real `atproto` SDK against a running server (uvicorn on loopback).

Every label read through queryLabels and subscribeLabels has its signature verified with the SDK's crypto
(`atproto_crypto.verify.verify_signature`) against the labeler's did:key; a negation follows a reversal; the
stream resumes from a cursor; a cursor ahead of the stream gets the `FutureCursor` error frame.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import libipld
import pytest
from atproto_client import Client, models
from atproto_client.models.utils import get_or_create
from atproto_client.request import Request
from atproto_crypto.verify import verify_signature
from atproto_firehose import FirehoseSubscribeLabelsClient, parse_subscribe_labels_message
from atproto_subscription.frames import ErrorFrame, Frame
from connectors_helpers import act, seed_posts, serve
from websockets.sync.client import connect

from townsquare.api.app import create_app
from townsquare.connectors import config
from townsquare.connectors.atproto import keys, sync
from townsquare.policy.enforce import reverse_action
from townsquare.storage.db import Database

DID = "did:web:labeler.townsquare.test"
AUTHOR = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
POST_A = f"at://{AUTHOR}/app.bsky.feed.post/3l6oveex3ii2l"
POST_B = f"at://{AUTHOR}/app.bsky.feed.post/3l6ovf2dlfq2x"


@pytest.fixture(params=["secp256k1", "p256"])
def labeler(request: pytest.FixtureRequest, db: Database, tmp_path: Path) -> keys.LabelerKey:
    key = keys.generate(request.param)
    path = tmp_path / "labeler.pem"
    keys.save(key, path)
    with db.session() as s:
        config.save(s, config.ATPROTO_KEY, {"did": DID, "key_file": str(path)}, actor="test")
    return keys.load(path)


@pytest.fixture
def server(settings: Any, db: Database) -> Iterator[str]:
    with serve(create_app(settings, db)) as url:
        yield url


def _seed(db: Database, key: keys.LabelerKey) -> dict[str, int]:
    seed_posts(
        db,
        [
            {"id": POST_A, "author": AUTHOR, "text": "first post", "lang": "en"},
            {"id": POST_B, "author": AUTHOR, "text": "second post", "lang": "en"},
        ],
    )
    ids = {
        "a": act(db, "post", POST_A, "remove", "hate.dehumanisation"),
        "b": act(db, "post", POST_B, "label", "misinfo.harmful"),
    }
    with db.session() as s:
        sync.sync(s, key, did=DID)
    return ids


def _label_from_json(raw: dict[str, Any]) -> Any:
    """atproto JSON carries bytes as {"$bytes": base64}; the SDK's Label model wants bytes."""
    data = dict(raw)
    sig = data["sig"]["$bytes"]
    data["sig"] = base64.b64decode(sig + "=" * (-len(sig) % 4))
    return get_or_create(data, models.ComAtprotoLabelDefs.Label)


def _verified(label: Any, did_key: str) -> bool:
    unsigned = {"ver": label.ver, "src": label.src, "uri": label.uri, "val": label.val, "cts": label.cts}
    for name in ("cid", "exp"):
        if getattr(label, name):
            unsigned[name] = getattr(label, name)
    if label.neg:
        unsigned["neg"] = True
    return verify_signature(did_key, bytes(libipld.encode_dag_cbor(unsigned)), bytes(label.sig))


def _query(url: str, patterns: list[str], **extra: Any) -> dict[str, Any]:
    # A generous read timeout: the machine running the suite may be shared (a hang guard, not a timing test).
    client = Client(base_url=f"{url}/xrpc", request=Request(timeout=60))
    params = models.ComAtprotoLabelQueryLabels.Params(uri_patterns=patterns, **extra)
    response = client.invoke_query("com.atproto.label.queryLabels", params=params)
    assert response.success, response.content
    assert isinstance(response.content, dict)
    return response.content


def test_query_labels_through_the_sdk_are_signed(db: Database, labeler: keys.LabelerKey, server: str) -> None:
    _seed(db, labeler)
    body = _query(server, [f"at://{AUTHOR}/*"])
    found = [_label_from_json(raw) for raw in body["labels"]]
    assert {(lab.uri, lab.val) for lab in found} == {
        (POST_A, "hate-dehumanisation"),
        (POST_A, "!hide"),
        (POST_B, "misinfo-harmful"),
    }
    assert all(lab.src == DID and lab.ver == 1 and not lab.neg for lab in found)
    assert all(_verified(lab, labeler.did_key) for lab in found)
    forged = found[0].model_copy(update={"val": "something-else"})
    assert not _verified(forged, labeler.did_key)
    assert _query(server, [POST_B])["labels"][0]["val"] == "misinfo-harmful"
    assert _query(server, [POST_B], sources=["did:web:someone.else"])["labels"] == []


def test_reversal_is_a_signed_negation_and_pages_resume(
    db: Database, labeler: keys.LabelerKey, server: str
) -> None:
    ids = _seed(db, labeler)
    with db.session() as s:
        reverse_action(s, action_id=ids["b"], actor="mod:ben", reason="Context showed it was satire.")
    with db.session() as s:
        assert sync.sync(s, labeler, did=DID) == 1
        assert sync.sync(s, labeler, did=DID) == 0  # idempotent: nothing signed twice
    current = [_label_from_json(r) for r in _query(server, [POST_B])["labels"]]
    assert [(lab.val, lab.neg) for lab in current] == [("misinfo-harmful", True)]
    assert _verified(current[0], labeler.did_key)
    first = _query(server, [f"at://{AUTHOR}/*"], limit=2)
    assert len(first["labels"]) == 2 and first["cursor"]
    rest = _query(server, [f"at://{AUTHOR}/*"], limit=2, cursor=first["cursor"])
    assert len(rest["labels"]) == 1 and "cursor" not in rest


def test_bad_query_is_a_problem_with_an_xrpc_error(
    db: Database, labeler: keys.LabelerKey, server: str
) -> None:
    import httpx

    r = httpx.get(
        f"{server}/xrpc/com.atproto.label.queryLabels", params={"uriPatterns": "at://x*y"}, timeout=60
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["error"] == "InvalidRequest"
    r = httpx.get(f"{server}/xrpc/com.atproto.label.queryLabels", timeout=60)
    assert r.status_code == 400


def _subscribe(url: str, cursor: int, want: int) -> list[tuple[int, Any]]:
    client = FirehoseSubscribeLabelsClient(
        base_uri=f"{url.replace('http', 'ws')}/xrpc", params={"cursor": cursor}
    )
    got: list[tuple[int, Any]] = []

    def on_message(message: Any) -> None:
        parsed = parse_subscribe_labels_message(message)
        for label in parsed.labels:
            got.append((parsed.seq, label))
        if len(got) >= want:
            client.stop()

    thread = threading.Thread(target=client.start, args=(on_message,), daemon=True)
    thread.start()
    thread.join(60)  # a hang guard, not a timing assertion
    client.stop()
    return got


def test_subscribe_labels_through_the_sdk_replays_and_resumes(
    db: Database, labeler: keys.LabelerKey, server: str
) -> None:
    ids = _seed(db, labeler)
    with db.session() as s:
        reverse_action(s, action_id=ids["a"], actor="mod:ben", reason="Appeal upheld.")
        sync.sync(s, labeler, did=DID)
    everything = _subscribe(server, 0, 5)
    assert [seq for seq, _ in everything] == [1, 2, 3, 4, 5]
    assert all(_verified(lab, labeler.did_key) for _, lab in everything)
    assert [(lab.val, bool(lab.neg)) for _, lab in everything][-2:] == [
        ("hate-dehumanisation", True),
        ("!hide", True),
    ]
    resumed = _subscribe(server, 3, 2)
    assert [seq for seq, _ in resumed] == [4, 5]


def test_future_cursor_gets_an_error_frame(db: Database, labeler: keys.LabelerKey, server: str) -> None:
    _seed(db, labeler)
    ws_url = f"{server.replace('http', 'ws')}/xrpc/com.atproto.label.subscribeLabels?cursor=999"
    with connect(ws_url) as ws:
        frame = Frame.from_bytes(ws.recv(10))
    assert isinstance(frame, ErrorFrame)
    assert frame.body.error == "FutureCursor"


def test_live_labels_reach_a_subscriber(db: Database, labeler: keys.LabelerKey, server: str) -> None:
    ids = _seed(db, labeler)  # seq 1..3
    got: list[tuple[int, Any]] = []
    done = threading.Event()
    client = FirehoseSubscribeLabelsClient(
        base_uri=f"{server.replace('http', 'ws')}/xrpc", params={"cursor": 3}
    )

    def on_message(message: Any) -> None:
        parsed = parse_subscribe_labels_message(message)
        got.extend((parsed.seq, lab) for lab in parsed.labels)
        if len(got) >= 1:
            done.set()
            client.stop()

    thread = threading.Thread(target=client.start, args=(on_message,), daemon=True)
    thread.start()
    with db.session() as s:
        reverse_action(s, action_id=ids["b"], actor="mod:ben", reason="Satire.")
        sync.sync(s, labeler, did=DID)  # signed after the subscriber connected (or while it connects)
    thread.join(60)  # a hang guard, not a timing assertion
    client.stop()
    assert done.is_set()
    assert [(seq, lab.val, bool(lab.neg)) for seq, lab in got] == [(4, "misinfo-harmful", True)]
    assert _verified(got[0][1], labeler.did_key)
