"""Reading annotated articles and turning their units into classifier examples."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from stance.context import CONTEXT_CHARS, unit_context


class DataError(ValueError):
    """Bad training data; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    """One unit as the classifier sees it, with what evaluation needs to break results down."""

    quote: str
    context: str
    label: str
    article_id: str
    dispute: str
    kind: str
    hard: bool
    start: int
    end: int


def _check_unit(unit: object, text: str, labels: list[str], where: str) -> None:
    if not isinstance(unit, dict):
        raise DataError(f"{where}: a unit must be a JSON object")
    for key in ("start", "end", "text", "stance"):
        if key not in unit:
            raise DataError(f"{where}: unit lacks {key!r}")
    if unit["stance"] not in labels:
        raise DataError(
            f"{where}: unknown label {unit['stance']!r}; valid labels: {', '.join(labels)}"
        )
    start, end = unit["start"], unit["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise DataError(f"{where}: offsets {start!r}:{end!r} are outside the article")
    if text[start:end] != unit["text"]:
        raise DataError(
            f"{where}: offsets {start}:{end} give {text[start:end]!r}, not {unit['text']!r}"
        )


def read_articles(path: Path, labels: list[str]) -> list[dict]:
    """Read a JSON Lines file of annotated articles, checking every unit."""
    if not path.exists():
        raise DataError(f"{path}: no such file")
    articles = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            article = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{where}: not valid JSON ({error.msg})") from error
        if not isinstance(article, dict):
            raise DataError(f"{where}: a line must be a JSON object")
        for key in ("id", "text", "quotes"):
            if key not in article:
                raise DataError(f"{where}: article lacks {key!r}")
        for index, unit in enumerate(article["quotes"]):
            _check_unit(unit, article["text"], labels, f"{where} unit {index}")
        articles.append(article)
    return articles


def article_examples(article: dict, context_chars: int = CONTEXT_CHARS) -> list[Example]:
    """The classifier examples of one article, in text order."""
    text = article["text"]
    return [
        Example(
            quote=unit["text"],
            context=unit_context(text, unit["start"], unit["end"], context_chars),
            label=unit["stance"],
            article_id=article["id"],
            dispute=article.get("dispute", ""),
            kind=unit.get("kind", ""),
            hard=bool(unit.get("hard", False)),
            start=unit["start"],
            end=unit["end"],
        )
        for unit in article["quotes"]
    ]


def load_examples(paths: list[Path], labels: list[str],
                  context_chars: int = CONTEXT_CHARS) -> list[Example]:
    """All examples of the given files, in file order."""
    return [ex for path in paths for article in read_articles(path, labels)
            for ex in article_examples(article, context_chars)]


def split_path(corpus_dir: str | Path, split: str) -> Path:
    """``seeds/<split>.jsonl``, or ``split`` itself when it names a file."""
    candidate = Path(split)
    if candidate.suffix == ".jsonl":
        return candidate
    return Path(corpus_dir) / f"{split}.jsonl"
