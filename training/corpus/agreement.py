"""Agreement between the corpus labels and a second, blind annotator.

``python -m training.corpus agreement`` reads ``seeds/agreement/second-annotator.jsonl`` (one
``{"id", "n", "stance"}`` per unit: the article id, the unit's index in that article's
``quotes``, and the second annotator's label, given without seeing the corpus label) and prints
Cohen's kappa, accuracy and macro-F1 (the corpus label as reference), the confusion matrix, and
the same figures for the units the writer marked ``hard`` or with a tie-break rule.

``python -m training.corpus agreement --realnews`` runs the same comparison the other way round:
the reference is the real-news gold (``../shared/realnews/``, evaluation only) and the second
labels are our own annotator's, given blind with our guide (``seeds/agreement/realnews-blind.jsonl``:
ids, unit indices and labels only, no real-news text). It measures whether the corpus's labelling
conventions are those of the real-news gold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, confusion_matrix, f1_score

from training.corpus.validate import read_jsonl

LABELS = ("dialogue", "pressure", "neutral")


@dataclass
class Pair:
    """One unit labelled twice."""

    article: str
    index: int
    first: str  # the corpus (writer's) label
    second: str  # the second annotator's label
    hard: bool
    tiebreak: int | None


def read_second(path: Path) -> list[dict]:
    """The second annotator's labels; errors name the file and line."""
    rows = read_jsonl(path)
    for row in rows:
        if {"id", "n", "stance"} - set(row):
            raise ValueError(f"{row['_where']}: expected an object with id, n and stance")
        if row["stance"] not in LABELS:
            raise ValueError(f"{row['_where']}: stance {row['stance']!r} is not one of {LABELS}")
    return rows


def read_corpus(seeds_dir: Path) -> dict[str, dict]:
    """Every article of the split files, by id (unreadable lines are errors)."""
    articles = {}
    for split in ("train", "dev", "test", "unseen"):
        path = seeds_dir / f"{split}.jsonl"
        if path.exists():
            articles.update((record["id"], record) for record in read_jsonl(path))
    return articles


def pair_labels(articles: dict[str, dict], second: list[dict]) -> list[Pair]:
    """Match each second label to its corpus unit; unknown articles or units are errors."""
    pairs = []
    for row in second:
        article = articles.get(row["id"])
        if article is None:
            raise ValueError(f"{row['_where']}: no article {row['id']!r} in the corpus")
        quotes = article["quotes"]
        if not isinstance(row["n"], int) or not 0 <= row["n"] < len(quotes):
            raise ValueError(f"{row['_where']}: article {row['id']} has units 0-{len(quotes) - 1}, "
                             f"not {row['n']!r}")
        unit = quotes[row["n"]]
        pairs.append(Pair(row["id"], row["n"], unit["stance"], row["stance"],
                          bool(unit.get("hard")), unit.get("tiebreak")))
    return pairs


def agreement(pairs: list[Pair]) -> dict:
    """Kappa, accuracy, macro-F1 (first as reference) and the confusion matrix."""
    if not pairs:
        return {"units": 0}
    first = [p.first for p in pairs]
    second = [p.second for p in pairs]
    return {
        "units": len(pairs),
        "kappa": float(cohen_kappa_score(first, second, labels=list(LABELS))),
        "accuracy": sum(a == b for a, b in zip(first, second, strict=True)) / len(pairs),
        "macro_f1": float(f1_score(first, second, labels=list(LABELS), average="macro",
                                   zero_division=0)),
        "confusion": confusion_matrix(first, second, labels=list(LABELS)).tolist(),
    }


def report(pairs: list[Pair], *, reference: str = "corpus label",
           hard: str = "units the writer marked `hard`") -> str:
    """Markdown tables: overall, by the reference's doubt, and the confusion matrix."""
    groups = {
        "all units": pairs,
        hard: [p for p in pairs if p.hard],
        "units with a tie-break rule": [p for p in pairs if p.tiebreak],
        "other units": [p for p in pairs if not p.hard and not p.tiebreak],
    }
    articles = len({p.article for p in pairs})
    lines = [f"Second annotator: {len(pairs)} units of {articles} articles, labelled blind; "
             f"reference: {reference}.", "",
             "| units | n | Cohen's kappa | accuracy | macro-F1 |", "|---|---|---|---|---|"]
    for name, group in groups.items():
        result = agreement(group)
        if result["units"]:
            lines.append(f"| {name} | {result['units']} | {result['kappa']:.3f} | "
                         f"{result['accuracy']:.3f} | {result['macro_f1']:.3f} |")
    matrix = agreement(pairs).get("confusion", [])
    lines += ["", f"Confusion (rows: {reference}; columns: second annotator):", "",
              "| | " + " | ".join(LABELS) + " |", "|---|" + "---|" * len(LABELS)]
    for label, row in zip(LABELS, matrix, strict=True):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines)
