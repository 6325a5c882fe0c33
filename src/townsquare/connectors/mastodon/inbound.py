"""Mastodon admin webhook events into townsquare: statuses become posts, reports become reports, accounts accounts.

Handled events: `status.created`, `status.updated`, `report.created`, `account.created` (others are acknowledged
and ignored). Everything runs in the caller's transaction: a malformed event raises before anything is kept
(invariant 4), and a redelivered event changes nothing (posts are idempotent by id, report submissions by
content, links by their unique key).

Report categories: `spam` -> spam; `legal` -> illegal (the reporter's comment is the legal ground, Mastodon has no
separate field); `violation` -> other, with the instance rules cited in the text; `other` -> other. Each attached
status becomes a report on that post; a report without statuses is a report on the target account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.connectors.mastodon import ids
from townsquare.connectors.mastodon.html import to_text
from townsquare.core.errors import Invalid
from townsquare.moderation.reports import submit_report
from townsquare.posts.ingest import ensure_accounts, ingest
from townsquare.storage.models import Account, ConnectorLink

CONNECTOR = "mastodon"
EVENTS = ("status.created", "status.updated", "report.created", "account.created")


@dataclass
class Handled:
    event: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    reports: list[int] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    ignored: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "status": "ignored" if self.ignored else "accepted",
            "posts": self.posts,
            "reports": self.reports,
            "accounts": self.accounts,
        }


def _obj(doc: Any, key: str) -> dict[str, Any]:
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, dict):
        raise Invalid(f"{key}: expected a JSON object")
    return value


def _id(obj: dict[str, Any], what: str) -> str:
    value = obj.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{what}.id: required")
    return value


def _lang(value: Any) -> str | None:
    return value.split("-")[0].lower() if isinstance(value, str) and value else None


def status_item(status: dict[str, Any]) -> dict[str, Any] | None:
    """A Mastodon Status as a townsquare post item; None for a boost (it has no text of its own)."""
    if status.get("reblog"):
        return None
    account = _obj(status, "account")
    text = to_text(str(status.get("content") or ""))
    warning = str(status.get("spoiler_text") or "").strip()
    if warning:
        text = f"{warning}\n\n{text}" if text else warning
    item: dict[str, Any] = {
        "id": ids.post_id(_id(status, "status"), status.get("edited_at") or None),
        "author": ids.account_id(_id(account, "status.account")),
        "text": text,
        "lang": _lang(status.get("language")),
        "created_at": status.get("created_at"),
    }
    if status.get("in_reply_to_id"):
        item["reply_to"] = ids.post_id(str(status["in_reply_to_id"]))
    return item


def _name_account(session: Session, local_id: str, handle: Any, display: Any) -> None:
    account = session.get(Account, local_id)
    if account is not None:
        if isinstance(handle, str) and handle:
            account.handle = handle[:200]
        if isinstance(display, str) and display:
            account.display_name = display[:200]


def _ingest_statuses(session: Session, statuses: list[dict[str, Any]], out: Handled) -> list[str]:
    items = [i for i in (status_item(s) for s in statuses) if i is not None]
    if not items:
        return []
    summary = ingest(session, items)
    for result in summary.results:
        out.posts.append(result.to_dict())
        if result.status in ("rejected", "conflict"):
            raise Invalid(
                f"status {result.id}: {result.error}", results=[r.to_dict() for r in summary.results]
            )
    for status in statuses:
        acc = status.get("account") or {}
        if isinstance(acc, dict) and acc.get("id"):
            _name_account(session, ids.account_id(str(acc["id"])), acc.get("acct"), acc.get("display_name"))
    return [str(i["id"]) for i in items]


def _link(
    session: Session, remote_kind: str, remote_id: str, local_kind: str, local_id: str, extra: dict[str, Any]
) -> None:
    exists = session.scalar(
        select(ConnectorLink.id).where(
            ConnectorLink.connector == CONNECTOR,
            ConnectorLink.remote_kind == remote_kind,
            ConnectorLink.remote_id == remote_id,
            ConnectorLink.local_kind == local_kind,
            ConnectorLink.local_id == local_id,
        )
    )
    if exists is None:
        session.add(
            ConnectorLink(
                connector=CONNECTOR,
                remote_kind=remote_kind,
                remote_id=remote_id,
                local_kind=local_kind,
                local_id=local_id,
                extra=extra,
            )
        )
        session.flush()


def _reason(report: dict[str, Any]) -> tuple[str, str, str | None]:
    """(reason code, text, legal ground) for a Mastodon report."""
    category = str(report.get("category") or "other")
    comment = str(report.get("comment") or "").strip()
    rules = [r for r in report.get("rules") or [] if isinstance(r, dict)]
    cited = "; ".join(f"rule {r.get('id')}: {str(r.get('text') or '').strip()}" for r in rules)
    if category == "spam":
        return "spam", comment, None
    if category == "legal":
        return "illegal", comment, comment or "Reported as illegal on Mastodon (no legal ground given)"
    head = "Mastodon report" + (f" citing the instance's {cited}" if cited else f" ({category})")
    return "other", f"{head}. {comment}".strip() if comment else head + ".", None


def _report(session: Session, doc: dict[str, Any], out: Handled) -> None:
    report = _obj(doc, "object")
    remote = _id(report, "report")
    reporter_obj = _obj(report, "account")
    target_obj = _obj(report, "target_account")
    reporter = ids.account_id(_id(reporter_obj, "report.account"))
    target = ids.account_id(_id(target_obj, "report.target_account"))
    statuses = [s for s in report.get("statuses") or [] if isinstance(s, dict)]
    ensure_accounts(session, {target: None})
    _name_account(session, target, target_obj.get("username"), None)
    posts = _ingest_statuses(session, statuses, out)
    reason, text, ground = _reason(report)
    subjects = [("post", p) for p in posts] or [("account", target)]
    extra = {
        "category": report.get("category"),
        "rule_ids": [str(r.get("id")) for r in report.get("rules") or [] if isinstance(r, dict)],
        "target_account": target_obj.get("id"),
    }
    for subject_type, subject_id in subjects:
        row, _ = submit_report(
            session,
            reporter_id=reporter,
            subject_type=subject_type,
            subject_id=subject_id,
            reason=reason,
            text=text,
            legal_ground=ground,
        )
        out.reports.append(row.id)
        _link(session, "report", remote, "report", str(row.id), extra)


def _account(session: Session, doc: dict[str, Any], out: Handled) -> None:
    admin = _obj(doc, "object")
    local = ids.account_id(_id(admin, "account"))
    ensure_accounts(session, {local: _lang(admin.get("locale"))})
    raw_inner = admin.get("account")
    inner: dict[str, Any] = raw_inner if isinstance(raw_inner, dict) else {}
    _name_account(session, local, admin.get("username"), inner.get("display_name"))
    out.accounts.append(local)


def handle(session: Session, doc: Any) -> Handled:
    """Apply one webhook event (already signature-checked) in the caller's transaction."""
    if not isinstance(doc, dict) or not isinstance(doc.get("event"), str):
        raise Invalid("event: a Mastodon webhook body has an `event` name and an `object`")
    event = doc["event"]
    out = Handled(event)
    if event not in EVENTS:
        out.ignored = True
        return out
    if event in ("status.created", "status.updated"):
        _ingest_statuses(session, [_obj(doc, "object")], out)
    elif event == "report.created":
        _report(session, doc, out)
    else:
        _account(session, doc, out)
    return out
