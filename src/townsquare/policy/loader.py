"""Policy YAML -> Policy, collecting every problem with its line and column (`townsquare policy check`).

The parser keeps going after an error so one run reports all of them; a policy with any problem is never
loaded (`load_text` raises PolicyError listing them).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from townsquare.classify import taxonomy
from townsquare.core.enums import ACCOUNT_ACTIONS, POST_ACTIONS, ActionType
from townsquare.core.errors import Invalid
from townsquare.policy import conditions as c
from townsquare.policy.nodecheck import NodeChecker
from townsquare.policy.rules import RULE_ID, Policy, Rule, StrikePolicy, Threshold, dsa_for_labels
from townsquare.policy.yamlnodes import N, PolicySyntaxError, Problem, compose

_DSA_CATEGORY = re.compile(r"^STATEMENT_CATEGORY_[A-Z_]+$")
_DSA_KEYWORD = re.compile(r"^KEYWORD_[A-Z_]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

TOP_KEYS = ("name", "version", "territorial_scope", "strikes", "lists", "rules")
RULE_KEYS = (
    "id",
    "version",
    "title",
    "text",
    "when",
    "action",
    "strike",
    "strike_expiry_days",
    "dsa",
    "ground",
    "legal_ground",
    "possibly_illegal",
)
CONDITION_KEYS = (
    "all",
    "any",
    "not",
    "label",
    "tier",
    "score",
    "strikes",
    "reports",
    "keywords",
    "regex",
    "lang",
)


class PolicyError(Invalid):
    """A policy file with problems; `problems` lists them all, `render(filename)` prints them like a compiler."""

    def __init__(self, problems: list[Problem], filename: str = "<policy>") -> None:
        self.problems = problems
        self.filename = filename
        super().__init__(
            f"invalid policy {filename}: " + "; ".join(p.render(filename) for p in problems[:5]),
            problems=[p.render(filename) for p in problems],
        )

    def render(self) -> list[str]:
        return [p.render(self.filename) for p in self.problems]


class _Parser(NodeChecker):
    def __init__(self) -> None:
        super().__init__()
        self.lists: dict[str, tuple[str, tuple[str, ...]]] = {}

    # -- conditions ------------------------------------------------------------------------------------
    def bounds(self, node: N, where: str, parse: Callable[[N, str], Any], label: bool) -> dict[str, Any]:
        keys = ("label", "at_least", "below") if label else ("at_least", "below")
        fields = self.mapping(node, where, keys, ("label",) if label else ())
        out: dict[str, Any] = {}
        if label and "label" in fields:
            out["label"] = self.label_name(fields["label"], f"{where}.label", allow_any=True)
        for key in ("at_least", "below"):
            if key in fields:
                out[key] = parse(fields[key], f"{where}.{key}")
        if node.is_map and "at_least" not in fields and "below" not in fields:
            self.err(node, f"{where}: needs 'at_least' or 'below'")
        return out

    def tier_value(self, node: N, where: str) -> str | None:
        name = self.string(node, where)
        if name is not None and name not in taxonomy.TIERS:
            self.err(node, f"{where}: unknown tier '{name}' (expected one of: {', '.join(taxonomy.TIERS)})")
            return None
        return name

    def score_value(self, node: N, where: str) -> float | None:
        value = self.number(node, where)
        if value is not None and value > 1:
            self.err(node, f"{where} must be between 0 and 1, got {value:g}")
            return None
        return value

    def list_ref(self, node: N, where: str, kind: str) -> tuple[str, tuple[str, ...]] | None:
        if node.is_scalar and isinstance(node.value(), str):
            name = node.value()
            if name not in self.lists:
                self.err(node, f"{where}: unknown list '{name}'")
                return None
            list_kind, items = self.lists[name]
            if list_kind != kind:
                self.err(node, f"{where}: list '{name}' is a {list_kind} list, not {kind}")
                return None
            return name, items
        items = self.string_list(node, where)
        if kind == "regex" and not self.check_patterns(node, where, items):
            return None
        return (f"inline@{node.line}", items) if items else None

    def check_patterns(self, node: N, where: str, patterns: tuple[str, ...]) -> bool:
        ok = True
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                self.err(node, f"{where}: invalid regular expression {pattern!r}: {exc}")
                ok = False
        return ok

    def condition(self, node: N, where: str) -> c.Condition | None:
        if not node.is_map:
            self.err(node, f"{where} must be a mapping with one condition, got {node.kind}")
            return None
        pairs = list(node.items())
        if len(pairs) != 1:
            self.err(
                node,
                f"{where} must have exactly one key (one of: {', '.join(CONDITION_KEYS)}), got {len(pairs)}",
            )
            return None
        key, value = pairs[0]
        name = key.value() if key.is_scalar else None
        if name not in CONDITION_KEYS:
            self.err(
                key, f"{where}: unknown condition '{name}' (expected one of: {', '.join(CONDITION_KEYS)})"
            )
            return None
        inner = f"{where}.{name}"
        if name in ("all", "any"):
            if not value.is_seq or not list(value.elements()):
                self.err(value, f"{inner} must be a non-empty list of conditions")
                return None
            parts = [self.condition(el, f"{inner}[{i}]") for i, el in enumerate(value.elements())]
            if any(p is None for p in parts):
                return None
            done = tuple(p for p in parts if p is not None)
            return c.All(done) if name == "all" else c.Any_(done)
        if name == "not":
            part = self.condition(value, inner)
            return c.Not(part) if part is not None else None
        if name == "label":
            label = self.label_name(value, inner)
            return c.Label(label) if label else None
        if name == "tier":
            b = self.bounds(value, inner, self.tier_value, label=True)
            return c.Tier(b["label"], b.get("at_least"), b.get("below")) if b.get("label") else None
        if name == "score":
            b = self.bounds(value, inner, self.score_value, label=True)
            return c.Score(b["label"], b.get("at_least"), b.get("below")) if b.get("label") else None
        if name in ("strikes", "reports"):
            b = self.bounds(value, inner, self.number, label=False)
            return c.Count(str(name), b.get("at_least"), b.get("below")) if b else None
        if name in ("keywords", "regex"):
            ref = self.list_ref(value, inner, str(name))
            if ref is None:
                return None
            return c.Keywords.build(*ref) if name == "keywords" else c.Regex.build(*ref)
        langs = self.string_list(value, inner)
        return c.Lang(tuple(x.lower() for x in langs)) if langs else None

    # -- sections --------------------------------------------------------------------------------------
    def parse_lists(self, node: N) -> None:
        if not node.is_map:
            self.err(node, f"lists must be a mapping, got {node.kind}")
            return
        for key, value in node.items():
            name = key.value()
            where = f"lists.{name}"
            fields = self.mapping(value, where, ("keywords", "regex"))
            if value.is_map and len(fields) != 1:
                self.err(value, f"{where} must have exactly one of 'keywords' or 'regex'")
                continue
            for kind, items_node in fields.items():
                items = self.string_list(items_node, f"{where}.{kind}")
                if kind == "regex" and not self.check_patterns(items_node, f"{where}.{kind}", items):
                    continue
                self.lists[str(name)] = (kind, items)

    def parse_strikes(self, node: N) -> StrikePolicy:
        keys = ("id", "version", "expiry_days", "title", "text", "thresholds")
        f = self.mapping(node, "strikes", keys, ("title", "text"))
        sp = StrikePolicy()
        rid, version, expiry = sp.id, sp.version, sp.expiry_days
        if "id" in f:
            value = self.string(f["id"], "strikes.id")
            if value is not None and not RULE_ID.match(value):
                self.err(f["id"], f"strikes.id: malformed rule id '{value}' (expected 'area.name')")
            elif value is not None:
                rid = value
        if "version" in f:
            version = self.integer(f["version"], "strikes.version") or version
        if "expiry_days" in f:
            expiry = self.integer(f["expiry_days"], "strikes.expiry_days") or expiry
        thresholds: list[Threshold] = []
        if "thresholds" in f:
            tnode = f["thresholds"]
            if not tnode.is_seq:
                self.err(tnode, f"strikes.thresholds must be a list, got {tnode.kind}")
            else:
                for i, el in enumerate(tnode.elements()):
                    where = f"strikes.thresholds[{i}]"
                    tf = self.mapping(el, where, ("at", "action", "hours"), ("at", "action"))
                    at = self.number(tf["at"], f"{where}.at", minimum=0.5) if "at" in tf else None
                    action = (
                        self.action(tf["action"], f"{where}.action", ACCOUNT_ACTIONS)
                        if "action" in tf
                        else None
                    )
                    hours = self.integer(tf["hours"], f"{where}.hours") if "hours" in tf else None
                    if action == ActionType.SUSPEND and hours is None and "hours" not in tf and el.is_map:
                        self.err(el, f"{where}: a suspend threshold needs 'hours'")
                    if action is not None and action != ActionType.SUSPEND and "hours" in tf:
                        self.err(tf["hours"], f"{where}.hours: only a suspend threshold has a duration")
                    if at is not None and action is not None:
                        if any(t.at == at for t in thresholds):
                            self.err(el, f"{where}: duplicate threshold at {at:g}")
                        thresholds.append(Threshold(at, action, hours))
        return StrikePolicy(
            id=rid,
            version=version,
            expiry_days=expiry,
            thresholds=tuple(thresholds),
            title=self.texts(f["title"], "strikes.title") if "title" in f else {},
            text=self.texts(f["text"], "strikes.text") if "text" in f else {},
        )

    def parse_rule(self, node: N, i: int) -> Rule | None:
        f = self.mapping(node, f"rules[{i}]", RULE_KEYS, ("id", "version", "title", "text", "action"))
        rid = self.string(f["id"], f"rules[{i}].id") if "id" in f else None
        where = f"rule {rid}" if rid else f"rules[{i}]"
        if rid is not None and not RULE_ID.match(rid):
            self.err(f["id"], f"{where}: malformed rule id '{rid}' (expected 'area.name', lower case)")
            rid = None
        version = self.integer(f["version"], f"{where}: version") if "version" in f else None
        when = self.condition(f["when"], f"{where}: when") if "when" in f else None
        allowed = POST_ACTIONS if "when" in f else POST_ACTIONS + ACCOUNT_ACTIONS
        action = None
        raw_action = f["action"].value() if "action" in f and f["action"].is_scalar else None
        if "when" in f and raw_action in [a.value for a in ACCOUNT_ACTIONS]:
            self.err(
                f["action"],
                f"{where}: account action '{raw_action}' may not come from an automatic rule (strike thresholds "
                "or people decide account actions; remove 'when' to make it a manual ground)",
            )
        elif "action" in f:
            action = self.action(f["action"], f"{where}: action", allowed)
        strike = self.number(f["strike"], f"{where}: strike") if "strike" in f else 0.0
        expiry = (
            self.integer(f["strike_expiry_days"], f"{where}: strike_expiry_days")
            if "strike_expiry_days" in f
            else None
        )
        labels = when.labels() if when is not None else frozenset()
        category, keyword = dsa_for_labels(labels)
        if "dsa" in f:
            d = self.mapping(f["dsa"], f"{where}: dsa", ("category", "keyword"))
            if "category" in d:
                value = self.string(d["category"], f"{where}: dsa.category")
                if value is not None and not _DSA_CATEGORY.match(value):
                    self.err(d["category"], f"{where}: dsa.category must be a STATEMENT_CATEGORY_* value")
                elif value is not None:
                    category = value
            if "keyword" in d:
                value = self.string(d["keyword"], f"{where}: dsa.keyword")
                if value is not None and not _DSA_KEYWORD.match(value):
                    self.err(d["keyword"], f"{where}: dsa.keyword must be a KEYWORD_* value")
                elif value is not None:
                    keyword = value
        ground = "incompatible"
        if "ground" in f:
            value = self.string(f["ground"], f"{where}: ground")
            if value is not None and value not in ("incompatible", "illegal"):
                self.err(f["ground"], f"{where}: ground must be 'incompatible' or 'illegal', got '{value}'")
            elif value is not None:
                ground = value
        legal = self.string(f["legal_ground"], f"{where}: legal_ground") if "legal_ground" in f else ""
        if ground == "illegal" and not legal and node.is_map:
            self.err(node, f"{where}: ground 'illegal' needs 'legal_ground' (the law relied on)")
        possibly = (
            bool(self.scalar(f["possibly_illegal"], f"{where}: possibly_illegal", (bool,), "a boolean"))
            if ("possibly_illegal" in f)
            else False
        )
        title = self.texts(f["title"], f"{where}: title") if "title" in f else {}
        text = self.texts(f["text"], f"{where}: text") if "text" in f else {}
        if (
            None in (rid, version, action)
            or ("when" in f and when is None)
            or len(title) < 2
            or len(text) < 2
        ):
            return None
        assert rid is not None and version is not None and action is not None
        return Rule(
            id=rid,
            version=version,
            action=action,
            title=title,
            text=text,
            when=when,
            strike=strike or 0.0,
            strike_expiry_days=expiry,
            dsa_category=category,
            dsa_keyword=keyword,
            ground=ground,
            legal_ground=legal or "",
            possibly_illegal=possibly,
            line=node.line,
        )

    def parse(self, root: N) -> Policy | None:
        f = self.mapping(root, "policy", TOP_KEYS, ("name", "version", "strikes", "rules"))
        name = self.string(f["name"], "name") if "name" in f else None
        version_node = f.get("version")
        version = None
        if version_node is not None:
            raw = version_node.value() if version_node.is_scalar else None
            if isinstance(raw, bool) or not isinstance(raw, (str, int, float)) or not str(raw).strip():
                self.err(version_node, f"version must be a string, got {version_node.kind}")
            else:
                version = str(raw)
        scope: tuple[str, ...] = ()
        if "territorial_scope" in f:
            scope = self.string_list(f["territorial_scope"], "territorial_scope")
            for code in scope:
                if not _COUNTRY.match(code):
                    self.err(
                        f["territorial_scope"], f"territorial_scope: '{code}' is not a 2-letter country code"
                    )
        if "lists" in f:
            self.parse_lists(f["lists"])
        strikes = self.parse_strikes(f["strikes"]) if "strikes" in f else StrikePolicy()
        rules: list[Rule] = []
        if "rules" in f:
            rnode = f["rules"]
            if not rnode.is_seq:
                self.err(rnode, f"rules must be a list, got {rnode.kind}")
            else:
                seen: dict[str, int] = {strikes.id: 0}
                for i, el in enumerate(rnode.elements()):
                    rule = self.parse_rule(el, i)
                    if rule is None:
                        continue
                    if rule.id in seen:
                        where = f"line {seen[rule.id]}" if seen[rule.id] else "the strikes section"
                        self.err(el, f"rule {rule.id}: duplicate rule id (first defined at {where})")
                        continue
                    seen[rule.id] = rule.line
                    rules.append(rule)
                if not rules and not self.problems:
                    self.err(rnode, "rules must not be empty")
        if self.problems or name is None or version is None:
            return None
        return Policy(
            name=name, version=version, rules=tuple(rules), strikes=strikes, territorial_scope=tuple(scope)
        )


def check_text(text: str) -> tuple[Policy | None, list[Problem]]:
    """Parse and validate; (policy, []) when valid, (None, problems sorted by position) otherwise."""
    try:
        root = compose(text)
    except PolicySyntaxError as exc:
        return None, [exc.problem]
    parser = _Parser()
    policy = parser.parse(root)
    problems = sorted(parser.problems, key=lambda p: (p.line, p.col))
    if policy is None:
        return None, problems or [Problem(1, 1, "invalid policy")]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Policy(
        name=policy.name,
        version=policy.version,
        rules=policy.rules,
        strikes=policy.strikes,
        territorial_scope=policy.territorial_scope,
        sha256=digest,
        source=text,
    ), []


def load_text(text: str, filename: str = "<policy>") -> Policy:
    """A valid Policy or PolicyError (422) with every problem as `file:line:col: message`."""
    policy, problems = check_text(text)
    if policy is None:
        raise PolicyError(problems, filename)
    return policy
