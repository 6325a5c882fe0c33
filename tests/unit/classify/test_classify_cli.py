"""`townsquare classify` and `townsquare model` (JSONL contract, per-line errors, exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from townsquare.cli import classify_cmd, model_cmd

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    classify_cmd.register(app)
    app.add_typer(model_cmd.app, name="model")
    return app


def test_jsonl_in_order_with_per_line_errors() -> None:
    lines = [
        json.dumps({"id": 1, "text": "I love my neighbours"}),
        "{not json",
        json.dumps({"id": "x", "text": "Les Roms sont des parasites", "lang": "fr"}),
        json.dumps({"text": "no id"}),
        json.dumps({"id": 3, "text": 5}),
        json.dumps([1, 2]),
        json.dumps({"id": 4, "text": "bonjour", "lang": "de"}),
    ]
    res = runner.invoke(_app(), ["classify", "-"], input="\n".join(lines) + "\n")
    assert res.exit_code == 0, res.output
    out = [json.loads(x) for x in res.stdout.strip().splitlines()]
    assert len(out) == 7
    assert out[0]["id"] == 1 and set(out[0]) == {
        "id",
        "lang",
        "labels",
        "risk",
        "scores",
        "tiers",
        "garm",
        "evidence",
        "model",
        "topics",
    }
    assert out[1]["line"] == 2 and "error" in out[1]
    assert out[2]["id"] == "x" and out[2]["lang"] == "fr" and "hate_speech" in out[2]["labels"]
    assert out[3] == {"line": 4, "error": 'missing field "id"'}
    assert out[4]["line"] == 5 and out[5]["line"] == 6 and out[6]["line"] == 7


def test_plain_mode_and_file(tmp_path: Path) -> None:
    f = tmp_path / "posts.txt"
    f.write_text("first post\n\nthird post\n", encoding="utf-8")
    res = runner.invoke(_app(), ["classify", str(f), "--plain"])
    assert res.exit_code == 0
    out = [json.loads(x) for x in res.stdout.strip().splitlines()]
    assert [o["id"] for o in out] == [1, 2, 3]


def test_unreadable_input_exits_nonzero(tmp_path: Path) -> None:
    res = runner.invoke(_app(), ["classify", str(tmp_path / "missing.jsonl")])
    assert res.exit_code != 0


def test_model_help() -> None:
    res = runner.invoke(_app(), ["model", "--help"])
    assert res.exit_code == 0 and "train" in res.stdout and "evaluate" in res.stdout
