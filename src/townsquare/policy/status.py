"""What the public sees of enforcement on a post, and the author's notice for an action."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core.enums import STRENGTH, ActionStatus, ActionType, Visibility
from townsquare.core.errors import NotFound
from townsquare.storage.models import Account, Action, Post
from townsquare.transparency.statements import notice_language, render_notice

# What a restricted-reach post may and may not do, for platforms reading the API.
LIMITED_REACH_EFFECTS = {
    "on_author_profile": True,
    "reachable_by_link": True,
    "in_search": False,
    "in_trends": False,
    "in_recommendations": False,
    "ads_adjacent": False,
    "replies_restricted": True,
    "reposts_restricted": True,
}


def statement_summary(action: Action) -> dict[str, Any]:
    """The public part of a statement of reasons (no personal data by construction)."""
    st = action.statement or {}
    return {
        "puid": action.puid,
        "action": action.action,
        "rule": f"{action.rule_id}@{action.rule_version}",
        "decision_visibility": st.get("decision_visibility"),
        "decision_account": st.get("decision_account"),
        "decision_ground": st.get("decision_ground"),
        "category": st.get("category"),
        "automated_decision": st.get("automated_decision"),
        "application_date": st.get("application_date"),
        "explanation": st.get("incompatible_content_explanation") or st.get("illegal_content_explanation"),
    }


def post_status(session: Session, post_id: str) -> dict[str, Any]:
    """Label, visibility state (with what `limited_reach` means) and the statement summary of the action in force."""
    post = session.get(Post, post_id)
    if post is None:
        raise NotFound(f"unknown post {post_id!r}")
    active = session.scalars(
        select(Action).where(Action.post_id == post_id, Action.status == ActionStatus.ACTIVE.value)
    ).all()
    post_acts = [a for a in active if a.subject_type == "post"]
    strongest = max(post_acts, key=lambda a: (STRENGTH[ActionType(a.action)], -a.id), default=None)
    out: dict[str, Any] = {
        "visibility": post.visibility,
        "label": dict(post.label_text) if post.label_text else None,
        "statement": statement_summary(strongest) if strongest is not None else None,
    }
    if post.visibility == Visibility.LIMITED_REACH.value:
        out["reach"] = dict(LIMITED_REACH_EFFECTS)
    return out


def author_notice(session: Session, action: Action, lang: str | None = None) -> dict[str, Any]:
    """The notice the author receives, in French or English (by the post's language unless asked)."""
    from townsquare.policy.enforce import rule_of

    if lang is None:
        post = session.get(Post, action.post_id) if action.post_id else None
        account = session.get(Account, action.account_id) if action.account_id else None
        lang = (post.lang if post else None) or (account.lang if account else None)
    chosen = notice_language(lang)
    rule = rule_of(session, action)
    text = render_notice(
        action.statement,
        action=action.action,
        rule_ref=f"{action.rule_id}@{action.rule_version}",
        title=rule.title if rule else {},
        text=rule.text if rule else {},
        lang=chosen,
    )
    return {"action_id": action.id, "puid": action.puid, "lang": chosen, "text": text}
