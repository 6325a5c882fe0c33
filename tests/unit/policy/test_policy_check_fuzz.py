"""`policy check` never crashes: any text yields a policy or positioned problems inside the file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.policy.loader import check_text

SOURCE = (Path(__file__).resolve().parents[3] / "policies" / "default.yaml").read_text(encoding="utf-8")
LINES = SOURCE.splitlines()


def assert_sane(text: str) -> None:
    policy, problems = check_text(text)
    assert (policy is None) == bool(problems)
    n = max(1, len(text.splitlines()) + 1)
    for p in problems:
        assert 1 <= p.line <= n and p.col >= 1 and p.message


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(LINES) - 1),
            st.sampled_from(["drop", "dup", "indent", "dedent", "colon", "junk"]),
        ),
        max_size=4,
    )
)
def test_mutated_default_policy(mutations: list[tuple[int, str]]) -> None:
    lines = list(LINES)
    for index, kind in mutations:
        index %= len(lines)
        line = lines[index]
        if kind == "drop":
            del lines[index]
        elif kind == "dup":
            lines.insert(index, line)
        elif kind == "indent":
            lines[index] = "  " + line
        elif kind == "dedent":
            lines[index] = line.lstrip()
        elif kind == "colon":
            lines[index] = line.replace(":", "", 1)
        else:
            lines[index] = line + " ]{!"
        if not lines:
            break
    assert_sane("\n".join(lines))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    assert_sane(text)


def test_odd_scalars_found_by_fuzzing() -> None:
    for text in ("=", "!custom x", "name: !!python/object:os.system x", "version: 2024-13-45", "1e9999"):
        assert_sane(text)
