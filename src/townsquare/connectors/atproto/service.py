"""The labeler's service declaration: the `app.bsky.labeler.service` record (rkey `self`) an admin publishes in
the labeler account's repo, built from the active policy so the values clients see match what we emit.

Each rule's value is declared with its French and English title and text; severity and blurring follow the
rule's own action (a label informs, limited reach and age restriction warn over the content, removal hides it).
"""

from __future__ import annotations

from typing import Any

from townsquare.connectors.atproto.labels import GLOBAL_VALUES, now_cts, rule_value
from townsquare.policy.rules import Policy

_SHAPE: dict[str, tuple[str, str, str]] = {
    # action: (severity, blurs, defaultSetting)
    "label": ("inform", "none", "warn"),
    "limit_reach": ("alert", "content", "warn"),
    "age_restrict": ("alert", "content", "warn"),
    "remove": ("alert", "content", "hide"),
    "warn": ("inform", "none", "warn"),
    "suspend": ("alert", "none", "warn"),
    "permanent_ban": ("alert", "none", "hide"),
}


def _locale(lang: str, title: str, text: str) -> dict[str, str]:
    return {"lang": lang, "name": title[:64], "description": (text or title)[:10_000]}


def declaration(policy: Policy) -> dict[str, Any]:
    """The record body (put it with `com.atproto.repo.putRecord`, collection `app.bsky.labeler.service`)."""
    defs: list[dict[str, Any]] = []
    values: list[str] = []
    for rule in [*policy.rules, policy.strikes.as_rule()]:
        value = rule_value(rule.id)
        if value in values:
            continue
        severity, blurs, default = _SHAPE.get(rule.action.value, ("inform", "none", "warn"))
        locales = [
            _locale(lang, rule.title.get(lang, rule.id), rule.text.get(lang, ""))
            for lang in ("en", "fr")
            if rule.title.get(lang)
        ] or [_locale("en", rule.id, "")]
        values.append(value)
        defs.append(
            {
                "identifier": value,
                "severity": severity,
                "blurs": blurs,
                "defaultSetting": default,
                "adultOnly": False,
                "locales": locales,
            }
        )
    globals_ = sorted({v for vs in GLOBAL_VALUES.values() for v in vs})
    return {
        "$type": "app.bsky.labeler.service",
        "policies": {"labelValues": [*values, *globals_], "labelValueDefinitions": defs},
        "subjectTypes": ["record", "account"],
        "subjectCollections": ["app.bsky.feed.post"],
        "createdAt": now_cts(),
    }


def did_document_hints(did: str, multikey: str, endpoint: str) -> dict[str, Any]:
    """What the labeler's DID document must hold: the label key and the labeler endpoint."""
    return {
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#atproto_label",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey,
            }
        ],
        "service": [{"id": "#atproto_labeler", "type": "AtprotoLabeler", "serviceEndpoint": endpoint}],
    }
