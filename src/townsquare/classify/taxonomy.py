"""The one table: policy labels -> thresholds, risk tiers, GARM category and DSA statement category.

Every other component (policy engine, ads engine, transparency export, docs/taxonomy.md) reads this table;
nothing else in the code base maps labels to GARM or DSA vocabularies.

Tiers, weakest to strongest: ``none < low < medium < high < floor``. A label's tier is the strongest tier
whose cut-off its calibrated score reaches. ``threshold`` is the shipped policy threshold: a label is listed in
``Assessment.labels`` when its score reaches it. ``top`` is the tier a label reaches at ``floor_cut``: labels
whose violating form is never suitable for ads (dehumanising hate, terrorist propaganda, explicit sexual
content, credible threats, promotion of self-harm) reach ``floor``; the others stop at ``high`` or ``medium``.
"""

from __future__ import annotations

from dataclasses import dataclass

TIERS: tuple[str, ...] = ("none", "low", "medium", "high", "floor")
_RANK = {t: i for i, t in enumerate(TIERS)}

GARM_CATEGORIES: tuple[str, ...] = (
    "adult_sexual",
    "arms_ammunition",
    "crime_harmful_acts",
    "death_injury_conflict",
    "online_piracy",
    "hate_speech_aggression",
    "obscenity_profanity",
    "drugs_tobacco_alcohol",
    "spam_harmful",
    "terrorism",
    "sensitive_social_issues",
    "misinformation",
)


@dataclass(frozen=True)
class LabelSpec:
    """One row of the table."""

    label: str
    definition: str
    garm: str
    top: str  # strongest tier the label can reach
    threshold: float  # shipped policy threshold (label listed in Assessment.labels)
    cuts: tuple[float, float, float]  # score cut-offs for low, medium, high
    floor_cut: float | None  # score cut-off for the floor tier (None: label never reaches floor)
    dsa_category: str
    dsa_keyword: str
    actionable: bool = True  # False: a suitability signal only, never a rule violation on its own


