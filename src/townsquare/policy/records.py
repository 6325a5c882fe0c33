"""What an enforcement action writes besides its effect: its row, its statement of reasons, its audit payloads.

One builder each, shared by the single door (`policy.enforce.apply_action`) and the batch path
(`policy.batch`), so an action enforced in a batch is recorded exactly as one enforced alone.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from townsquare.audit.crosscheck import statement_digest
from townsquare.core.enums import ActionStatus, ActionType, ActorKind, SubjectType
from townsquare.policy.in_force import statement_explanation
from townsquare.policy.rules import Policy, Rule
from townsquare.storage.models import Action, Case, Post, Strike
from townsquare.transparency.statements import build_statement


def facts_text(
    *,
    action: ActionType,
    rule: Rule,
    actor_kind: ActorKind,
    automated: bool,
    source_type: str,
    explanation: str,
    fired: list[str],
    facts: str,
    case: Case | None,
) -> str:
    """Decision facts for the DSA record: what was relied on, without personal data (no text, no ids).

    The person's public `explanation` (written for the author) is quoted; their private note (`reason`) never is:
    the DSA export and the public post page show these facts to anyone.
    """
    parts = []
    if facts:
        parts.append(facts.strip())
    if source_type == "SOURCE_ARTICLE_16":
        parts.append("The content was reported by users (notices under Art. 16 DSA).")
    elif source_type == "SOURCE_TRUSTED_FLAGGER":
        parts.append("The content was notified by a trusted flagger.")
    if automated:
        parts.append(f"Automated enforcement under community standard {rule.ref}.")
    elif actor_kind is ActorKind.COUNCIL:
        parts.append(f"Decision of the moderation council under community standard {rule.ref}.")
    else:
        origin = (
            " proposed by automated detection" if case is not None and case.origin == "automation" else ""
        )
        parts.append(f"Human review{origin}: a moderator applied community standard {rule.ref}.")
    if explanation:
        parts.append(f"Explanation: {explanation.strip()}")
    if len(fired) > 1:
        parts.append("Rules that matched: " + ", ".join(fired) + ".")
    parts.append(f"Action: {action.value}.")
    return " ".join(parts)


def action_values(
    *,
    stype: SubjectType,
    post: Post | None,
    account_id: str,
    content_language: str | None,
    kind: ActionType,
    rule: Rule,
    policy: Policy,
    fired: list[str],
    akind: ActorKind,
    actor: str,
    source_type: str,
    machine: bool,
    reason: str,
    explanation: str,
    case: Case | None,
    ends_at: datetime | None,
    now: datetime,
    facts: str,
    interim: bool,
) -> dict[str, Any]:
    """The columns of a new Action row, its puid and statement of reasons included (the batch path inserts the
    very same ones: `policy.batch`)."""
    puid = f"ts-{uuid.uuid4().hex}"
    statement = build_statement(
        puid=puid,
        action=kind,
        rule_ref=rule.ref,
        rule_title_en=rule.title.get("en", rule.id),
        rule_text_en=rule.text.get("en", ""),
        dsa_category=rule.dsa_category,
        dsa_keyword=rule.dsa_keyword,
        ground=rule.ground,
        legal_ground=rule.legal_ground,
        possibly_illegal=rule.possibly_illegal,
        source_type=source_type,
        automated=machine,
        automation_detected=machine or (case is not None and case.origin == "automation"),
        content_date=post.created_at if post else now,
        application_date=now,
        content_language=content_language,
        territorial_scope=policy.territorial_scope,
        facts=facts_text(
            action=kind,
            rule=rule,
            actor_kind=akind,
            automated=machine,
            source_type=source_type,
            explanation=explanation,
            fired=fired,
            facts=facts,
            case=case,
        ),
        ends_at=ends_at,
        explanation=statement_explanation(rule=rule, action=kind, interim=interim),
    )
    return {
        "puid": puid,
        "subject_type": stype.value,
        "post_id": post.id if post else None,
        "account_id": account_id,
        "action": kind.value,
        "status": ActionStatus.ACTIVE.value,
        "rule_id": rule.id,
        "rule_version": rule.version,
        "policy_version": policy.label,
        "fired_rules": fired,
        "actor_kind": akind.value,
        "actor": actor,
        "source_type": source_type,
        "automated": machine,
        "reason": reason,
        "explanation": explanation,
        "statement": statement,
        "case_id": case.id if case is not None else None,
        "ends_at": ends_at,
        "created_at": now,
    }


def applied_payload(
    row: Action, *, rule: Rule, policy: Policy, interim: bool, states: list[dict[str, str]]
) -> dict[str, Any]:
    """The `action.applied` audit payload of a stored action (`states`: what the change left behind)."""
    return {
        "action_id": row.id,
        "puid": row.puid,
        "action": row.action,
        "rule": rule.ref,
        "fired": list(row.fired_rules or []),
        "policy": policy.label,
        "actor_kind": row.actor_kind,
        "automated": row.automated,
        "source_type": row.source_type,
        "case_id": row.case_id,
        "ends_at": row.ends_at.isoformat() if row.ends_at else None,
        "reason": row.reason,
        "explanation": row.explanation,
        "interim": interim,
        "statement_sha256": statement_digest(row.statement),
        "states": states,
    }


def strike_payload(strike: Strike, *, rule: Rule, active_weight: float) -> dict[str, Any]:
    """The `strike.added` audit payload (`active_weight`: the author's weight with this strike)."""
    return {
        "strike_id": strike.id,
        "action_id": strike.action_id,
        "rule": rule.ref,
        "weight": rule.strike,
        "active_weight": active_weight,
        "expires_at": strike.expires_at.isoformat(),
    }
