"""Schema-driven fuzzing of the whole API with schemathesis, as every identity, on a real database.

Used two ways: `tests/fuzz/test_fuzz_api.py` runs a small bounded part in `make test` (both databases), and
`make fuzz` (`scripts/fuzz.py`) runs the large one and prints the request counts. Every request goes through the
real ASGI app; a response is a finding when it is a 5xx or when it contradicts `/openapi.json` (undocumented
status, wrong content type, problem body that is not a problem). Findings are collected, not raised one by one,
so a run reports all of them with a curl line to reproduce each.
"""

from __future__ import annotations

import contextlib
import random
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import hypothesis.errors
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings

IDENTITIES = ("anonymous", "admin", "moderator", "council", "advertiser", "auditor", "ingest")


@dataclass
class Finding:
    identity: str
    operation: str
    status: int
    kind: str
    detail: str
    repro: str


@dataclass
class FuzzReport:
    requests: int = 0
    by_identity: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    operations: int = 0
    seconds: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.by_status.items() if status >= 500)

    def summary(self) -> str:
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.by_status.items()))
        idents = ", ".join(f"{k}: {n}" for k, n in sorted(self.by_identity.items()))
        return (
            f"{self.requests} requests over {self.operations} operations in {self.seconds:.0f} s; "
            f"server errors: {self.server_errors}; schema violations: "
            f"{sum(1 for f in self.findings if f.kind != 'server error')}\n"
            f"  by status: {statuses}\n  by identity: {idents}"
        )


def seed(db: Any) -> dict[str, dict[str, str]]:
    """Keys for every role (the advertiser's bound to advertiser `acme`) and a little data for ids to hit."""
    from townsquare.access.keys import create_key
    from townsquare.posts.ingest import ingest
    from townsquare.storage.models import Advertiser

    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    with db.session() as s:
        if s.get(Advertiser, "acme") is None:
            s.add(Advertiser(id="acme", name="Acme"))
            s.flush()
        for role in IDENTITIES[1:]:
            _, token = create_key(
                s,
                role=role,
                name=f"fuzz-{role}-{time.monotonic_ns()}",
                advertiser_id="acme" if role == "advertiser" else None,
            )
            headers[role] = {"Authorization": f"Bearer {token}"}
        ingest(
            s,
            [
                {"id": "1", "author": "1", "text": "hello world"},
                {"id": "p1", "author": "a1", "text": "bonjour à tous", "lang": "fr"},
            ],
        )
    return headers


def _checks() -> list[Any]:
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def run(
    app: Any,
    headers: dict[str, dict[str, str]],
    *,
    examples: int,
    budget_seconds: float,
    identities: tuple[str, ...] = IDENTITIES,
    seed_value: int = 0,
    shuffle: bool = False,
) -> FuzzReport:
    """`examples` generated cases per operation and identity (half valid, half invalid input), until the budget."""
    import schemathesis
    from schemathesis import GenerationMode

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    report = FuzzReport(operations=len(operations))
    checks = _checks()
    started = time.monotonic()
    tasks = [
        (identity, n, mode)
        for identity in identities
        for n in range(len(operations))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]
    if shuffle:
        random.Random(seed_value).shuffle(tasks)  # a bounded run covers a different part each seed
    for identity, n, mode in tasks:
        if time.monotonic() - started > budget_seconds:
            break
        _fuzz_one(operations[n], mode, identity, headers[identity], examples, checks, report, seed_value + n)
    report.seconds = time.monotonic() - started
    return report


def _fuzz_one(
    operation: Any,
    mode: Any,
    identity: str,
    auth: dict[str, str],
    examples: int,
    checks: list[Any],
    report: FuzzReport,
    seed_value: int,
) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    try:
        strategy = operation.as_strategy(generation_mode=mode)
    except Exception:  # noqa: BLE001 - an operation with no negative form: nothing to generate
        return

    @hsettings(
        max_examples=max(1, examples // 2),
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @hypothesis.seed(seed_value)
    @given(case=strategy)
    def fuzz(case: Any) -> None:
        try:
            response = case.call(headers={**(case.headers or {}), **auth}, timeout=120)
        except Exception as exc:  # noqa: BLE001 - no answer at all is a finding too
            report.findings.append(Finding(identity, label, 0, "no answer", repr(exc)[:300], _repro(case)))
            return
        report.requests += 1
        report.by_identity[identity] += 1
        report.by_status[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, headers=auth)
        except AssertionError as exc:
            kind = "server error" if response.status_code >= 500 else "schema violation"
            report.findings.append(
                Finding(identity, label, response.status_code, kind, str(exc)[:800], _repro(case))
            )
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - schemathesis' failure groups are BaseExceptionGroups
            kind = "server error" if response.status_code >= 500 else "schema violation"
            report.findings.append(
                Finding(
                    identity,
                    label,
                    response.status_code,
                    kind,
                    f"{type(exc).__name__}: {exc}"[:800],
                    _repro(case),
                )
            )

    # Unsatisfiable: nothing generable for this operation in this mode (e.g. no invalid form of an empty query).
    with contextlib.suppress(hypothesis.errors.Unsatisfiable, hypothesis.errors.FailedHealthCheck):
        fuzz()


def _repro(case: Any) -> str:
    try:
        return str(case.as_curl_command())[:600]
    except Exception:  # noqa: BLE001 - a repro line is a courtesy
        return f"{case.method} {case.formatted_path}"


def describe(findings: list[Finding], limit: int = 20) -> str:
    seen: set[tuple[str, str, int]] = set()
    lines = []
    for f in findings:
        key = (f.operation, f.kind, f.status)
        if key in seen:
            continue
        seen.add(key)
        lines.append(
            f"- [{f.identity}] {f.operation} → {f.status} ({f.kind}): {f.detail.splitlines()[0][:200]}\n    {f.repro}"
        )
        if len(lines) >= limit:
            break
    return "\n".join(lines)
