"""Known-answer tests of the target check and the error summary (training.targets)."""

import pytest

from training.targets import check_targets, error_lines, error_summary, targets_table

LABELS = ["dialogue", "pressure", "neutral"]
# 30 units; 7 wrong: pressure -> neutral 4, dialogue -> pressure 2, pressure -> dialogue 1.
CONFUSION = [[8, 2, 0], [1, 5, 4], [0, 0, 10]]


def _result(macro_f1: float, ece: float) -> dict:
    return {
        "macro_f1": macro_f1, "ece": ece, "confusion": CONFUSION,
        "per_label": {"dialogue": {"f1": 0.84}, "pressure": {"f1": 0.59}, "neutral": {"f1": 0.83}},
        "by_kind": {"direct": {"support": 20, "errors": 5}, "indirect": {"support": 10,
                                                                        "errors": 2}},
        "by_hard": {"hard": {"support": 5, "errors": 3}, "not hard": {"support": 25, "errors": 4}},
        "by_dispute": {"small": {"support": 5, "errors": 5}, "big": {"support": 25, "errors": 7}},
    }


def _report(sets: dict, baselines: dict) -> dict:
    return {"labels": LABELS, "sets": sets, "baselines": baselines}


def test_missed_targets_say_by_how_much():
    # macro-F1 0.80 is 0.05 short of 0.85; the best baseline is tfidf-lr (0.72, not lexicon's
    # 0.65), so the margin is 0.08, 0.02 short of 0.10; ECE 0.06 is 0.01 over 0.05.
    report = _report({"realnews": _result(0.80, 0.06), "test": _result(0.9, 0.01)},
                     {"lexicon": {"realnews": {"macro_f1": 0.65}},
                      "tfidf-lr": {"realnews": {"macro_f1": 0.72}}})
    check = check_targets(report)
    assert check["set"] == "realnews"
    assert check["values"]["best_baseline"] == "tfidf-lr"
    short = {row["target"].split()[0]: row["short_by"] for row in check["targets"]}
    assert short == pytest.approx({"macro-F1": 0.05, "margin": 0.02, "expected": 0.01})
    assert [row["met"] for row in check["targets"]] == [False, False, False]
    table = targets_table(check)
    assert "missed by 0.0500" in table and "0.0800 (0.8000 vs tfidf-lr 0.7200)" in table


def test_met_targets_and_fallback_to_the_test_split():
    # No real-news set: the targets are checked on test, and the table says real news is absent.
    report = _report({"test": _result(0.90, 0.03)}, {"lexicon": {"test": {"macro_f1": 0.5}}})
    check = check_targets(report)
    assert check["set"] == "test"
    assert all(row["met"] and row["short_by"] == 0 for row in check["targets"])
    assert "(real news absent)" in targets_table(check)


def test_without_baselines_the_margin_is_not_measured():
    check = check_targets(_report({"test": _result(0.90, 0.03)}, {}))
    margin = check["targets"][1]
    assert margin["measured"] is None and margin["met"] is None
    assert "not measured" in targets_table(check)


def test_nothing_to_judge_gives_no_table():
    assert check_targets(_report({"unseen": _result(0.9, 0.0)}, {})) is None
    assert targets_table(None) == "" and error_lines(None) == []


def test_error_summary_counts_pairs_and_groups():
    summary = error_summary(_result(0.8, 0.05), LABELS)
    assert (summary["units"], summary["errors"]) == (30, 7)
    assert summary["pairs"][0] == {"gold": "pressure", "predicted": "neutral", "count": 4,
                                   "share": round(4 / 7, 4)}
    assert [p["count"] for p in summary["pairs"]] == [4, 2, 1]
    assert summary["weakest_label"] == "pressure"
    # hard: 3 errors in 5 units (60%), listed before not hard (4/25, 16%)
    assert summary["hard"][0] == {"group": "hard", "units": 5, "errors": 3, "error_rate": 0.6}
    # the 5-unit dispute is too small to list; "big" (7/25 = 28%) is above 7/30 = 23.3%
    assert [g["group"] for g in summary["disputes_above_error_rate"]] == ["big"]
    text = "\n".join(error_lines({"set": "realnews", "errors": summary}))
    assert "pressure → neutral 4 (57%)" in text and "hard 3/5 (60%)" in text
