"""Quick statistics for source files, for writers checking their own batch."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training.corpus.markup import MarkupError, parse_file


def _line(name: str, articles: list, units: list[dict]) -> str:
    words = [len(article.text.split()) for article in articles]
    stances = Counter(quote["stance"] for quote in units)
    kinds = Counter(quote["kind"] for quote in units)
    tiebreaks = sum(1 for quote in units if "tiebreak" in quote)
    total = max(len(units), 1)
    return (
        f"{name}: {len(articles)} articles, {len(units)} units, "
        f"words {min(words, default=0)}-{max(words, default=0)}; "
        + ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(stances.items()))
        + "; "
        + ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(kinds.items()))
        + f"; tiebreak {tiebreaks / total:.0%}"
    )


def check_files(paths: list[Path]) -> int:
    """Parse each file, print its statistics (and the batch's, for several files); return the
    number of files with errors."""
    failures = 0
    batch = []
    for path in paths:
        try:
            articles = parse_file(path)
        except MarkupError as error:
            print(f"ERROR {error}")
            failures += 1
            continue
        batch += articles
        print(_line(str(path), articles, [quote for article in articles for quote in article.quotes]))
        for article in articles:
            n_words = len(article.text.split())
            if not 150 <= n_words <= 1000:
                print(f"  WARNING {article.meta['id']}: {n_words} words (want 150-1000)")
    if len(paths) > 1:
        print(_line(f"all {len(paths)} files", batch, [q for article in batch for q in article.quotes]))
    return failures
