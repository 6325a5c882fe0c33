"""Pure pieces of the connectors: label signing (verified by the atproto SDK), frames (parsed by the SDK),
Mastodon HTML to text, webhook signatures, the action mapping, and the layering rule."""

from __future__ import annotations

import ast
from pathlib import Path

import libipld
import pytest
from atproto_client import models
from atproto_client.models.utils import get_or_create
from atproto_crypto.verify import verify_signature
from atproto_firehose import parse_subscribe_labels_message
from atproto_subscription.frames import ErrorFrame, Frame, MessageFrame
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.connectors.atproto import frames, keys, labels
from townsquare.connectors.mastodon import html, ids, signature
from townsquare.connectors.mastodon.outbound import TYPE_OF, UNDO
from townsquare.core.enums import ACCOUNT_ACTIONS, POST_ACTIONS, ActionType

SRC = Path(__file__).resolve().parents[3] / "src" / "townsquare"


def _label(**kw: object) -> labels.Label:
    base: dict[str, object] = {
        "src": "did:web:labeler.test",
        "uri": "at://did:plc:abc/app.bsky.feed.post/3k",
        "val": "spam-scam",
        "cts": "2026-12-01T10:00:00.000Z",
    }
    base.update(kw)
    return labels.Label(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("curve", ["secp256k1", "p256"])
def test_signed_label_verifies_with_the_sdk_and_a_change_breaks_it(curve: str) -> None:
    key = keys.generate(curve)
    for label in (
        _label(),
        _label(neg=True, cid="bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a"),
    ):
        signed = labels.sign_label(key, label)
        assert len(signed.sig) == 64
        assert verify_signature(key.did_key, signed.signing_bytes(), signed.sig)
        changed = labels.Label(**{**signed.__dict__, "val": "other"})
        assert not verify_signature(key.did_key, changed.signing_bytes(), signed.sig)
    other = keys.generate(curve)
    signed = labels.sign_label(key, _label())
    assert not verify_signature(other.did_key, signed.signing_bytes(), signed.sig)


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=0, max_size=64))
def test_signatures_are_low_s(data: bytes) -> None:
    key = keys.generate("secp256k1")
    sig = key.sign(data)
    s = int.from_bytes(sig[32:], "big")
    assert s <= keys.CURVES["secp256k1"][2] // 2
    assert verify_signature(key.did_key, data, sig)  # the SDK refuses high-S signatures


def test_unsigned_form_omits_unset_fields_and_false_neg() -> None:
    assert _label().unsigned() == {
        "ver": 1,
        "src": "did:web:labeler.test",
        "uri": "at://did:plc:abc/app.bsky.feed.post/3k",
        "val": "spam-scam",
        "cts": "2026-12-01T10:00:00.000Z",
    }
    assert _label(neg=True).unsigned()["neg"] is True


def test_key_file_round_trip(tmp_path: Path) -> None:
    key = keys.generate("p256")
    keys.save(key, tmp_path / "k.pem")
    assert keys.load(tmp_path / "k.pem").did_key == key.did_key
    with pytest.raises(keys.KeyError_):
        keys.save(key, tmp_path / "k.pem")
    (tmp_path / "bad.pem").write_text("nope")
    with pytest.raises(keys.KeyError_):
        keys.load(tmp_path / "bad.pem")
    with pytest.raises(keys.KeyError_):
        keys.generate("ed25519")


def test_frames_parse_with_the_sdk() -> None:
    key = keys.generate()
    signed = labels.sign_label(key, _label())
    frame = Frame.from_bytes(frames.labels(7, [signed]))
    assert isinstance(frame, MessageFrame) and frame.type == "#labels"
    message = parse_subscribe_labels_message(frame)
    assert (
        message.seq == 7
        and message.labels[0].val == "spam-scam"
        and bytes(message.labels[0].sig) == signed.sig
    )
    error = Frame.from_bytes(frames.error("FutureCursor", "ahead"))
    assert isinstance(error, ErrorFrame) and error.body.error == "FutureCursor"
    json_label = get_or_create(
        {**signed.to_json(), "sig": signed.sig}, models.ComAtprotoLabelDefs.Label
    )  # the JSON shape is the lexicon's
    assert json_label.uri == signed.uri
    assert libipld.decode_dag_cbor(signed.signing_bytes())["ver"] == 1


def test_rule_values_follow_atproto_syntax() -> None:
    assert labels.rule_value("hate.dehumanisation") == "hate-dehumanisation"
    assert labels.rule_value("self_harm.promotion") == "self-harm-promotion"
    assert labels.values_for("remove", "spam.scam") == ["spam-scam", "!hide"]
    assert labels.values_for("label", "misinfo.harmful") == ["misinfo-harmful"]


def test_mastodon_html_to_text() -> None:
    src = (
        '<p>Hello &amp; welcome<br>second line</p><p><a href="https://x.example/very-long">'
        '<span class="invisible">https://</span><span class="ellipsis">x.example/ve</span>'
        '<span class="invisible">ry-long</span></a></p>'
    )
    assert html.to_text(src) == "Hello & welcome\nsecond line\n\nx.example/ve"
    assert html.to_text("") == ""


def test_webhook_signature() -> None:
    body = b'{"event":"status.created"}'
    header = signature.sign("s3cret", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signature.verify("s3cret", body, header)
    assert not signature.verify("s3cret", body + b" ", header)
    assert not signature.verify("other", body, header)
    assert not signature.verify("", body, header) and not signature.verify("s3cret", body, None)


def test_ids_round_trip() -> None:
    assert ids.remote_status(ids.post_id("42", "2026-01-01T00:00:00Z")) == "42"
    assert ids.remote_account(ids.account_id("7")) == "7"
    assert ids.remote_account("did:plc:x") is None


def test_every_action_has_a_stated_mastodon_mapping() -> None:
    covered = {a for (_, a) in TYPE_OF}
    assert {a.value for a in POST_ACTIONS if a is not ActionType.NONE} | {
        a.value for a in ACCOUNT_ACTIONS
    } == covered
    assert set(UNDO) == {t for t in TYPE_OF.values() if t not in (None, "none")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize("package", ["policy", "moderation", "council"])
def test_enforcement_never_imports_connectors(package: str) -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in sorted((SRC / package).rglob("*.py"))
        if any(name.startswith("townsquare.connectors") for name in _imports(path))
    ]
    assert list((SRC / package).rglob("*.py")), f"no modules found under {package}"
    assert offenders == []


def test_connectors_never_import_ads() -> None:
    offenders = [
        str(p)
        for p in (SRC / "connectors").rglob("*.py")
        if any(n.startswith("townsquare.ads") for n in _imports(p))
    ]
    assert offenders == []
