"""Enforcement outcomes to Mastodon through its admin API (Mastodon.py), via the connectors' outbox.

`plan` reads outcomes from the audit chain (cursor `mastodon.actions`) and reports whose case was decided, and
queues the calls they imply; `deliver` sends due calls. Keys carry Mastodon ids (`account:<id>:action:<n>`,
`report:<id>:resolve`), so a re-read or a restart never queues a second call for the same decision.

Mapping (docs/connectors/mastodon.md has the table and its reasons): Mastodon acts on accounts, not on single
statuses, so post actions map to the nearest account action or to nothing:

    post label -> nothing (no per-status label in the admin API)      account warn -> `none` (a warning)
    post limit_reach -> `silence` (the account is limited)            account suspend -> `disable` (login off)
    post age_restrict -> `sensitive` (its media marked sensitive)     account permanent_ban -> `suspend`
    post remove -> `none` with the statement (no status deletion in the admin API)

Reversals: `silence` -> unsilence, `sensitive` -> unsensitive, `disable` -> enable, `suspend` -> unsuspend; a
warning cannot be withdrawn. The statement of reasons (and the decision's link) is the warning `text`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.connectors import cursor, outbox
from townsquare.connectors.config import MastodonConfig
from townsquare.connectors.mastodon import ids
from townsquare.core.enums import ActionStatus
from townsquare.settings import get_settings
from townsquare.storage.db import Database
from townsquare.storage.models import Action, ConnectorLink, Report

CONNECTOR = "mastodon"
CURSOR = "mastodon.actions"
MAX_TEXT = 2000
TYPE_OF: dict[tuple[str, str], str | None] = {
    ("post", "label"): None,
    ("post", "limit_reach"): "silence",
    ("post", "age_restrict"): "sensitive",
    ("post", "remove"): "none",
    ("account", "warn"): "none",
    ("account", "suspend"): "disable",
    ("account", "permanent_ban"): "suspend",
}
UNDO = {"silence": "unsilence", "sensitive": "unsensitive", "disable": "enable", "suspend": "unsuspend"}


def mastodon_type(action: Action) -> str | None:
    return TYPE_OF.get((action.subject_type, action.action))


def decision_link(action: Action) -> str:
    base = get_settings().public_url.rstrip("/")
    if not base:
        return ""
    if action.post_id:
        return f"{base}/posts/{quote(action.post_id, safe='')}"
    return f"{base}/transparency"


def statement_text(action: Action) -> str:
    """The warning Mastodon shows the person: the ground, the explanation, the facts, the decision id and link."""
    st = action.statement if isinstance(action.statement, dict) else {}
    parts = [
        str(st.get("incompatible_content_ground") or st.get("illegal_content_legal_ground") or ""),
        str(st.get("incompatible_content_explanation") or st.get("illegal_content_explanation") or ""),
        str(st.get("decision_facts") or ""),
    ]
    link = decision_link(action)
    tail = f"Decision {action.puid}" + (f": {link}" if link else "")
    body = "\n\n".join(p.strip() for p in parts if p.strip())
    return (body[: MAX_TEXT - len(tail) - 2] + "\n\n" + tail) if body else tail


def _remote_report(session: Session, action: Action) -> str | None:
    if action.case_id is None:
        return None
    report_ids = [str(i) for i in session.scalars(select(Report.id).where(Report.case_id == action.case_id))]
    if not report_ids:
        return None
    link = session.scalars(
        select(ConnectorLink).where(
            ConnectorLink.connector == CONNECTOR,
            ConnectorLink.local_kind == "report",
            ConnectorLink.local_id.in_(report_ids),
        )
    ).first()
    return link.remote_id if link else None


def _types_in_force(session: Session, account_id: str, *, besides: int) -> set[str]:
    rows = session.scalars(
        select(Action).where(
            Action.account_id == account_id, Action.status == ActionStatus.ACTIVE.value, Action.id != besides
        )
    )
    return {t for t in (mastodon_type(a) for a in rows) if t}


def _plan_action(session: Session, cfg: MastodonConfig, outcome: cursor.Outcome) -> bool:
    action = outcome.action
    remote = ids.remote_account(action.account_id)
    if remote is None or (action.automated and not cfg.push_automated):
        return False
    kind = mastodon_type(action)
    if outcome.change == cursor.APPLIED:
        payload: dict[str, Any] = {
            "account_id": remote,
            "type": kind,
            "text": statement_text(action),
            "report_id": _remote_report(session, action),
            "action_id": action.id,
            "puid": action.puid,
            "why_not": None if kind else f"{action.subject_type} {action.action} has no Mastodon equivalent",
        }
        return outbox.enqueue(
            session, connector=CONNECTOR, key=f"account:{remote}:action:{action.id}", kind="account_action",
            payload=payload,
        )  # fmt: skip
    undo = UNDO.get(kind or "")
    if undo is None or kind in _types_in_force(session, action.account_id or "", besides=action.id):
        return False
    return outbox.enqueue(
        session, connector=CONNECTOR, key=f"account:{remote}:undo:{action.id}", kind="account_undo",
        payload={"account_id": remote, "verb": undo, "action_id": action.id, "puid": action.puid},
    )  # fmt: skip


def _plan_reports(session: Session) -> int:
    """Reports from Mastodon whose every townsquare report has an outcome: resolve them on Mastodon."""
    queued = 0
    links = session.scalars(
        select(ConnectorLink).where(
            ConnectorLink.connector == CONNECTOR, ConnectorLink.remote_kind == "report"
        )
    ).all()
    by_remote: dict[str, list[ConnectorLink]] = {}
    for link in links:
        by_remote.setdefault(link.remote_id, []).append(link)
    for remote, group in by_remote.items():
        if any((link.extra or {}).get("resolve_queued") for link in group):
            continue
        outcomes = [
            session.scalar(select(Report.outcome).where(Report.id == int(link.local_id))) for link in group
        ]
        if not outcomes or any(o is None for o in outcomes):
            continue
        queued += outbox.enqueue(
            session, connector=CONNECTOR, key=f"report:{remote}:resolve", kind="report_resolve",
            payload={"report_id": remote, "outcomes": outcomes},
        )  # fmt: skip
        for link in group:
            link.extra = {**(link.extra or {}), "resolve_queued": True}
    session.flush()
    return queued


def plan(session: Session, cfg: MastodonConfig, *, limit: int = 500) -> int:
    """Queue the calls owed for new outcomes and decided reports; returns how many rows were queued."""
    outcomes, last = cursor.pending_outcomes(session, CURSOR, limit=limit)
    queued = sum(_plan_action(session, cfg, o) for o in outcomes)
    cursor.put(session, CURSOR, last)
    return queued + _plan_reports(session)


def client(cfg: MastodonConfig, *, timeout: float = 10.0) -> Any:
    from mastodon import Mastodon

    return Mastodon(
        access_token=cfg.token,
        api_base_url=cfg.url,
        ratelimit_method="throw",
        request_timeout=timeout,
        version_check_mode="none",
    )


def sender(api: Any) -> Any:
    """`send(kind, payload)` for the outbox, over a Mastodon.py client."""
    from mastodon import MastodonAPIError, MastodonNotFoundError, MastodonUnauthorizedError

    def send(kind: str, payload: dict[str, Any]) -> None:
        try:
            if kind == "account_action":
                if not payload.get("type"):
                    raise outbox.Skip(str(payload.get("why_not") or "no Mastodon equivalent"))
                api.admin_account_moderate(
                    payload["account_id"],
                    action=payload["type"],
                    report_id=payload.get("report_id"),
                    text=payload.get("text"),
                    send_email_notification=True,
                )
            elif kind == "account_undo":
                getattr(api, f"admin_account_{payload['verb']}")(payload["account_id"])
            elif kind == "report_resolve":
                api.admin_report_resolve(payload["report_id"])
            else:
                raise outbox.Permanent(f"unknown outbox kind {kind!r}")
        except (MastodonNotFoundError, MastodonUnauthorizedError) as exc:
            raise outbox.Permanent(f"{type(exc).__name__}: {exc}") from None
        except MastodonAPIError as exc:
            status = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
            if status in (400, 403, 422):
                raise outbox.Permanent(f"HTTP {status}: {exc}") from None
            raise

    return send


def deliver(
    db: Database, cfg: MastodonConfig, *, api: Any = None, limit: int = 100, timeout: float = 10.0
) -> outbox.DeliveryResult:
    return outbox.deliver(db, CONNECTOR, sender(api or client(cfg, timeout=timeout)), limit=limit)