TABLE: tuple[LabelSpec, ...] = (
    LabelSpec(
        "hate_speech",
        "Attacks on people for a protected characteristic (origin, religion, gender, sexual orientation, "
        "disability, ...): derogation, dehumanisation, threats, slurs, including implicit ones.",
        "hate_speech_aggression",
        "floor",
        0.5,
        (0.2, 0.35, 0.5),
        0.75,
        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
        "KEYWORD_HATE_SPEECH",
    ),
    LabelSpec(
        "harassment",
        "Abuse, insults or intimidation aimed at an individual or a non-protected group.",
        "hate_speech_aggression",
        "high",
        0.5,
        (0.2, 0.35, 0.5),
        None,
        "STATEMENT_CATEGORY_CYBER_VIOLENCE",
        "KEYWORD_CYBER_HARASSMENT",
    ),
    LabelSpec(
        "violent_threat",
        "A statement of intent or a call to kill, hurt or attack a person or group.",
        "hate_speech_aggression",
        "floor",
        0.5,
        (0.2, 0.35, 0.5),
        0.7,
        "STATEMENT_CATEGORY_VIOLENCE",
        "KEYWORD_INCITEMENT_VIOLENCE_HATRED",
    ),
    LabelSpec(
        "violent_extremism",
        "Praise, support, recruitment or propaganda for terrorist or violent extremist organisations or acts.",
        "terrorism",
        "floor",
        0.5,
        (0.2, 0.35, 0.5),
        0.7,
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        "KEYWORD_TERRORIST_CONTENT",
    ),
    LabelSpec(
        "sexual",
        "Sexually explicit descriptions, solicitation or pornographic content.",
        "adult_sexual",
        "floor",
        0.5,
        (0.2, 0.35, 0.5),
        0.75,
        "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "KEYWORD_ADULT_SEXUAL_MATERIAL",
    ),
    LabelSpec(
        "profanity",
        "Obscene or vulgar language, whether or not it attacks anyone.",
        "obscenity_profanity",
        "high",
        0.5,
        (0.25, 0.4, 0.6),
        None,
        "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "KEYWORD_OTHER",
        False,
    ),
    LabelSpec(
        "graphic_violence",
        "Gory or graphic descriptions of injury, death or violence.",
        "death_injury_conflict",
        "high",
        0.5,
        (0.2, 0.35, 0.5),
        None,
        "STATEMENT_CATEGORY_VIOLENCE",
        "KEYWORD_OTHER",
    ),
    LabelSpec(
        "weapons",
        "Sale, trade, manufacture or glorification of firearms, ammunition, explosives or other weapons.",
        "arms_ammunition",
        "high",
        0.5,
        (0.2, 0.35, 0.5),
        None,
        "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
        "KEYWORD_PROHIBITED_PRODUCTS",
    ),
    LabelSpec(
        "drugs_alcohol",
        "Sale, use or promotion of illegal drugs, tobacco, vaping or alcohol.",
        "drugs_tobacco_alcohol",
        "high",
        0.5,
        (0.2, 0.35, 0.5),
        None,
        "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
        "KEYWORD_PROHIBITED_PRODUCTS",
    ),
    LabelSpec(
        "crime",
        "Promotion or instruction of crimes and harmful acts: theft, fraud, hacking, trafficking, doxxing.",
        "crime_harmful_acts",
        "high",
        0.5,
        (0.2, 0.35, 0.5),
        None,
        "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "KEYWORD_VIOLATION_NATIONAL_LAW",
    ),
    LabelSpec(
        "spam_scam",
        "Unsolicited commercial content, phishing, fake giveaways, get-rich-quick and other scams.",
        "spam_harmful",
        "high",
        0.5,
        (0.2, 0.35, 0.5),
        None,
        "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        "KEYWORD_PHISHING",
    ),
    LabelSpec(
        "misinformation",
        "Demonstrably false claims presented as fact on health, elections, science or public safety.",
        "misinformation",
        "high",
        0.5,
        (0.2, 0.35, 0.5),
        None,
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "KEYWORD_MISINFORMATION_DISINFORMATION",
    ),
    LabelSpec(
        "sensitive_social_issue",
        "Debate on contested social issues (immigration, abortion, religion, gender, policing, ...). "
        "Legitimate speech: a brand-suitability signal, never a violation.",
        "sensitive_social_issues",
        "medium",
        0.5,
        (0.3, 0.5, 1.01),
        None,
        "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "KEYWORD_OTHER",
        False,
    ),
    LabelSpec(
        "self_harm",
        "Suicide, self-injury or eating disorders: a person's own risk (ideation, intent, self-injury) or "
        "promotion, encouragement or instructions. The person at risk gets resources, never a penalty.",
        "death_injury_conflict",
        "floor",
        0.5,
        (0.2, 0.35, 0.5),
        0.75,
        "STATEMENT_CATEGORY_SELF_HARM",
        "KEYWORD_SELF_MUTILATION",
    ),
    LabelSpec(
        "piracy",
        "Sharing or promoting pirated copies, illegal streams, cracks or counterfeit licences.",
        "online_piracy",
        "high",
        0.5,
        (0.2, 0.35, 0.5),
        None,
        "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "KEYWORD_COPYRIGHT_INFRINGEMENT",
    ),
)

LABELS: tuple[str, ...] = tuple(s.label for s in TABLE)
SPECS: dict[str, LabelSpec] = {s.label: s for s in TABLE}

# Labels that count as "hateful / toxic" when the public held-out splits are scored.
TOXIC_LABELS: tuple[str, ...] = ("hate_speech", "harassment", "profanity", "violent_threat")


@dataclass(frozen=True)
class TopicSpec:
    """A brand-safety topic: what a post is about, not a harm. GARM suitability only, never a policy signal."""

    topic: str
    definition: str
    garm: str
    cuts: tuple[float, float]  # score cut-offs for low, medium (a topic never goes above medium)


