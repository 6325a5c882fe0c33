"""A statement of reasons as a reader sees it, in their language: rule name and what it prohibits, what was done
(an interim measure says so), the public explanation, ground, source and automation.

The stored statement stays the DSA record (schema vocabulary, English free text, exported verbatim); this view is
rendered from it and the rule's French/English texts for pages and notices. Codes are returned as codes (`action`,
`source_type`...) for the page to name through its locales; every sentence is already in the reader's language.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from townsquare.notices import texts
from townsquare.storage.models import Action

CATEGORY_PREFIX = "STATEMENT_CATEGORY_"


def public_statement(session: Session, action: Action, lang: str) -> dict[str, Any]:
    """The public, translated view of one action's statement (no private note, no person's name)."""
    from townsquare.policy.in_force import is_interim, open_proposal
    from townsquare.policy.subjects import rule_of

    lang = texts.language(lang)
    st = action.statement or {}
    rule = rule_of(session, action)
    interim = action.status == "active" and is_interim(session, action)
    what = [texts.text(lang, f"done.{action.action}")]
    if interim:
        proposed = (action.post_id and open_proposal(session, action.post_id)) or (
            rule.action if rule else None
        )
        if proposed is not None:
            what.insert(
                0, texts.text(lang, "done.interim", proposed=texts.text(lang, f"proposed.{proposed.value}"))
            )
    if st.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        ground = texts.text(lang, "ground.illegal", legal=st.get("illegal_content_legal_ground", ""))
    else:
        ground = texts.text(lang, "ground.incompatible")
    category = str(st.get("category") or "")
    return {
        "id": action.id,
        "puid": st.get("puid", action.puid),
        "action": action.action,
        "status": action.status,
        "interim": interim,
        "title": (rule.title.get(lang) or rule.title.get("en", "")) if rule else action.rule_id,
        "rule_ref": f"{action.rule_id}@{action.rule_version}",
        "description": texts.first_sentence(rule.text.get(lang, "")) if rule else "",
        "what": " ".join(what),
        "explanation": (action.explanation or "").strip(),
        "ground": ground,
        "source_type": action.source_type,
        "automated_decision": st.get("automated_decision", ""),
        "automation": texts.text(
            lang, f"automation.{st.get('automated_decision', 'AUTOMATED_DECISION_NOT_AUTOMATED')}"
        ),
        "category": category.removeprefix(CATEGORY_PREFIX).lower(),
        "application_date": st.get("application_date"),
        "end_date": st.get("end_date_visibility_restriction") or st.get("end_date_account_restriction"),
        "created_at": action.created_at,
    }
