"""Pairing quotation marks within a paragraph.

Marks: curly ``“ ”``, straight ``"``, wire-copy ``\u0060\u0060 ''`` and, outside double-quoted
text, curly single ``‘ ’``. Pairing is local to one paragraph, so a stray mark never shifts
or swallows the rest of the article. Straight marks get a direction from their neighbours
(after a space: opening; before a space or punctuation: closing) and otherwise alternate.
An unclosed mark at the very start of a paragraph opens a quote that runs to the end of the
paragraph (the newspaper convention for a quote continuing in the next paragraph); any other
unclosed or unmatched mark is stray and ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE = re.compile(r"``|''|[“”\"„]")
_SINGLE = re.compile(r"[‘’]")
_OPEN_BEFORE = set(" \t([{—–-/:;\u00a0") | {""}
_CLOSE_AFTER = set(" \t.,;:!?)]}—–-\u00a0") | {""}


@dataclass(frozen=True)
class QuoteSpan:
    """One paired quotation: ``open``/``close`` are the mark positions.

    ``inner_start:inner_end`` is the text inside the marks; ``close_end`` is the position after
    the closing mark (``inner_end`` when the quote runs to the end of the paragraph unclosed).
    """

    open: int
    inner_start: int
    inner_end: int
    close_end: int
    closed: bool
    level: int  # 1 = double marks, 2 = single marks

    @property
    def closing_mark(self) -> bool:
        """True when the quote ends with an actual closing mark."""
        return self.closed


def _direction(text: str, pos: int, length: int, start: int, end: int) -> str:
    mark = text[pos : pos + length]
    if mark in ("“", "``", "„", "‘"):
        return "open"
    if mark in ("”", "’"):
        return "close"
    before = text[pos - 1] if pos > start else ""
    after = text[pos + length] if pos + length < end else ""
    if before in _OPEN_BEFORE and after not in _CLOSE_AFTER and not after.isspace():
        return "open"
    if (before and not before.isspace()) and (after in _CLOSE_AFTER or after.isspace()):
        return "close"
    return "either"


def pair_marks(text: str, start: int, end: int) -> list[QuoteSpan]:
    """Return the quotations of the paragraph ``text[start:end]``, sorted by position."""
    spans = _pair(text, start, end, _DOUBLE, level=1)
    singles = _pair(text, start, end, _SINGLE, level=2, skip=spans)
    return sorted(spans + singles, key=lambda q: q.open)


def _pair(
    text: str,
    start: int,
    end: int,
    pattern: re.Pattern,
    level: int,
    skip: list[QuoteSpan] | None = None,
) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    pending: tuple[int, int] | None = None
    skip = skip or []
    k = 0
    for m in pattern.finditer(text, start, end):
        pos, length = m.start(), m.end() - m.start()
        while k < len(skip) and skip[k].close_end <= pos:
            k += 1
        if k < len(skip) and skip[k].open <= pos < skip[k].close_end:
            continue  # nested inside a double-quoted span
        d = _direction(text, pos, length, start, end)
        if level == 2 and d == "close":
            after = text[pos + 1] if pos + 1 < end else ""
            if after.isalpha():  # an apostrophe: don’t, Iran’s
                continue
            if pending is None:
                continue
        if level == 2 and d == "open" and pos > start and text[pos - 1].isalnum():
            continue
        if d == "open" or (d == "either" and pending is None):
            pending = (pos, length)
        elif pending is not None:
            p, pl = pending
            if pos > p + pl:
                out.append(QuoteSpan(p, p + pl, pos, pos + length, True, level))
            pending = None
    if pending is not None and level == 1:
        p, pl = pending
        if p == start and end - (p + pl) > 0:
            out.append(QuoteSpan(p, p + pl, end, end, False, level))
    return out
