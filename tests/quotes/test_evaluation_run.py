"""Runs the extraction evaluation on the real-news development set when it is present."""

from __future__ import annotations

import io

import pytest

from training import evaluate_extraction as ev


def test_evaluation_runs_on_realnews():
    if not ev.DEFAULT_REALNEWS.is_file():
        pytest.skip(f"{ev.DEFAULT_REALNEWS} not present")
    out = io.StringIO()
    rows = ev.run(ev.DEFAULT_REALNEWS, [], None, out=out)
    row = rows["realnews"]
    for key in ("overlap", "exact"):
        for v in row[key].values():
            assert 0.0 <= v <= 1.0
    assert row["speaker_accuracy"] is None or 0.0 <= row["speaker_accuracy"] <= 1.0
    assert "realnews" in out.getvalue()


def test_missing_sets_are_skipped(tmp_path):
    out = io.StringIO()
    rows = ev.run(tmp_path / "absent.jsonl", [tmp_path / "none.jsonl"], None, out=out)
    assert rows == {}
    assert "skip" in out.getvalue()
