"""What the author (and appellant) is told: the notice of an action and the outcome of an appeal, in their language.

The action notice is rendered from the stored statement of reasons plus the rule's public texts and the templates,
so it says what is in force (an interim measure says so) and quotes the person's public explanation — never their
private note (`Action.reason`, `Appeal.private_note`, `CaseDecision.note`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from townsquare.core.enums import ActionType
from townsquare.notices import outbox, texts
from townsquare.storage.models import Account, Action, Appeal, Notification, Post


def author_language(session: Session, action: Action) -> str:
    """The author's account language, else the post's (notices follow the reader, not the content)."""
    account = session.get(Account, action.account_id) if action.account_id else None
    post = session.get(Post, action.post_id) if action.post_id else None
    return texts.language(account.lang if account else None, post.lang if post else None)


def render_action_notice(session: Session, action: Action, lang: str) -> str:
    from townsquare.policy.in_force import is_interim, open_proposal
    from townsquare.policy.subjects import rule_of

    rule = rule_of(session, action)
    st = action.statement or {}
    end = st.get("end_date_account_restriction") or st.get("end_date_visibility_restriction")
    interim = ""
    if is_interim(session, action):
        proposed = (action.post_id and open_proposal(session, action.post_id)) or (
            rule.action if rule else None
        )
        if proposed is not None:
            interim = " " + texts.text(
                lang, "interim", proposed=texts.text(lang, f"proposed.{proposed.value}")
            )
    if st.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        ground = texts.text(lang, "ground.illegal", legal=st.get("illegal_content_legal_ground", ""))
    else:
        ground = texts.text(lang, "ground.incompatible")
    explanation = (action.explanation or "").strip()
    return texts.text(
        lang,
        "author.notice",
        puid=st.get("puid", action.puid),
        date=st.get("application_date", ""),
        what=texts.text(lang, f"action.{ActionType(action.action).value}"),
        until=texts.text(lang, "until", date=end) if end else "",
        interim=interim,
        title=(rule.title.get(lang) or rule.title.get("en", "")) if rule else action.rule_id,
        rule=f"{action.rule_id}@{action.rule_version}",
        description=texts.first_sentence(rule.text.get(lang, "")) if rule else "",
        explanation=texts.text(lang, "author.explanation", text=explanation) if explanation else "",
        ground=ground,
        automation=texts.text(
            lang, f"automation.{st.get('automated_decision', 'AUTOMATED_DECISION_NOT_AUTOMATED')}"
        ),
    )


def action_notice(session: Session, action: Action, lang: str | None = None) -> dict[str, Any]:
    """The notice the author receives (by default in the author's language)."""
    chosen = texts.language(lang) if lang else author_language(session, action)
    return {
        "action_id": action.id,
        "puid": action.puid,
        "lang": chosen,
        "text": render_action_notice(session, action, chosen),
    }


def notify_action_taken(
    session: Session, action: Action, *, extra: dict[str, Any] | None = None
) -> Notification:
    """Tell the author about an action on their post or account (appealable)."""
    notice = action_notice(session, action)
    payload = {
        "action": action.action,
        "rule_id": action.rule_id,
        "action_id": action.id,
        "puid": action.puid,
        "subject_type": action.subject_type,
        "post_id": action.post_id,
        "appealable": True,
        "lang": notice["lang"],
        "text": notice["text"],
        **(extra or {}),
    }
    return outbox.notify(session, recipient_id=str(action.account_id), kind="action_taken", payload=payload)


def appeal_payload(session: Session, appeal: Appeal, action: Action) -> dict[str, Any]:
    """What the appellant is told: the outcome and the reviewer's public explanation (never the private note)."""
    lang = author_language(session, action)
    status = appeal.status
    key = (
        f"appeal.council_{status}"
        if appeal.reviewer == "council" and status in ("upheld", "overturned")
        else ""
    )
    key = key or {"pending": "appeal.received"}.get(status, f"appeal.{status}")
    return {
        "appeal_id": appeal.id,
        "action_id": action.id,
        "puid": action.puid,
        "action": action.action,
        "rule_id": action.rule_id,
        "status": status,
        "statement": appeal.statement,
        "new_action_id": appeal.new_action_id,
        "council_case_id": appeal.council_case_id,
        "lang": lang,
        "text": texts.text(lang, key) + (f"\n{appeal.statement}" if appeal.statement else ""),
    }


def notify_appeal(session: Session, *, appeal_id: int, kind: str = "appeal_outcome") -> Notification:
    """Tell the appellant the appeal's current state (received, referred, or its outcome)."""
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise ValueError(f"appeal {appeal_id} not found")
    action = session.get(Action, appeal.action_id)
    assert action is not None
    return outbox.notify(
        session, recipient_id=appeal.author_id, kind=kind, payload=appeal_payload(session, appeal, action)
    )
