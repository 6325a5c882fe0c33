"""Published decision texts in French and English.

Members write their rationales in their own language; they are published verbatim in both versions (marked as
original text), while everything the platform writes around them is translated here.
"""

from __future__ import annotations

from typing import Any

OUTCOME_TEXT = {
    "en": {
        "overturn": "The council overturns the decision.",
        "modify": "The council modifies the decision: {replacement}.",
        "uphold": "The council upholds the decision.",
        "no_consensus": "No consensus across viewpoints: the status quo stands.",
    },
    "fr": {
        "overturn": "Le conseil annule la décision.",
        "modify": "Le conseil modifie la décision : {replacement}.",
        "uphold": "Le conseil confirme la décision.",
        "no_consensus": "Pas de consensus entre points de vue : le statu quo est maintenu.",
    },
}
REPLACEMENT = {
    "en": {
        "suspend": "the ban is replaced by a time-limited suspension",
        "label": "the measure is lifted and the post(s) it concerned are restored with a label",
    },
    "fr": {
        "suspend": "le bannissement est remplacé par une suspension limitée dans le temps",
        "label": "la mesure est levée et la ou les publications concernées sont rétablies avec une étiquette",
    },
}
VOTE_TEXT = {
    "en": {
        "overturn": "overturn",
        "modify": "modify",
        "uphold": "uphold",
        "abstain": "abstain",
        "none": "did not vote",
        "frozen": "seat frozen (vote not counted)",
    },
    "fr": {
        "overturn": "annuler",
        "modify": "modifier",
        "uphold": "confirmer",
        "abstain": "abstention",
        "none": "n'a pas voté",
        "frozen": "siège gelé (vote non compté)",
    },
}
BINDING_TEXT = {
    "en": {
        "bridged": "Binding: support crossed the viewpoint axis (bridged support and supporters on both sides).",
        "fallback_groups": "Binding: a supermajority of the panel, with supporters in {n} declared viewpoint "
        "groups ({groups}); the viewpoint axis was not reliable enough to use.",
        "fallback_halves": "Binding: a supermajority of the panel, with supporters in both halves of the panel; "
        "the viewpoint axis was not reliable enough to use.",
        "not_binding": "Not binding: the status quo stands.",
        "no_decision": "Not binding: neither declared groups nor voting history could tell the panel's viewpoints "
        "apart, so nothing could bind.",
    },
    "fr": {
        "bridged": "Contraignante : le soutien traverse l'axe des points de vue (soutien transversal et soutiens "
        "des deux côtés).",
        "fallback_groups": "Contraignante : une majorité qualifiée du panel, avec des soutiens dans {n} groupes "
        "de points de vue déclarés ({groups}) ; l'axe des points de vue n'était pas assez fiable pour servir.",
        "fallback_halves": "Contraignante : une majorité qualifiée du panel, avec des soutiens dans les deux "
        "moitiés du panel ; l'axe des points de vue n'était pas assez fiable pour servir.",
        "not_binding": "Non contraignante : le statu quo est maintenu.",
        "no_decision": "Non contraignante : ni les groupes déclarés ni l'historique des votes ne distinguaient "
        "les points de vue du panel ; rien ne pouvait contraindre.",
    },
}
CONFIDENCE_UNMEASURED = {
    "en": "Confidence in the left/right split of the panel: not measured — the members have too little voting history "
    "to be placed on a viewpoint axis, so the axis was not used. Rule used: {mode}.",
    "fr": "Confiance dans la répartition gauche/droite du panel : non mesurée — les membres n'ont pas assez "
    "d'historique de votes pour être placés sur un axe des points de vue, qui n'a donc pas servi. Règle appliquée : "
    "{mode}.",
}
CONFIDENCE_TEXT = {
    "en": "Confidence in the left/right split of the panel: {label} ({value:.0%} of {runs} bootstrap refits agree). "
    "Rule used: {mode}.",
    "fr": "Confiance dans la répartition gauche/droite du panel : {label} ({value:.0%} de {runs} réestimations "
    "par bootstrap concordent). Règle appliquée : {mode}.",
}
LABELS = {
    "en": {
        "high": "high",
        "medium": "medium",
        "low": "low",
        "bridged": "bridged support with per-side quorums",
        "fallback": "supermajority with supporters on at least two sides (declared groups or halves); the axis "
        "was not reliable",
        "no_decision": "none (the panel's sides could not be told apart; nothing can bind)",
    },
    "fr": {
        "high": "élevée",
        "medium": "moyenne",
        "low": "faible",
        "bridged": "soutien transversal avec quorums par camp",
        "fallback": "majorité qualifiée avec des soutiens d'au moins deux côtés (groupes déclarés ou moitiés) ; "
        "l'axe n'était pas fiable",
        "no_decision": "aucune (les côtés du panel ne se distinguaient pas ; rien ne peut contraindre)",
    },
}
ORIGINAL = {"en": "original text", "fr": "texte original"}
ROSTER = {"en": "Council roster", "fr": "Composition du conseil"}
PSEUDONYMS = {
    "en": "Votes are published under pseudonyms drawn for this decision; a member's name appears only if they "
    "chose to publish it.",
    "fr": "Les votes sont publiés sous des pseudonymes tirés pour cette décision ; le nom d'un membre n'apparaît "
    "que s'il a choisi de le publier.",
}


