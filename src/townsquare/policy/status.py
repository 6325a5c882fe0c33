"""What the public sees of enforcement on a post, and the author's notice for an action."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from townsquare.core.enums import Visibility
from townsquare.core.errors import NotFound
from townsquare.notices import texts
from townsquare.policy.in_force import InForce, post_in_force, public_state
from townsquare.storage.models import Action, Post

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
    """Label, visibility state (with what `limited_reach` means), the state line in force (an interim measure says
    so) and the statement summary of the action in force — all from `policy.in_force`, never from a proposal."""
    post = session.get(Post, post_id)
    if post is None:
        raise NotFound(f"unknown post {post_id!r}")
    state = post_in_force(session, post_id)
    out: dict[str, Any] = {
        "visibility": post.visibility,
        "label": public_label(session, post_id) if state.action is not None else None,
        "in_force": {
            "action": state.kind.value,
            "interim": state.interim,
            "proposed": state.proposed.value if state.proposed else None,
            "text": {lang: public_state(session, post_id, lang)["text"] for lang in texts.LANGS},
        },
        "statement": statement_summary(state.action) if state.action is not None else None,
        "statement_text": _statement_text(session, state.action) if state.action is not None else None,
    }
    if post.visibility == Visibility.LIMITED_REACH.value:
        out["reach"] = dict(LIMITED_REACH_EFFECTS)
    return out


def _statement_text(session: Session, action: Action) -> dict[str, dict[str, Any]]:
    """The statement of the action in force as readers see it, in French and English (notices.statements)."""
    from townsquare.notices.statements import public_statement

    keep = ("title", "description", "what", "explanation", "ground", "automation", "interim")
    return {
        lang: {k: v for k, v in public_statement(session, action, lang).items() if k in keep}
        for lang in texts.LANGS
    }


def public_label(
    session: Session, post_id: str, active: list[Action] | None = None, state: InForce | None = None
) -> dict[str, str]:
    """The public label in both languages.

    A rule's text is written for its default action, so it is the label only when that action is what is in force
    (decided, not interim); otherwise the label is the state line ("Reach limited while a person reviews this post:
    <rule>"), which never claims an action that was not taken. `state`: what is in force, when the caller knows
    it without reading (the batch path, for a post whose only action it has just written).
    """
    state = state or post_in_force(session, post_id, active)
    rule = state.rule
    if rule is not None and not state.interim and rule.action is state.kind and rule.text:
        return {lang: rule.text.get(lang) or rule.text.get("en", "") for lang in texts.LANGS}
    return {lang: public_state(session, post_id, lang, state)["text"] for lang in texts.LANGS}


def author_notice(session: Session, action: Action, lang: str | None = None) -> dict[str, Any]:
    """The notice the author receives, in French or English (the author's language unless asked)."""
    from townsquare.notices.authors import action_notice

    return action_notice(session, action, lang)
