"""Tests for the scoring code of ``training.evaluate_extraction``."""

from __future__ import annotations

from training.evaluate_extraction import (
    Counts,
    Span,
    match_exact,
    match_overlap,
    overlap_ok,
    speaker_ok,
)


def test_overlap_rule_half_of_shorter_span():
    gold = Span(0, 10)
    assert overlap_ok(Span(5, 30), gold)  # overlap 5 = half of the shorter (10)
    assert not overlap_ok(Span(6, 30), gold)  # overlap 4 < 5
    assert overlap_ok(Span(2, 4), gold)  # contained: overlap is the whole shorter span
    assert not overlap_ok(Span(10, 20), gold)  # touching is not overlapping


def test_matching_is_one_to_one():
    # One long prediction covers two gold units: only one of them can match it.
    pred = [Span(0, 100)]
    gold = [Span(0, 40), Span(50, 90)]
    pairs = match_overlap(pred, gold)
    assert len(pairs) == 1
    # Two predictions over one gold unit: one true positive, one false alarm.
    assert len(match_overlap([Span(0, 10), Span(2, 10)], [Span(0, 10)])) == 1


def test_matching_prefers_larger_overlap():
    pred = [Span(0, 10), Span(8, 30)]
    gold = [Span(5, 30)]
    assert match_overlap(pred, gold) == [(1, 0)]


def test_exact_matching():
    assert match_exact([Span(0, 5), Span(6, 9)], [Span(0, 5), Span(6, 10)]) == [(0, 0)]


def test_speaker_rule():
    assert speaker_ok("Sergey Lavrov", "sergey lavrov")
    assert speaker_ok("Lavrov", "Sergey Lavrov")
    assert speaker_ok("Mr. Obama", "Barack Obama")
    assert speaker_ok("the official", "a French official")
    assert not speaker_ok("Reuters", "Donald Trump")
    assert not speaker_ok(None, "Donald Trump")


def test_counts_precision_recall_and_kinds():
    c = Counts()
    gold = [Span(0, 10, "direct", "A B"), Span(20, 30, "indirect", "C D")]
    pred = [Span(0, 10, "direct", "B"), Span(40, 50, "indirect", "C D")]
    c.add(pred, gold, "x" * 60, "t")
    row = c.row()
    assert row["overlap"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert row["exact"]["p"] == 0.5
    assert row["recall_by_gold_kind"]["direct"] == (1.0, 1)
    assert row["recall_by_gold_kind"]["indirect"] == (0.0, 1)
    assert row["precision_by_pred_kind"]["indirect"] == (0.0, 1)
    assert row["speaker_accuracy"] == 1.0
