"""Classification metrics, bootstrap intervals and calibration, in plain numpy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def confusion(gold: Sequence[int], pred: Sequence[int], n_labels: int) -> np.ndarray:
    """Counts with gold labels as rows and predictions as columns."""
    matrix = np.zeros((n_labels, n_labels), dtype=np.int64)
    for g, p in zip(gold, pred, strict=True):
        matrix[g, p] += 1
    return matrix


def per_label(matrix: np.ndarray) -> list[dict[str, float]]:
    """Precision, recall, F1 and support per label; 0 where a ratio is undefined."""
    rows = []
    for index in range(matrix.shape[0]):
        tp = float(matrix[index, index])
        predicted = float(matrix[:, index].sum())
        support = float(matrix[index, :].sum())
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"precision": precision, "recall": recall, "f1": f1, "support": int(support)})
    return rows


def macro_f1(gold: Sequence[int], pred: Sequence[int], n_labels: int) -> float:
    """Mean F1 over the labels (every label counts, present in gold or not)."""
    return float(np.mean([row["f1"] for row in per_label(confusion(gold, pred, n_labels))]))


def summary(gold: Sequence[int], pred: Sequence[int], labels: Sequence[str]) -> dict:
    """Macro-F1, accuracy, per-label scores and the confusion matrix."""
    matrix = confusion(gold, pred, len(labels))
    rows = per_label(matrix)
    total = int(matrix.sum())
    return {
        "macro_f1": float(np.mean([row["f1"] for row in rows])) if rows else 0.0,
        "accuracy": float(np.trace(matrix) / total) if total else 0.0,
        "support": total,
        "per_label": dict(zip(labels, rows, strict=True)),
        "confusion": matrix.tolist(),
    }


def bootstrap_macro_f1(gold: Sequence[int], pred: Sequence[int], groups: Sequence[str],
                       n_labels: int, *, rounds: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% interval of macro-F1 when whole groups (articles) are resampled with replacement."""
    gold, pred = np.asarray(gold), np.asarray(pred)
    names = sorted(set(groups))
    if not names:
        return 0.0, 0.0
    members = {name: [] for name in names}
    for index, name in enumerate(groups):
        members[name].append(index)
    index_lists = [np.asarray(members[name]) for name in names]
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(rounds):
        picks = rng.integers(0, len(names), size=len(names))
        chosen = np.concatenate([index_lists[pick] for pick in picks])
        scores.append(macro_f1(gold[chosen], pred[chosen], n_labels))
    low, high = np.percentile(scores, [2.5, 97.5])
    return float(low), float(high)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def expected_calibration_error(probs: np.ndarray, gold: Sequence[int], bins: int = 10) -> float:
    """ECE of the top-label confidence over equal-width bins."""
    gold = np.asarray(gold)
    if len(gold) == 0:
        return 0.0
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    error = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            error += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(error)


def reliability(probs: np.ndarray, gold: Sequence[int], bins: int = 10) -> list[dict]:
    """Per-bin mean confidence, accuracy and count, for a reliability diagram."""
    gold = np.asarray(gold)
    confidence = probs.max(axis=1) if len(gold) else np.zeros(0)
    correct = probs.argmax(axis=1) == gold if len(gold) else np.zeros(0, dtype=bool)
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > low) & (confidence <= high)
        count = int(inside.sum())
        rows.append({
            "low": float(low), "high": float(high), "count": count,
            "confidence": float(confidence[inside].mean()) if count else 0.0,
            "accuracy": float(correct[inside].mean()) if count else 0.0,
        })
    return rows


def negative_log_likelihood(logits: np.ndarray, gold: Sequence[int], temperature: float) -> float:
    probs = softmax(logits, temperature)
    picked = probs[np.arange(len(gold)), np.asarray(gold)]
    return float(-np.log(np.clip(picked, 1e-12, None)).mean())


def fit_temperature(logits: np.ndarray, gold: Sequence[int]) -> float:
    """The temperature in [0.05, 20] that minimises the negative log-likelihood (golden search)."""
    if len(gold) == 0:
        return 1.0
    low, high = np.log(0.05), np.log(20.0)
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(80):
        a = high - ratio * (high - low)
        b = low + ratio * (high - low)
        if negative_log_likelihood(logits, gold, np.exp(a)) < negative_log_likelihood(
            logits, gold, np.exp(b)
        ):
            high = b
        else:
            low = a
    return float(np.exp((low + high) / 2))
