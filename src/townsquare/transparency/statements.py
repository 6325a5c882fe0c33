"""Statements of reasons: built once at action time, stored in `Action.statement`, exported as DSA JSONL.

The stored statement holds exactly the DSA Transparency Database submission fields (no personal data: no post
text, no account id), so the export is the stored record verbatim. The notice the author receives is rendered
from that same record plus the public rule texts (French or English, by the post's language).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.enums import ActionType
from townsquare.storage.models import Action

SCHEMA_NAME = "dsa-statement-of-reasons.schema.json"
PACKAGED_SCHEMA = Path(__file__).with_name(SCHEMA_NAME)

SOURCE_TYPES = (
    "SOURCE_ARTICLE_16",
    "SOURCE_TRUSTED_FLAGGER",
    "SOURCE_TYPE_OTHER_NOTIFICATION",
    "SOURCE_VOLUNTARY",
)

VISIBILITY_DECISIONS: dict[ActionType, list[str]] = {
    ActionType.LABEL: ["DECISION_VISIBILITY_CONTENT_LABELLED"],
    ActionType.LIMIT_REACH: [
        "DECISION_VISIBILITY_CONTENT_DEMOTED",
        "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
    ],
    ActionType.AGE_RESTRICT: ["DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"],
    ActionType.REMOVE: ["DECISION_VISIBILITY_CONTENT_REMOVED"],
}
ACCOUNT_DECISIONS = {
    ActionType.SUSPEND: "DECISION_ACCOUNT_SUSPENDED",
    ActionType.PERMANENT_BAN: "DECISION_ACCOUNT_TERMINATED",
}
WARNING_OTHER = "Formal warning to the account holder; no restriction applied"

ACTION_WORDS = {
    "en": {
        ActionType.LABEL: "we added a public label to your post",
        ActionType.LIMIT_REACH: (
            "we limited the reach of your post: it stays on your profile and reachable by link, but it is excluded "
            "from search, trends and recommendations, never shown next to ads, and replies and reposts are restricted"
        ),
        ActionType.AGE_RESTRICT: "we restricted your post to adults",
        ActionType.REMOVE: "we removed your post",
        ActionType.WARN: "we sent your account a warning (no restriction)",
        ActionType.SUSPEND: "we suspended your account",
        ActionType.PERMANENT_BAN: "we permanently banned your account",
    },
    "fr": {
        ActionType.LABEL: "nous avons ajouté une étiquette publique à votre publication",
        ActionType.LIMIT_REACH: (
            "nous avons limité la diffusion de votre publication : elle reste sur votre profil et accessible par "
            "lien, mais elle est exclue de la recherche, des tendances et des recommandations, n'est jamais affichée "
            "à côté d'une publicité, et les réponses et partages sont restreints"
        ),
        ActionType.AGE_RESTRICT: "nous avons réservé votre publication aux adultes",
        ActionType.REMOVE: "nous avons retiré votre publication",
        ActionType.WARN: "nous avons adressé un avertissement à votre compte (sans restriction)",
        ActionType.SUSPEND: "nous avons suspendu votre compte",
        ActionType.PERMANENT_BAN: "nous avons exclu définitivement votre compte",
    },
}

AUTOMATION_WORDS = {
    "en": {
        "AUTOMATED_DECISION_FULLY": "This decision was taken by automated means.",
        "AUTOMATED_DECISION_PARTIALLY": "Automated means detected the content; a person took the decision.",
        "AUTOMATED_DECISION_NOT_AUTOMATED": "A person took this decision.",
    },
    "fr": {
        "AUTOMATED_DECISION_FULLY": "Cette décision a été prise par des moyens automatisés.",
        "AUTOMATED_DECISION_PARTIALLY": "Des moyens automatisés ont détecté le contenu ; une personne a pris la décision.",
        "AUTOMATED_DECISION_NOT_AUTOMATED": "Une personne a pris cette décision.",
    },
}

NOTICE = {
    "en": (
        "Decision {puid} of {date}\n\n"
        "What happened: {what}.{until}\n"
        "Why: {title} (rule {rule}). {text}\n"
        "Ground: {ground}\n"
        "{automation}\n\n"
        "Your options: you can appeal this decision within six months from the app or the appeals page; you may "
        "also use a certified out-of-court dispute settlement body or go to court."
    ),
    "fr": (
        "Décision {puid} du {date}\n\n"
        "Ce qui s'est passé : {what}.{until}\n"
        "Pourquoi : {title} (règle {rule}). {text}\n"
        "Fondement : {ground}\n"
        "{automation}\n\n"
        "Vos recours : vous pouvez contester cette décision dans un délai de six mois depuis l'application ou la "
        "page des recours ; vous pouvez aussi saisir un organisme certifié de règlement extrajudiciaire des "
        "litiges ou la justice."
    ),
}


def _date(value: datetime) -> str:
    return clock.as_utc(value).strftime("%Y-%m-%d")


def automated_decision(*, automated: bool, automation_detected: bool) -> str:
    if automated:
        return "AUTOMATED_DECISION_FULLY"
    return "AUTOMATED_DECISION_PARTIALLY" if automation_detected else "AUTOMATED_DECISION_NOT_AUTOMATED"


def build_statement(
    *,
    puid: str,
    action: ActionType,
    rule_ref: str,
    rule_title_en: str,
    rule_text_en: str,
    dsa_category: str,
    dsa_keyword: str,
    ground: str,
    legal_ground: str,
    possibly_illegal: bool,
    source_type: str,
    automated: bool,
    automation_detected: bool,
    content_date: datetime,
    application_date: datetime,
    content_language: str | None,
    territorial_scope: tuple[str, ...],
    facts: str,
    ends_at: datetime | None = None,
    explanation: str | None = None,
) -> dict[str, Any]:
    """The DSA submission for one action. Pure: every input is explicit so tests can build one by hand.

    `explanation` is the text of what the rule prohibits and what was done (`policy.in_force.statement_explanation`);
    without it the rule title and text are used, which is only true when the action is the rule's default one.
    """
    st: dict[str, Any] = {}
    if action in VISIBILITY_DECISIONS:
        st["decision_visibility"] = list(VISIBILITY_DECISIONS[action])
        if ends_at is not None:
            st["end_date_visibility_restriction"] = _date(ends_at)
    elif action in ACCOUNT_DECISIONS:
        st["decision_account"] = ACCOUNT_DECISIONS[action]
        if action is ActionType.SUSPEND and ends_at is not None:
            st["end_date_account_restriction"] = _date(ends_at)
        st["account_type"] = "ACCOUNT_TYPE_PRIVATE"
    else:  # a warning restricts nothing; the DSA format still wants a decision, so it is declared as OTHER
        st["decision_visibility"] = ["DECISION_VISIBILITY_OTHER"]
        st["decision_visibility_other"] = WARNING_OTHER
    explanation = (explanation or f"{rule_title_en}. {rule_text_en}")[:2000]
    if ground == "illegal":
        st["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT"
        st["illegal_content_legal_ground"] = legal_ground[:500]
        st["illegal_content_explanation"] = explanation
    else:
        st["decision_ground"] = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        st["incompatible_content_ground"] = f"Community standard {rule_ref}: {rule_title_en}"[:500]
        st["incompatible_content_explanation"] = explanation
        st["incompatible_content_illegal"] = "Yes" if possibly_illegal else "No"
    st["category"] = dsa_category
    st["category_specification"] = [dsa_keyword]
    st["content_type"] = ["CONTENT_TYPE_TEXT"]
    st["content_date"] = _date(content_date)
    st["application_date"] = _date(application_date)
    if content_language and len(content_language) == 2 and content_language.isalpha():
        st["content_language"] = content_language.upper()
    if territorial_scope:
        st["territorial_scope"] = list(territorial_scope)
    st["decision_facts"] = (facts.strip() or f"Action {action.value} under rule {rule_ref}.")[:5000]
    st["source_type"] = source_type
    st["automated_detection"] = "Yes" if (automated or automation_detected) else "No"
    st["automated_decision"] = automated_decision(
        automated=automated, automation_detected=automation_detected
    )
    st["puid"] = puid
    return st


# -- validation ------------------------------------------------------------------------------------------
def schema_path() -> Path:
    """The reference schema: $TOWNSQUARE_SHARED/reference, else <repo>/../shared/reference, else the packaged copy."""
    shared = os.environ.get("TOWNSQUARE_SHARED")
    candidates = [Path(shared) / "reference" / SCHEMA_NAME] if shared else []
    candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "reference" / SCHEMA_NAME)
    for path in candidates:
        if path.is_file():
            return path
    return PACKAGED_SCHEMA


@lru_cache(maxsize=4)
def _validator(path: str) -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_statement(statement: dict[str, Any], path: Path | None = None) -> list[str]:
    """Schema violations of one statement (empty when valid), each as `field: message`."""
    validator = _validator(str(path or schema_path()))
    errors = sorted(validator.iter_errors(statement), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors]


# -- export ----------------------------------------------------------------------------------------------
def iter_statements(session: Session, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Stored statements of actions taken at or after `since` (oldest first), exactly as recorded."""
    query = select(Action).order_by(Action.created_at, Action.id)
    if since is not None:
        query = query.where(Action.created_at >= since)
    for action in session.scalars(query).yield_per(500):
        if action.statement:
            yield withhold_private(action.statement, action.reason)


