"""Functional suite of the classifier: shared results and the per-phenomenon table printed after the run.

The table goes through pytest's terminal reporter (via ``tests/report_sections.py``), so it shows with or
without ``-s`` and under xdist.
"""

from __future__ import annotations

from typing import Any

import pytest

import report_sections

RESULTS: dict[str, Any] = {}


@pytest.fixture(scope="session")
def suite_result() -> Any:
    from townsquare.classify import evaluate as E
    from townsquare.classify.model import get_model

    cases = E.load_suite()
    res = E.run_suite(get_model(), cases)
    RESULTS["suite"] = res
    report_sections.add("classifier functional suite (hate_speech decision)", _suite_lines(res))
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
    report_sections.add(
        "classifier held-out public splits",
        [f"{name:10} n={r['n']:5d}  AUC={r['auc']:.3f}" for name, r in res.items()],
    )
    return res


def _suite_lines(res: Any) -> list[str]:
    lines = [
        f"{lang}: hateful {res.accuracy(lang, True):.3f}  non-hateful {res.accuracy(lang, False):.3f}"
        for lang in ("en", "fr")
    ]
    lines.append(f"{'lang':4} {'phenomenon':30} {'hateful':7} {'accuracy':>8} {'n':>4}")
    for (lang, name), (h, ok, n) in sorted(res.per_phenomenon.items()):
        lines.append(f"{lang:4} {name:30} {'yes' if h else 'no':7} {ok / n:8.3f} {n:4d}")
    return lines
