"""Functional suite of the classifier: shared results and the per-phenomenon table printed after the run.

The table goes through pytest's terminal reporter, so it shows with or without ``-s``.
"""

from __future__ import annotations

from typing import Any

import pytest

RESULTS: dict[str, Any] = {}


@pytest.fixture(scope="session")
def suite_result() -> Any:
    from townsquare.classify import evaluate as E
    from townsquare.classify.model import get_model

    cases = E.load_suite()
    res = E.run_suite(get_model(), cases)
    RESULTS["suite"] = res
    return res


@pytest.fixture(scope="session")
def public_result() -> Any:
    from townsquare.classify.data import default_datasets_path

    path = default_datasets_path()
    if path is None:
        pytest.skip(
            "public datasets not found: set TOWNSQUARE_DATASETS or place them in <repo>/../shared/datasets"
        )
    from townsquare.classify import evaluate as E
    from townsquare.classify.model import get_model

    res = E.run_public(get_model(), path)
    RESULTS["public"] = res
    return res


def pytest_terminal_summary(terminalreporter: Any) -> None:
    res = RESULTS.get("suite")
    if res is not None:
        tr = terminalreporter
        tr.section("classifier functional suite (hate_speech decision)")
        for lang in ("en", "fr"):
            tr.write_line(
                f"{lang}: hateful {res.accuracy(lang, True):.3f}  non-hateful {res.accuracy(lang, False):.3f}"
            )
        tr.write_line(f"{'lang':4} {'phenomenon':30} {'hateful':7} {'accuracy':>8} {'n':>4}")
        for (lang, name), (h, ok, n) in sorted(res.per_phenomenon.items()):
            tr.write_line(f"{lang:4} {name:30} {'yes' if h else 'no':7} {ok / n:8.3f} {n:4d}")
    pub = RESULTS.get("public")
    if pub is not None:
        terminalreporter.section("classifier held-out public splits")
        for name, r in pub.items():
            terminalreporter.write_line(f"{name:10} n={r['n']:5d}  AUC={r['auc']:.3f}")
