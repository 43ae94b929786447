"""Direct quotations: which quoted spans are statements, how they split, who says them.

A quotation is *standalone* when nothing but an attribution stands between it and the start of
its sentence (``“...,” he said``; ``He said: “...”``; the second half of a split quote); a
standalone quotation of three words or more is a direct statement, one unit per quoted
sentence. A quotation that continues a sentence of the reporter (``vowed to “maintain
contacts”``) is a *fragment*: it makes the surrounding reported clause ``mixed`` when it has
three words or more, and is a scare quote (no unit) when it has one or two.
"""

from __future__ import annotations

import re

from .clauses import Frame
from .marks import QuoteSpan
from .segment import sentences

MIN_WORDS = 3
_WORDS = re.compile(r"[\w\u00C0-\u024F’'-]+")


def word_count(text: str) -> int:
    """Number of words in ``text``."""
    return len(_WORDS.findall(text))


def is_standalone(
    text: str, q: QuoteSpan, sent_start: int, prev_close: int, frames: list[Frame]
) -> bool:
    """True when the quotation is not embedded in a sentence of the reporter."""
    lim = max(sent_start, prev_close)
    left = text[lim : q.open].strip()
    if not left:
        return True
    if left[-1] in ",:;—–-(" or left.endswith("...") or left.endswith("…"):
        # "he said, “...”" / "In his words: “...”" / a split quote's second half
        inner = text[q.inner_start : q.inner_end].lstrip(" ‘'")
        return (
            left[-1] in ":—–-"
            or _attribution_only(left)
            or inner[:1].isupper()
            or any(f.cue_end <= q.open and f.cue_start >= lim for f in frames)
        )
    # "said that “whole clause”" or "saying on Twitter “...”": a frame whose content is the quote
    return any(
        f.clause_start is not None
        and abs(f.clause_start - q.open) <= 1
        and f.kind in ("forward", "participle", "according")
        and _quote_fills_clause(text, q, f)
        for f in frames
    )


def _attribution_only(left: str) -> bool:
    return bool(
        re.search(
            r"(?:said|says|added|told \w+|wrote|stated|noted|explained|asked|"
            r"continued|declared|stressed|insisted|argued|warned)\s*,$",
            left,
        )
    )


def _quote_fills_clause(text: str, q: QuoteSpan, f: Frame) -> bool:
    if f.clause_end is None:
        return True
    rest = text[q.close_end : f.clause_end].strip(" .,;:!?\"”’'")
    if not rest:
        return True
    inner = text[q.inner_start : q.inner_end].lstrip()
    return bool(inner[:1].isupper()) and word_count(rest) <= 2


def split_sentences(text: str, q: QuoteSpan) -> list[tuple[int, int]]:
    """Split the inside of a quotation into one span per quoted sentence."""
    s, e = q.inner_start, q.inner_end
    while s < e and (text[s].isspace() or text[s] in "‘'…"):
        if text[s] in "‘'" and e - s > 1 and text[e - 1] not in "’'":
            break
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e <= s:
        return []
    return [(a, b) for a, b in sentences(text, s, e) if word_count(text[a:b]) >= 1]


def attribution(
    text: str, q: QuoteSpan, frames: list[Frame], limit: int, sent_start: int = 0
) -> Frame | None:
    """The frame that attributes quotation ``q``: right after it (``,” he said``), before it
    (``he said: “``), or in between a split quote. ``limit``: where the next quote opens or
    the sentence after the quote ends."""
    best = None
    for f in sorted(frames, key=lambda f: (f.relay, f.cue_start)):
        if f.cue_start >= q.close_end and f.cue_start < limit:
            gap = text[q.close_end : min(f.cue_start, f.np_start or f.cue_start)]
            if (
                len(gap) <= 3
                and not re.search(r"\w", gap)
                or (
                    f.kind in ("inverted", "parenthetical", "forward")
                    and re.fullmatch(r"[\s,]*", gap)
                )
            ):
                return f
            if (
                f.kind in ("inverted", "parenthetical")
                and f.clause_end is not None
                and f.clause_end >= q.close_end - 2
                and len(gap) < 40
                and not re.search(r"[.!?]", gap)
            ):
                return f
    for f in frames:
        if (
            f.cue_end <= q.open
            and f.clause_start is not None
            and (
                abs(f.clause_start - q.open) <= 2
                or f.colon
                and not re.search(r"\w", text[f.clause_start : q.open])
            )
        ):
            best = f
    if best is not None:
        return best
    for f in frames:  # split quote: '“A,” he said, “B.”'
        if (
            f.cue_end <= q.open
            and q.open - f.cue_end < 60
            and not re.search(r"[.!?“”\"]", text[f.cue_end : q.open])
        ):
            best = f
    if best is None and text[max(0, q.open - 3) : q.open].rstrip().endswith(":"):
        # "X justified the strike as 'defensive': “...”" - the last cue before the colon
        for f in frames:
            if sent_start <= f.cue_start and f.cue_end <= q.open and not f.relay:
                best = f
    return best
