"""Demo fixtures for `townsquare demo load`: a diverse council and one permanent-ban appeal awaiting its panel.

Idempotent: members are created once (by key name); the ban and its appeal only when no council case exists yet.
The ban is taken by the demo moderator through the ordinary enforcement path, and appealed by its author through
the ordinary appeal path, so the demo shows the real flow rather than fabricated rows.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core.enums import ActorKind
from townsquare.storage.models import Account, CouncilCase, CouncilMember

MEMBERS = (
    ("demo-council-1", "Amina Diallo", "Dakar", ["fr", "en"], ["human rights law"], "industry"),
    ("demo-council-2", "Thomas Berger", "Strasbourg", ["fr", "de"], ["journalism"], "progressive"),
    ("demo-council-3", "Grace O'Neill", "Dublin", ["en"], ["free expression advocacy"], "conservative"),
    ("demo-council-4", "Karim Haddad", "Marseille", ["fr", "ar"], ["community organising"], "civil-society"),
    ("demo-council-5", "Eleanor Price", "Leeds", ["en"], ["child safety"], "progressive"),
    (
        "demo-council-6",
        "Lucía Romero",
        "Montréal",
        ["fr", "es", "en"],
        ["extremism research"],
        "conservative",
    ),
    ("demo-council-7", "Jonas Lindqvist", "Uppsala", ["en", "sv"], ["platform governance"], "civil-society"),
)
"""Declared viewpoint groups: member 1 is the only one of hers, so a draw across groups always seats her (the
README signs in as demo-council-1 to show the panel's console)."""
BANNED = "troll_4521"
APPEAL_TEXT = "I was angry, I deleted nothing but I will stop. A permanent ban is disproportionate."


def load(session: Session) -> None:
    from townsquare.council import members

    for key_name, name, region, languages, expertise, group in MEMBERS:
        exists = session.scalar(select(CouncilMember).where(CouncilMember.key_name == key_name))
        if exists is None:
            members.create(
                session,
                name=name,
                key_name=key_name,
                actor="demo",
                bio=f"{name} ({region}) — {', '.join(expertise)}.",
                region=region,
                languages=languages,
                expertise=expertise,
                viewpoint_group=group,
            )
    if session.scalar(select(func.count()).select_from(CouncilCase)):
        return
    account = session.get(Account, BANNED)
    if account is None or account.status == "banned":
        return
    from townsquare.moderation.appeals import file_appeal
    from townsquare.policy.enforce import apply_action

    ban = apply_action(
        session,
        subject_type="account",
        subject_id=BANNED,
        action="permanent_ban",
        rule_id="hate.dehumanisation",
        actor="demo-moderator",
        actor_kind=ActorKind.MODERATOR,
        reason="Repeated dehumanising posts about migrants and a death threat (demo).",
    )
    session.flush()
    file_appeal(session, action_id=ban.id, appellant_id=BANNED, text=APPEAL_TEXT)
