"""Known-answer tests of the metric code (training.metrics)."""

import numpy as np
import pytest

from training.metrics import (
    bootstrap_macro_f1,
    confusion,
    expected_calibration_error,
    fit_temperature,
    macro_f1,
    softmax,
    summary,
)


def test_confusion_rows_are_gold():
    assert confusion([0, 0, 1, 2], [0, 1, 1, 0], 3).tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]


def test_macro_f1_known_answer():
    # label 0: tp 1, predicted 2, gold 2 -> P 0.5 R 0.5 F1 0.5
    # label 1: tp 1, predicted 2, gold 1 -> P 0.5 R 1.0 F1 2/3
    # label 2: tp 0, predicted 0, gold 1 -> F1 0
    # macro = (0.5 + 0.6667 + 0) / 3 = 0.3889
    assert macro_f1([0, 0, 1, 2], [0, 1, 1, 0], 3) == pytest.approx((0.5 + 2 / 3) / 3)


def test_perfect_and_summary_fields():
    result = summary([0, 1, 2], [0, 1, 2], ["a", "b", "c"])
    assert result["macro_f1"] == 1.0 and result["accuracy"] == 1.0 and result["support"] == 3
    assert result["per_label"]["b"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}


def test_bootstrap_interval_contains_the_point_and_collapses_when_perfect():
    gold = [0, 1, 2] * 10
    groups = [f"a{i // 3}" for i in range(30)]
    assert bootstrap_macro_f1(gold, gold, groups, 3, rounds=50) == (1.0, 1.0)
    pred = [0, 1, 1] * 10
    low, high = bootstrap_macro_f1(gold, pred, groups, 3, rounds=200)
    point = macro_f1(gold, pred, 3)
    assert low <= point <= high


def test_ece_known_answer():
    # Two units at confidence 0.9: one right, one wrong -> bin accuracy 0.5, |0.5 - 0.9| = 0.4.
    probs = np.array([[0.9, 0.1], [0.9, 0.1]])
    assert expected_calibration_error(probs, [0, 1]) == pytest.approx(0.4)


def test_temperature_recovers_a_known_scale():
    # Labels drawn from softmax(logits / 3): the fitted temperature should be near 3.
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 3)) * 4
    probs = softmax(logits, 3.0)
    gold = [rng.choice(3, p=row) for row in probs]
    assert fit_temperature(logits, gold) == pytest.approx(3.0, rel=0.15)
