"""Position lookups by binary search: the sentence that holds an offset, the cue frames near a
quotation, the spans that overlap a range, the context of a unit. They keep the extractor's cost
linear in the number of quotations and cues of a paragraph."""

from __future__ import annotations

import bisect

from .clauses import Frame


def sentence_of(sents: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int]:
    """The sentence that holds ``pos`` (``(pos, pos + 1)`` between sentences)."""
    k = bisect.bisect_right(starts, pos) - 1
    if k >= 0 and sents[k][0] <= pos < sents[k][1]:
        return sents[k]
    return (pos, pos + 1)


def frames_between(
    by_sent: list[list[Frame]], starts: list[int], first: int, last: int
) -> list[Frame]:
    """The cue frames that may attribute a quotation from ``first`` to ``last``: those of the
    sentences it spans and of the sentence before (a split quote's cue), in reading order."""
    lo = max(0, bisect.bisect_right(starts, first) - 2)
    hi = max(lo, bisect.bisect_right(starts, last) - 1)
    return [f for group in by_sent[lo : hi + 1] for f in group]


class SpanIndex:
    """Spans sorted by start, answering 'which spans overlap [s, e)?' without a full scan."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.max_end: list[int] = []  # running maximum of the ends: sorted, so bisectable
        for _, b in self.spans:
            self.max_end.append(max(b, self.max_end[-1]) if self.max_end else b)

    def overlapping(self, s: int, e: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_right(self.max_end, s)  # before lo every span ends by s
        hi = bisect.bisect_left(self.starts, e)  # from hi on every span starts at e or later
        return [(a, b) for a, b in self.spans[lo:hi] if b > s]


def context_of(sents: list[tuple[int, int]], starts: list[int], s: int, e: int) -> tuple[int, int]:
    """The sentences a unit stands in (binary search over the sorted sentence starts)."""
    cs, ce = s, e
    k = max(0, bisect.bisect_right(starts, s) - 1)
    while k < len(sents) and sents[k][0] < e:
        a, b = sents[k]
        if s < b:
            cs, ce = min(cs, a), max(ce, b)
        k += 1
    return cs, ce
