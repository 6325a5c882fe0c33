"""Published decision texts in French and English.

Members write their rationales in their own language; they are published verbatim in both versions (marked as
original text), while everything the platform writes around them is translated here.
"""

from __future__ import annotations

from typing import Any

OUTCOME_TEXT = {
    "en": {
        "overturn": "The council overturns the decision.",
        "uphold": "The council upholds the decision.",
        "no_consensus": "No consensus across viewpoints: the status quo stands.",
    },
    "fr": {
        "overturn": "Le conseil annule la décision.",
        "uphold": "Le conseil confirme la décision.",
        "no_consensus": "Pas de consensus entre points de vue : le statu quo est maintenu.",
    },
}
VOTE_TEXT = {
    "en": {"overturn": "overturn", "uphold": "uphold", "abstain": "abstain", "none": "did not vote"},
    "fr": {"overturn": "annuler", "uphold": "confirmer", "abstain": "abstention", "none": "n'a pas voté"},
}
BINDING_TEXT = {
    "en": {True: "Binding: support crossed the viewpoint axis.", False: "Not binding."},
    "fr": {True: "Contraignante : le soutien traverse l'axe des points de vue.", False: "Non contraignante."},
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
        "fallback": "supermajority fallback (split not reliable)",
    },
    "fr": {
        "high": "élevée",
        "medium": "moyenne",
        "low": "faible",
        "bridged": "soutien transversal avec quorums par camp",
        "fallback": "repli sur une majorité qualifiée (répartition peu fiable)",
    },
}
ORIGINAL = {"en": "original text", "fr": "texte original"}


def texts(
    *,
    question: str,
    outcome: str,
    binding: bool,
    panel: list[dict[str, Any]],
    votes: list[dict[str, Any]],
    bridging: dict[str, Any],
) -> dict[str, Any]:
    """{"en": {...}, "fr": {...}} with outcome, panel, votes, majority and dissenting rationales."""
    cast = [v for v in votes if v["vote"] in ("overturn", "uphold")]
    if outcome in ("overturn", "uphold"):
        majority_side = outcome
    else:
        n_over = sum(1 for v in cast if v["vote"] == "overturn")
        majority_side = "overturn" if n_over * 2 > len(cast) else "uphold"
    majority = [v for v in cast if v["vote"] == majority_side]
    dissent = [v for v in cast if v["vote"] != majority_side]
    out: dict[str, Any] = {}
    for lang in ("en", "fr"):
        conf = CONFIDENCE_TEXT[lang].format(
            label=LABELS[lang][bridging.get("confidence_label", "low")],
            value=float(bridging.get("confidence", 0.0)),
            runs=int(bridging.get("bootstrap_runs", 0)),
            mode=LABELS[lang][bridging.get("rule", {}).get("mode", "fallback")],
        )
        out[lang] = {
            "question": question,
            "outcome": OUTCOME_TEXT[lang][outcome],
            "binding": BINDING_TEXT[lang][binding],
            "confidence": conf,
            "panel": [{"name": p["name"], "position_at_draw": p["position_at_draw"]} for p in panel],
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
