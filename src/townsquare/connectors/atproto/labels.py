"""Signed atproto labels: what a label says, how it is signed, stored in emission order and queried.

Signing follows the atproto label spec: the label object *without* `sig` (with `ver: 1`; `cid`, `exp` and `neg`
present only when set, `neg` only when true) is encoded as DAG-CBOR, and that byte string is signed with the
labeler's key (ECDSA over SHA-256). A consumer rebuilds the same bytes from the label it received and checks the
signature against the `#atproto_label` key of the labeler's DID document.

Values come from the policy: a rule id `hate.dehumanisation` becomes the custom value `hate-dehumanisation`
(declared in the service record, `service.py`); removals and account suspensions/bans add the global `!hide`, age
restrictions the global `!warn`. A reversed action is answered with a negation (`neg: true`) of each value it
emitted that no other action in force still carries.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import libipld
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from townsquare.connectors.atproto.keys import LabelerKey
from townsquare.core import clock
from townsquare.core.errors import Invalid
from townsquare.storage.models import AtprotoLabel

VERSION = 1
MAX_LIMIT = 250
MAX_PATTERNS = 50
GLOBAL_VALUES: dict[str, tuple[str, ...]] = {
    "remove": ("!hide",),
    "suspend": ("!hide",),
    "permanent_ban": ("!hide",),
    "age_restrict": ("!warn",),
}
_NEWER = aliased(AtprotoLabel)  # built once: aliasing per call costs more than the query itself
_VALUE = re.compile(r"^[a-z][a-z-]{0,127}$")


def rule_value(rule_id: str) -> str:
    """The custom label value of a policy rule: lower-case ASCII letters and hyphens (atproto's syntax)."""
    value = re.sub(r"[^a-z]+", "-", rule_id.lower()).strip("-")
    if not _VALUE.match(value):
        raise Invalid(f"rule id {rule_id!r} gives no valid label value")
    return value


def values_for(action: str, rule_id: str) -> list[str]:
    """Label values an action emits: the rule's own value, then the global values its strength implies."""
    return [rule_value(rule_id), *GLOBAL_VALUES.get(action, ())]


def now_cts() -> str:
    """atproto datetime: UTC, millisecond precision, `Z` suffix (what the reference implementation writes)."""
    now = clock.now().astimezone(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Label:
    src: str
    uri: str
    val: str
    cts: str
    cid: str | None = None
    neg: bool = False
    exp: str | None = None
    sig: bytes = b""

    def unsigned(self) -> dict[str, Any]:
        """The object that is signed (and the CBOR body before `sig`)."""
        out: dict[str, Any] = {
            "ver": VERSION,
            "src": self.src,
            "uri": self.uri,
            "val": self.val,
            "cts": self.cts,
        }
        if self.cid:
            out["cid"] = self.cid
        if self.neg:
            out["neg"] = True
        if self.exp:
            out["exp"] = self.exp
        return out

    def signing_bytes(self) -> bytes:
        return bytes(libipld.encode_dag_cbor(self.unsigned()))

    def to_cbor_obj(self) -> dict[str, Any]:
        return {**self.unsigned(), "sig": self.sig}

    def to_json(self) -> dict[str, Any]:
        """JSON form: bytes as `{"$bytes": <base64, no padding>}` (atproto data model)."""
        return {**self.unsigned(), "sig": {"$bytes": base64.b64encode(self.sig).decode("ascii").rstrip("=")}}

    @classmethod
    def of(cls, row: AtprotoLabel) -> Label:
        return cls(row.src, row.uri, row.val, row.cts, row.cid, bool(row.neg), row.exp, bytes(row.sig))


def sign_label(key: LabelerKey, label: Label) -> Label:
    return replace(label, sig=key.sign(label.signing_bytes()))


def emit(
    session: Session,
    key: LabelerKey,
    *,
    src: str,
    uri: str,
    val: str,
    idempotency_key: str,
    cid: str | None = None,
    neg: bool = False,
    action_id: int | None = None,
) -> AtprotoLabel | None:
    """Sign and store one label unless `idempotency_key` was already emitted (then None)."""
    if session.scalar(select(AtprotoLabel.seq).where(AtprotoLabel.key == idempotency_key)) is not None:
        return None
    label = sign_label(key, Label(src=src, uri=uri, val=val, cts=now_cts(), cid=cid, neg=neg))
    row = AtprotoLabel(
        src=src,
        uri=uri,
        cid=cid,
        val=val,
        neg=neg,
        cts=label.cts,
        exp=None,
        sig=label.sig,
        action_id=action_id,
        key=idempotency_key,
    )
    session.add(row)
    session.flush()
    return row


def _pattern_clause(pattern: str) -> Any:
    if pattern == "*":
        return AtprotoLabel.uri.is_not(None)
    if pattern.endswith("*"):
        raw = pattern[:-1]
        prefix = raw.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        # `>=` lets both databases walk the uri index from the prefix; LIKE keeps the match exact.
        return and_(AtprotoLabel.uri >= raw, AtprotoLabel.uri.like(prefix + "%", escape="\\"))
    if "*" in pattern:
        raise Invalid(f"uriPatterns: '*' is allowed only at the end ({pattern!r})")
    return AtprotoLabel.uri == pattern


def query(
    session: Session,
    *,
    uri_patterns: list[str],
    sources: list[str] | None,
    own_did: str,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Label], str | None]:
    """Current labels (the latest record per uri, cid and value: a negation replaces its label), oldest first."""
    if not uri_patterns:
        raise Invalid("uriPatterns: at least one pattern is required")
    if len(uri_patterns) > MAX_PATTERNS:
        raise Invalid(f"uriPatterns: at most {MAX_PATTERNS} patterns")
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit must be between 1 and {MAX_LIMIT}")
    after = 0
    if cursor:
        if not cursor.isdigit():
            raise Invalid("cursor must be the decimal seq returned by an earlier call")
        after = int(cursor)
    if sources and own_did not in sources:
        return [], None
    newer = _NEWER
    superseded = (
        select(newer.seq)
        .where(
            newer.uri == AtprotoLabel.uri,
            newer.val == AtprotoLabel.val,
            func.coalesce(newer.cid, "") == func.coalesce(AtprotoLabel.cid, ""),
            newer.seq > AtprotoLabel.seq,
        )
        .exists()
    )
    stmt = (
        select(AtprotoLabel)
        .where(or_(*[_pattern_clause(p) for p in uri_patterns]), AtprotoLabel.seq > after, ~superseded)
        .order_by(AtprotoLabel.seq)
        .limit(limit)
    )
    rows = list(session.scalars(stmt))
    next_cursor = str(rows[-1].seq) if len(rows) == limit else None
    return [Label.of(r) for r in rows], next_cursor


def after_seq(session: Session, seq: int, limit: int = 500) -> list[tuple[int, Label]]:
    """Every label record (negations included) after `seq`: what subscribeLabels replays."""
    rows = session.scalars(
        select(AtprotoLabel).where(AtprotoLabel.seq > seq).order_by(AtprotoLabel.seq).limit(limit)
    )
    return [(r.seq, Label.of(r)) for r in rows]


def head_seq(session: Session) -> int:
    return int(session.scalar(select(func.max(AtprotoLabel.seq))) or 0)


def parse_cts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
