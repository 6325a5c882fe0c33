"""Enforcement outcomes become signed labels (and negations), read from the audit chain by cursor.

Subjects: a post whose id is an `at://` URI is labelled on that URI (with the record's CID when the Jetstream gave
one); an action on an account whose id is a DID labels the DID (an account label). Other subjects are not atproto
objects and are passed over. Idempotent: each label has a key (`action:<id>:<value>[:neg]`), so a crash between the
labels and the cursor update re-reads the outcomes and signs nothing twice.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.connectors import cursor
from townsquare.connectors.atproto import labels
from townsquare.connectors.atproto.keys import LabelerKey
from townsquare.core.enums import ActionStatus
from townsquare.storage.models import Action, AtprotoLabel, ConnectorLink

CURSOR = "atproto.labels"


def subject_uri(action: Action) -> str | None:
    if action.subject_type == "post" and action.post_id and action.post_id.startswith("at://"):
        return action.post_id
    if action.subject_type == "account" and action.account_id and action.account_id.startswith("did:"):
        return action.account_id
    return None


def _cid(session: Session, uri: str) -> str | None:
    link = session.scalars(
        select(ConnectorLink).where(
            ConnectorLink.connector == "atproto",
            ConnectorLink.local_kind == "post",
            ConnectorLink.local_id == uri,
        )
    ).first()
    cid = link.extra.get("cid") if link is not None and isinstance(link.extra, dict) else None
    return str(cid) if cid else None


def _values_in_force(session: Session, uri: str, *, besides: int) -> set[str]:
    """Values other active actions on the same subject still carry (a negation must not cancel those)."""
    column = Action.post_id if uri.startswith("at://") else Action.account_id
    out: set[str] = set()
    for other in session.scalars(
        select(Action).where(column == uri, Action.status == ActionStatus.ACTIVE.value, Action.id != besides)
    ):
        if subject_uri(other) == uri:
            out.update(labels.values_for(other.action, other.rule_id))
    return out


def sync(session: Session, key: LabelerKey, *, did: str, limit: int = 500) -> int:
    """Sign the labels owed for outcomes after the cursor; returns how many label records were written."""
    outcomes, last = cursor.pending_outcomes(session, CURSOR, limit=limit)
    written = 0
    for outcome in outcomes:
        action = outcome.action
        uri = subject_uri(action)
        if uri is None:
            continue
        cid = _cid(session, uri) if uri.startswith("at://") else None
        if outcome.change == cursor.APPLIED:
            for val in labels.values_for(action.action, action.rule_id):
                row = labels.emit(
                    session, key, src=did, uri=uri, val=val, cid=cid,
                    idempotency_key=f"action:{action.id}:{val}", action_id=action.id,
                )  # fmt: skip
                written += row is not None
            continue
        keep = _values_in_force(session, uri, besides=action.id)
        emitted = session.scalars(
            select(AtprotoLabel).where(AtprotoLabel.action_id == action.id, AtprotoLabel.neg.is_(False))
        )
        for prior in list(emitted):
            if prior.val in keep:
                continue
            row = labels.emit(
                session, key, src=did, uri=prior.uri, val=prior.val, cid=prior.cid, neg=True,
                idempotency_key=f"action:{action.id}:{prior.val}:neg", action_id=action.id,
            )  # fmt: skip
            written += row is not None
    cursor.put(session, CURSOR, last)
    return written
