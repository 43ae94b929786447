"""Scoring one set of predictions: summary, interval, calibration, breakdowns, worst errors."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from training.data import Example
from training.metrics import (
    bootstrap_macro_f1,
    expected_calibration_error,
    reliability,
    summary,
)


def score_predictions(examples: list[Example], probs: np.ndarray, labels: list[str], *,
                      rounds: int = 1000, errors: int = 10, detail: bool = True) -> dict:
    """Everything the report says about one model on one set of units."""
    gold = [labels.index(ex.label) for ex in examples]
    pred = probs.argmax(axis=1).tolist() if len(examples) else []
    result = summary(gold, pred, labels)
    groups = [ex.article_id for ex in examples]
    result["macro_f1_ci95"] = list(bootstrap_macro_f1(gold, pred, groups, len(labels),
                                                      rounds=rounds))
    if not detail:
        return result
    result["ece"] = expected_calibration_error(probs, gold)
    result["reliability"] = reliability(probs, gold)
    result["by_kind"] = _breakdown(examples, gold, pred, labels, lambda ex: ex.kind)
    result["by_dispute"] = _breakdown(examples, gold, pred, labels, lambda ex: ex.dispute)
    result["by_hard"] = _breakdown(examples, gold, pred, labels,
                                   lambda ex: "hard" if ex.hard else "not hard")
    result["confident_errors"] = _confident_errors(examples, probs, gold, pred, labels, errors)
    return result


def _breakdown(examples, gold, pred, labels, key) -> dict:
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, ex in enumerate(examples):
        buckets[key(ex) or "-"].append(index)
    out = {}
    for name, rows in sorted(buckets.items()):
        part = summary([gold[i] for i in rows], [pred[i] for i in rows], labels)
        out[name] = {"support": part["support"], "macro_f1": part["macro_f1"],
                     "accuracy": part["accuracy"],
                     "errors": sum(gold[i] != pred[i] for i in rows)}
    return out


def _confident_errors(examples, probs, gold, pred, labels, limit: int) -> list[dict]:
    wrong = [i for i in range(len(examples)) if gold[i] != pred[i]]
    wrong.sort(key=lambda i: -float(probs[i].max()))
    return [
        {
            "article": examples[i].article_id,
            "text": examples[i].quote,
            "context": examples[i].context,
            "gold": labels[gold[i]],
            "predicted": labels[pred[i]],
            "score": round(float(probs[i].max()), 4),
        }
        for i in wrong[:limit]
    ]


def overlap_match(pred_spans: list[tuple[int, int]], gold_spans: list[tuple[int, int]]
                  ) -> list[tuple[int, int]]:
    """One-to-one matches (pred index, gold index) under the guidelines' overlap rule, sorted.

    The rule itself lives in :func:`training.evaluate_extraction.match_overlap`, which the
    extraction scores use too, so both evaluations match units the same way.
    """
    from training.evaluate_extraction import Span, match_overlap

    return sorted(match_overlap([Span(s, e) for s, e in pred_spans],
                                [Span(s, e) for s, e in gold_spans]))
