"""The ``stance`` command (stance.cli): classify in every format, inputs, errors, forwarding."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

import stance.cli
from stance import StanceClassifier
from stance.cli import CSV_FIELDS, FORMATS, main

ARTICLE = (
    "GENEVA (Reuters) - The foreign minister said on Monday that his government was ready to "
    "resume talks without preconditions.\n"
    '"We will not negotiate under threat," the rebel commander told reporters.\n'
    "Sanctions were imposed in 2019."
)
OTHER = '"Dialogue is the only way forward," the envoy said. "We must talk," she added.'


_LOADED: dict[tuple, StanceClassifier] = {}


@pytest.fixture(autouse=True)
def load_each_model_once(monkeypatch) -> None:
    """The CLI loads its ``--model`` on every call; load each directory for real only once here
    (the first test that uses it), to keep these tests fast."""
    real = StanceClassifier.from_pretrained.__func__

    def from_pretrained(cls, path, **kwargs):
        key = (str(path), tuple(sorted(kwargs.items())))
        if key not in _LOADED:
            _LOADED[key] = real(cls, path, **kwargs)
        return _LOADED[key]

    monkeypatch.setattr(StanceClassifier, "from_pretrained", classmethod(from_pretrained))


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def jsonl_file(tmp_path: Path) -> Path:
    path = tmp_path / "articles.jsonl"
    lines = [json.dumps({"id": "a1", "text": ARTICLE}), "", json.dumps({"id": "a2", "text": OTHER}),
             json.dumps({"text": "No quotes in this one."})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(capsys, *argv: str | Path) -> str:
    """Run ``stance`` in-process; return what it printed on standard output."""
    assert main([str(a) for a in argv]) == 0
    return capsys.readouterr().out


def classify_args(model: Path, *inputs: str | Path, fmt: str) -> list[str | Path]:
    return ["classify", *inputs, "--format", fmt, "--model", model, "--quiet"]


def check_output(fmt: str, out: str, names: list[str]) -> None:
    """Parse ``out`` as ``fmt`` and check it covers the articles ``names``, in order."""
    if fmt == "json":
        data = json.loads(out)
        assert [d["article"] for d in data] == names
        for item in data:
            assert set(item) == {"article", "units", "speakers", "summary"}
            assert item["summary"]["units"] == len(item["units"])
    elif fmt == "jsonl":
        data = [json.loads(line) for line in out.splitlines()]
        assert [d["article"] for d in data] == names
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert tuple(csv.reader(io.StringIO(out)).__next__()) == CSV_FIELDS
        assert rows, "no unit rows"
        assert {r["article"] for r in rows} <= set(names)
        for row in rows:
            assert row["label"] in ("dialogue", "pressure", "neutral")
            assert 0.0 <= float(row["score"]) <= 1.0
            assert int(row["start"]) < int(row["end"])
    else:
        headers = [line for line in out.splitlines() if line.startswith("== ")]
        assert [h[3:].rsplit(": ", 1)[0] for h in headers] == names


@pytest.mark.parametrize("fmt", FORMATS)
def test_article_file_in_every_format(fmt, article_file, tiny_model_dir, capsys):
    out = run(capsys, *classify_args(tiny_model_dir, article_file, fmt=fmt))
    check_output(fmt, out, [str(article_file)])


@pytest.mark.parametrize("fmt", FORMATS)
def test_jsonl_file_in_every_format(fmt, jsonl_file, tiny_model_dir, capsys):
    out = run(capsys, *classify_args(tiny_model_dir, jsonl_file, fmt=fmt))
    check_output(fmt, out, ["a1", "a2", f"{jsonl_file}:4"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_stdin_in_every_format(fmt, tiny_model_dir, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(ARTICLE))
    out = run(capsys, *classify_args(tiny_model_dir, "-", fmt=fmt))
    check_output(fmt, out, ["<stdin>"])


def test_json_units_match_the_article(article_file, tiny_model_dir, capsys):
    out = run(capsys, *classify_args(tiny_model_dir, article_file, fmt="json"), "--all-scores")
    (item,) = json.loads(out)
    assert len(item["units"]) >= 2
    for unit in item["units"]:
        assert ARTICLE[unit["start"]:unit["end"]] == unit["text"]
        assert set(unit["scores"]) == {"dialogue", "pressure", "neutral"}
    speakers = {s["speaker"] for s in item["speakers"]}
    assert {u["speaker"] or "(unknown)" for u in item["units"]} == speakers


def test_several_inputs_keep_their_order(article_file, jsonl_file, tiny_model_dir, capsys):
    out = run(capsys, *classify_args(tiny_model_dir, jsonl_file, article_file, fmt="jsonl"))
    check_output("jsonl", out, ["a1", "a2", f"{jsonl_file}:4", str(article_file)])


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file(fmt, article_file, tiny_model_dir, tmp_path, capsys):
    target = tmp_path / f"out.{fmt}"
    out = run(capsys, *classify_args(tiny_model_dir, article_file, fmt=fmt), "-o", target)
    assert out == ""
    check_output(fmt, target.read_text(encoding="utf-8"), [str(article_file)])


def test_csv_output_file_has_no_blank_rows(article_file, tiny_model_dir, tmp_path, capsys):
    target = tmp_path / "out.csv"
    run(capsys, *classify_args(tiny_model_dir, article_file, fmt="csv"), "-o", target)
    assert "\r\n\r\n" not in target.read_text(encoding="utf-8")
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 2 and all(r["text"] for r in rows)


def test_table_lists_units_and_speakers(article_file, tiny_model_dir, capsys):
    out = run(capsys, *classify_args(tiny_model_dir, article_file, fmt="table"))
    assert "-- speakers" in out
    assert "We will not negotiate under threat" in out


def test_missing_file_exits_naming_the_path(tmp_path, tiny_model_dir):
    missing = tmp_path / "nope.txt"
    with pytest.raises(SystemExit) as raised:
        main(["classify", str(missing), "--model", str(tiny_model_dir)])
    assert str(missing) in str(raised.value.code)


@pytest.mark.parametrize(("line", "problem"), [
    ("{not json", "not JSON"),
    ('["a list"]', "expected an object"),
    ('{"id": "x", "text": 3}', "expected an object"),
])
def test_bad_jsonl_line_exits_naming_path_and_line(line, problem, tmp_path, tiny_model_dir):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": ARTICLE}) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as raised:
        main(["classify", str(path), "--model", str(tiny_model_dir)])
    message = str(raised.value.code)
    assert f"{path}:2" in message and problem in message


def test_unknown_format_is_a_usage_error(article_file, capsys):
    with pytest.raises(SystemExit) as raised:
        main(["classify", str(article_file), "--format", "xml"])
    assert raised.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_html_subcommand_writes_a_page(article_file, tiny_model_dir, tmp_path, capsys):
    page = tmp_path / "page.html"
    out = run(capsys, "html", article_file, "-o", page, "--model", tiny_model_dir)
    assert out.startswith(f"wrote {page}")
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'class="unit"' in html


def test_html_of_an_empty_jsonl_exits_naming_the_path(tmp_path, tiny_model_dir):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(SystemExit) as raised:
        main(["html", str(path), "-o", str(tmp_path / "page.html"), "--model", str(tiny_model_dir)])
    assert str(path) in str(raised.value.code)


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_train_and_evaluate_forward_their_arguments(command, monkeypatch):
    module = pytest.importorskip(f"training.{command}")
    seen: list[list[str]] = []
    monkeypatch.setattr(module, "main", lambda argv: seen.append(argv) or 7)
    assert main([command, "--config", "configs/smoke.yaml", "--epochs", "1"]) == 7
    assert seen == [["--config", "configs/smoke.yaml", "--epochs", "1"]]


def test_train_help_is_the_training_scripts_help(capsys):
    pytest.importorskip("training.train")
    with pytest.raises(SystemExit) as raised:
        main(["train", "--help"])
    assert raised.value.code == 0
    assert "--config" in capsys.readouterr().out


def _pretend_missing(monkeypatch, *names: str) -> None:
    real = stance.cli.importlib.util.find_spec

    def find_spec(name: str, *args, **kwargs):
        return None if name in names else real(name, *args, **kwargs)

    monkeypatch.setattr(stance.cli.importlib.util, "find_spec", find_spec)


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_forwarding_without_training_package_explains(command, monkeypatch, capsys):
    _pretend_missing(monkeypatch, "training")
    assert main([command, "--help"]) == 2
    err = capsys.readouterr().err
    assert "pip install" in err and f"stance {command}" in err


def test_forwarding_without_training_extra_names_it(monkeypatch, capsys):
    _pretend_missing(monkeypatch, "peft")
    assert main(["train"]) == 2
    err = capsys.readouterr().err
    assert "peft" in err and "pip install '.[train]'" in err
