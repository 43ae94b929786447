"""How labels fall on statements that contain a given word, in the corpus and in real news.

``python -m training.corpus words`` prints, for each word (a lower-case substring, so
``negotiat`` matches negotiate and negotiations), the number of units whose span contains it and
the share of each label, for the corpus (all four splits) and, when present, the real-news gold.
It shows where the corpus ties a word to a label more than real news does: a model learns that tie.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training.corpus.validate import read_jsonl

WORDS = ("sanction", "pressure", "missile", "military", "attack", "talks", "negotiat",
         "agreement", "ceasefire", "solution", "cooperat", "relations", "threat", "must", "should")
LABELS = ("neutral", "dialogue", "pressure")


def units_of(paths: list[Path]) -> list[tuple[str, str]]:
    """(lower-cased span, label) for every unit of the given JSON Lines files."""
    return [(quote["text"].lower(), quote["stance"])
            for path in paths for article in read_jsonl(path) for quote in article["quotes"]]


def shares(units: list[tuple[str, str]], word: str) -> tuple[int, dict[str, float]]:
    """How many units contain ``word``, and the share of each label among them."""
    labels = Counter(label for text, label in units if word in text)
    total = sum(labels.values())
    return total, {label: labels[label] / total if total else 0.0 for label in LABELS}


def table(sets: dict[str, list[tuple[str, str]]], words: tuple[str, ...] = WORDS) -> str:
    """A markdown table: per word, per set, units and % neutral / dialogue / pressure."""
    head = "| word | " + " | ".join(f"{name} units | % neutral / dialogue / pressure" for name in sets)
    rows = [head + " |", "|---" * (1 + 2 * len(sets)) + "|"]
    for word in words:
        cells = []
        for units in sets.values():
            n, share = shares(units, word)
            cells += [str(n), " / ".join(f"{100 * share[label]:.0f}" for label in LABELS)]
        rows.append(f"| {word} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def word_sets(seeds_dir: Path, realnews: Path | None) -> dict[str, list[tuple[str, str]]]:
    splits = [seeds_dir / f"{name}.jsonl" for name in ("train", "dev", "test", "unseen")]
    sets = {"corpus": units_of([path for path in splits if path.exists()])}
    if realnews is not None and realnews.exists():
        sets["real news"] = units_of([realnews])
    return sets
