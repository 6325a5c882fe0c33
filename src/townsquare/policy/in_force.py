"""What is in force: the one answer every statement, label, notice, page, figure and replay derives from.

Three things differ and used to be confused: what a rule *proposes* (its default action, e.g. `remove`), what
automation *applied* (capped at the automation ceiling: an interim `limit_reach` while a person reviews), and what a
person *decided* (any action, possibly milder than the rule's default). Everything that tells someone what happened
asks this module, never the rule's default action and never the rule text's closing sentence ("We remove it.").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core.enums import POST_ACTIONS, STRENGTH, ActionType, ActorKind, SubjectType
from townsquare.notices import texts
from townsquare.policy.ceiling import cap
from townsquare.policy.conditions import All, Any_, Condition, Count, Not
from townsquare.policy.rules import Decision, Rule
from townsquare.policy.subjects import active_actions, rule_of
from townsquare.storage.models import Action, Case

UNDECIDED = ("open", "claimed")


@dataclass(frozen=True)
class InForce:
    """The strongest action in force on a subject and whether it is an interim measure awaiting a person."""

    action: Action | None
    kind: ActionType
    interim: bool
    proposed: ActionType | None
    rule: Rule | None

    def state_key(self) -> str:
        """The template key of the public state line (`state.interim.limit_reach`, `state.remove`...)."""
        if self.action is None:
            return "state.visible"
        return f"state.interim.{self.kind.value}" if self.interim else f"state.{self.kind.value}"


def interim_for(
    *, automated: bool, actor_kind: str, subject_type: str, applied: str, rule: Rule | None
) -> bool:
    """Automation applied less than its rule proposes: the ceiling capped it, a person decides the rest."""
    if not automated or actor_kind != ActorKind.AUTOMATION.value or subject_type != SubjectType.POST.value:
        return False
    if rule is None:
        return False
    return STRENGTH[ActionType(applied)] < STRENGTH[rule.action]


def is_interim(session: Session, action: Action) -> bool:
    return interim_for(
        automated=action.automated,
        actor_kind=action.actor_kind,
        subject_type=action.subject_type,
        applied=action.action,
        rule=rule_of(session, action),
    )


def open_proposal(session: Session, post_id: str) -> ActionType | None:
    """The action an undecided case proposes on the post (automation's full proposal), if any."""
    proposed = session.scalars(
        select(Case.proposed_action).where(
            Case.post_id == post_id,
            Case.subject_type == SubjectType.POST.value,
            Case.status.in_(UNDECIDED),
            Case.proposed_action.is_not(None),
        )
    ).first()
    return ActionType(proposed) if proposed else None


def strongest(actions: list[Action]) -> Action | None:
    return max(actions, key=lambda a: (STRENGTH[ActionType(a.action)], -a.id), default=None)


def post_in_force(session: Session, post_id: str, active: list[Action] | None = None) -> InForce:
    """The strongest post action in force on a post, interim or decided (nothing when none).

    `active`: the post's `active_actions`, when the caller has just read them (refreshing a post after an action)."""
    acts = [
        a
        for a in (active if active is not None else active_actions(session, post_id=post_id))
        if a.subject_type == SubjectType.POST.value and ActionType(a.action) in POST_ACTIONS
    ]
    top = strongest(acts)
    if top is None:
        return InForce(None, ActionType.NONE, False, None, None)
    rule = rule_of(session, top)
    interim = interim_for(
        automated=top.automated,
        actor_kind=top.actor_kind,
        subject_type=top.subject_type,
        applied=top.action,
        rule=rule,
    )
    proposed = (open_proposal(session, post_id) or (rule.action if rule else None)) if interim else None
    return InForce(top, ActionType(top.action), interim, proposed, rule)


def account_in_force(session: Session, account_id: str) -> InForce:
    """The strongest account action in force (account actions are never interim: automation only suspends)."""
    top = strongest(active_actions(session, account_id=account_id))
    if top is None:
        return InForce(None, ActionType.NONE, False, None, None)
    return InForce(top, ActionType(top.action), False, None, rule_of(session, top))


def rule_name(rule: Rule | None, lang: str, fallback: str = "") -> str:
    if rule is None:
        return fallback
    return rule.title.get(lang) or rule.title.get("en") or rule.id


def public_state(session: Session, post_id: str, lang: str, state: InForce | None = None) -> dict[str, Any]:
    """The public line about a post in `lang`: what is in force, interim or not, and under which rule
    (`state` when the caller already read it: a label in two languages reads it once)."""
    state = state or post_in_force(session, post_id)
    name = rule_name(state.rule, lang, state.action.rule_id if state.action else "")
    return {
        "lang": lang,
        "action": state.kind.value,
        "interim": state.interim,
        "proposed": state.proposed.value if state.proposed else None,
        "text": texts.text(lang, state.state_key(), rule=name),
        "rule": name or None,
        "description": texts.first_sentence(state.rule.text.get(lang, "")) if state.rule else None,
    }


def statement_explanation(
    *, rule: Rule, action: ActionType, interim: bool, proposed: ActionType | None = None
) -> str:
    """The DSA explanation field (English, the schema's working language): the rule, then what was done.

    Only the first sentence of the rule text is quoted (what the rule prohibits); the action sentence is the action
    applied, and an interim measure says so and names the proposal instead of claiming it.
    """
    parts = [f"{rule.title.get('en', rule.id)}.", texts.first_sentence(rule.text.get("en", ""))]
    if interim:
        what = texts.text("en", f"proposed.{(proposed or rule.action).value}")
        parts.append(texts.text("en", "done.interim", proposed=what))
    parts.append(texts.text("en", f"done.{action.value}"))
    return " ".join(p for p in parts if p)[:2000]


def replay_effect(decision: Decision, ceiling: ActionType) -> ActionType:
    """What automation would actually apply for a policy decision (capped at the ceiling), for `policy replay`."""
    return cap(decision.action, ceiling)


def uses_reports(condition: Condition | None) -> bool:
    """Whether a rule's condition counts user reports: then the reports are the source of the decision."""
    if isinstance(condition, Count):
        return condition.what == "reports"
    if isinstance(condition, (All, Any_)):
        return any(uses_reports(p) for p in condition.parts)
    if isinstance(condition, Not):
        return uses_reports(condition.part)
    return False


def automated_source(decision: Decision, reports: int) -> str:
    """DSA `source_type` of an automated action: `SOURCE_ARTICLE_16` when the rule fired on user notices."""
    if reports and decision.rule is not None and uses_reports(decision.rule.when):
        return "SOURCE_ARTICLE_16"
    return "SOURCE_VOLUNTARY"