def binding_text(lang: str, binding: bool, rule: dict[str, Any], outcome: str) -> str:
    """The binding sentence, true for the mode the rule actually used."""
    mode = rule.get("mode", "fallback")
    if mode == "no_decision":
        return BINDING_TEXT[lang]["no_decision"]
    if not binding:
        return BINDING_TEXT[lang]["not_binding"]
    if mode == "bridged":
        return BINDING_TEXT[lang]["bridged"]
    check = (rule.get("checks") or {}).get(outcome, {})
    if check.get("basis") == "declared_groups":
        groups = list(check.get("supporting_groups") or [])
        return BINDING_TEXT[lang]["fallback_groups"].format(n=len(groups), groups=", ".join(groups))
    return BINDING_TEXT[lang]["fallback_halves"]


def texts(
    *,
    question: str,
    outcome: str,
    binding: bool,
    panel: list[dict[str, Any]],
    votes: list[dict[str, Any]],
    bridging: dict[str, Any],
    roster: list[str] | None = None,
    modify_to: str | None = None,
) -> dict[str, Any]:
    """{"en": {...}, "fr": {...}} with outcome, roster, panel and votes under pseudonyms, majority and dissent."""
    cast = [v for v in votes if v["vote"] in ("overturn", "modify", "uphold")]
    if outcome in ("overturn", "modify", "uphold"):
        majority_side = outcome
    else:
        n_change = sum(1 for v in cast if v["vote"] in ("overturn", "modify"))
        majority_side = "overturn" if n_change * 2 > len(cast) else "uphold"
    backers = {"overturn": ("overturn",), "modify": ("modify", "overturn"), "uphold": ("uphold",)}[
        majority_side
    ]
    majority = [v for v in cast if v["vote"] in backers]
    dissent = [v for v in cast if v["vote"] not in backers]
    rule = bridging.get("rule", {}) or {}
    out: dict[str, Any] = {}
    for lang in ("en", "fr"):
        runs = int(bridging.get("bootstrap_runs", 0))
        conf = (CONFIDENCE_TEXT if runs else CONFIDENCE_UNMEASURED)[lang].format(
            label=LABELS[lang][bridging.get("confidence_label", "low")],
            value=float(bridging.get("confidence", 0.0)),
            runs=int(bridging.get("bootstrap_runs", 0)),
            mode=LABELS[lang][rule.get("mode", "fallback")],
        )
        replacement = REPLACEMENT[lang].get(modify_to or "suspend", "")
        out[lang] = {
            "question": question,
            "outcome": OUTCOME_TEXT[lang][outcome].format(replacement=replacement),
            "binding": binding_text(lang, binding, rule, outcome),
            "confidence": conf,
            "roster": {"title": ROSTER[lang], "names": list(roster or [])},
            "pseudonyms": PSEUDONYMS[lang],
            "panel": [
                {"name": p["name"], "position_at_draw": p["position_at_draw"], "group": p.get("group")}
                for p in panel
            ],
            "votes": [
                {"name": v["name"], "vote": VOTE_TEXT[lang][v["vote"]], "rationale": v["rationale"]}
                for v in votes
            ],
            "majority": {
                "vote": VOTE_TEXT[lang][majority_side],
                "rationales": [
                    {"name": v["name"], "text": v["rationale"], "note": ORIGINAL[lang]} for v in majority
                ],
            },
            "dissent": {
                "rationales": [
                    {"name": v["name"], "text": v["rationale"], "note": ORIGINAL[lang]} for v in dissent
                ],
            },
        }
    return out