# GARM's suitability framework grades news and debate as medium ("news, dramatic depiction") at most: advertisers
# can steer clear of them with a profile, but they are never unsafe content and never reach the policy engine
# (the policy language only knows LABELS; a unit test checks no rule can name a topic).
TOPIC_TABLE: tuple[TopicSpec, ...] = (
    TopicSpec("news_crime", "News or reports of crimes, arrests, trials.", "crime_harmful_acts", (0.3, 0.5)),
    TopicSpec("news_terrorism", "News of terrorist attacks, plots, trials.", "terrorism", (0.3, 0.5)),
    TopicSpec("news_conflict", "News of war and armed conflict.", "death_injury_conflict", (0.3, 0.5)),
    TopicSpec(
        "news_tragedy", "News of disasters, accidents, mass deaths.", "death_injury_conflict", (0.3, 0.5)
    ),
    TopicSpec(
        "debate_immigration",
        "Immigration, asylum, refugees: news and debate.",
        "sensitive_social_issues",
        (0.3, 0.5),
    ),
    TopicSpec(
        "debate_religion", "Religion and secularism: news and debate.", "sensitive_social_issues", (0.3, 0.5)
    ),
    TopicSpec(
        "debate_politics",
        "Elections, parties, government: news and debate.",
        "sensitive_social_issues",
        (0.3, 0.5),
    ),
    TopicSpec("debate_lgbtq", "LGBTQ rights: news and debate.", "sensitive_social_issues", (0.3, 0.5)),
)
TOPICS: tuple[str, ...] = tuple(t.topic for t in TOPIC_TABLE)
TOPIC_SPECS: dict[str, TopicSpec] = {t.topic: t for t in TOPIC_TABLE}


def topic_tier(topic: str, score: float) -> str:
    """``none``, ``low`` or ``medium`` (topics never reach high or floor)."""
    low, medium = TOPIC_SPECS[topic].cuts
    return "medium" if score >= medium else "low" if score >= low else "none"


def tier_for(label: str, score: float) -> str:
    """The risk tier a calibrated score reaches for a label."""
    spec = SPECS[label]
    if spec.floor_cut is not None and score >= spec.floor_cut:
        return "floor"
    low, medium, high = spec.cuts
    if score >= high:
        return min("high", spec.top, key=_RANK.__getitem__)
    if score >= medium:
        return "medium"
    if score >= low:
        return "low"
    return "none"


def max_tier(tiers: list[str] | tuple[str, ...]) -> str:
    """The strongest of several tiers ("none" for an empty list)."""
    return max(tiers, key=_RANK.__getitem__, default="none")


def tier_rank(tier: str) -> int:
    """Position of a tier in TIERS (none = 0 ... floor = 4)."""
    return _RANK[tier]


def garm_category(label: str) -> str:
    """The GARM category a label maps onto."""
    return SPECS[label].garm


def garm_tiers(tiers: dict[str, str], topic_tiers: dict[str, str] | None = None) -> dict[str, str]:
    """Per-label (and per-topic) tiers -> per-GARM-category tiers (strongest wins). Only categories above ``none``."""
    out: dict[str, str] = {}
    for label, tier in tiers.items():
        if tier == "none":
            continue
        cat = SPECS[label].garm
        out[cat] = max_tier([out.get(cat, "none"), tier])
    for topic, tier in (topic_tiers or {}).items():
        if tier == "none":
            continue
        cat = TOPIC_SPECS[topic].garm
        out[cat] = max_tier([out.get(cat, "none"), tier])
    return {c: out[c] for c in GARM_CATEGORIES if c in out}


def dsa_category(label: str) -> tuple[str, str]:
    """(``STATEMENT_CATEGORY_*``, ``KEYWORD_*``) for a label, as the DSA Transparency Database wants them."""
    spec = SPECS[label]
    return spec.dsa_category, spec.dsa_keyword


def is_actionable(label: str) -> bool:
    """False for suitability-only labels (profanity, sensitive_social_issue)."""
    return SPECS[label].actionable


def markdown_table() -> str:
    """The table as Markdown (docs/taxonomy.md embeds it; a unit test keeps them in sync)."""
    rows = [
        "| label | threshold | low / medium / high cut | floor cut | GARM category | top tier | DSA category | DSA keyword |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in TABLE:
        floor = "-" if s.floor_cut is None else f"{s.floor_cut:g}"
        cuts = " / ".join("-" if c > 1 else f"{c:g}" for c in s.cuts)
        rows.append(
            f"| `{s.label}` | {s.threshold:g} | {cuts} | {floor} | `{s.garm}` | {s.top} | "
            f"`{s.dsa_category}` | `{s.dsa_keyword}` |"
        )
    return "\n".join(rows)


def topics_markdown_table() -> str:
    """The brand-safety topics as Markdown (docs/taxonomy.md embeds it; a unit test keeps them in sync)."""
    rows = ["| topic | low / medium cut | GARM category | definition |", "|---|---|---|---|"]
    for t in TOPIC_TABLE:
        rows.append(f"| `{t.topic}` | {t.cuts[0]:g} / {t.cuts[1]:g} | `{t.garm}` | {t.definition} |")
    return "\n".join(rows)