WITHHELD = "[private note withheld]"
MIN_PRIVATE = 6


def withhold_private(statement: dict[str, Any], private_note: str | None) -> dict[str, Any]:
    """The statement with its action's private note removed wherever it appears.

    Statements built since issue 12 never contain it; ones stored before quoted it in `decision_facts`
    ("Reviewer's note: ..."). The stored record is kept as it is (its digest is in the audit chain); what leaves
    the platform — the export and the API — is the redacted copy.
    """
    note = (private_note or "").strip()
    if len(note) < MIN_PRIVATE:
        return statement
    out: dict[str, Any] = {}
    for key, value in statement.items():
        if isinstance(value, str) and note in value:
            value = value.replace(f"Reviewer's note: {note}", WITHHELD).replace(note, WITHHELD)
        elif isinstance(value, list):
            value = [v.replace(note, WITHHELD) if isinstance(v, str) else v for v in value]
        out[key] = value
    return out


def export_jsonl(session: Session, out: Any, since: datetime | None = None) -> int:
    """Write one statement per line to a text stream; returns the count."""
    n = 0
    for statement in iter_statements(session, since):
        out.write(json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


# -- the author's notice ---------------------------------------------------------------------------------
def notice_language(lang: str | None) -> str:
    return "fr" if (lang or "").lower().startswith("fr") else "en"


def render_notice(
    statement: dict[str, Any],
    *,
    action: str,
    rule_ref: str,
    title: dict[str, str],
    text: dict[str, str],
    lang: str,
) -> str:
    """The author's notice in French or English, from the stored statement and the rule's public texts."""
    lang = notice_language(lang)
    kind = ActionType(action)
    until = ""
    end = statement.get("end_date_account_restriction") or statement.get("end_date_visibility_restriction")
    if end:
        until = f" Until {end}." if lang == "en" else f" Jusqu'au {end}."
    if statement.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        ground = (
            f"illegal content ({statement.get('illegal_content_legal_ground', '')})"
            if lang == "en"
            else f"contenu illicite ({statement.get('illegal_content_legal_ground', '')})"
        )
    else:
        ground = (
            "incompatible with our community standards"
            if lang == "en"
            else "contraire à nos règles de la communauté"
        )
    return NOTICE[lang].format(
        puid=statement.get("puid", ""),
        date=statement.get("application_date", ""),
        what=ACTION_WORDS[lang][kind],
        until=until,
        title=title.get(lang, ""),
        rule=rule_ref,
        text=text.get(lang, ""),
        ground=ground,
        automation=AUTOMATION_WORDS[lang][
            str(statement.get("automated_decision", "AUTOMATED_DECISION_NOT_AUTOMATED"))
        ],
    )
