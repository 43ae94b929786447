"""Reported clauses: the record of a cue frame and where its content ends.

A ``Frame`` is one cue with its speaker phrase and the span of what it reports. ``cut_clauses``
settles the clauses of one sentence against each other: a source that only relays another cue
(``..., Reuters reported``) gets no clause, a cue nested inside another's content clause is
dropped, and a clause ends where the next statement of the sentence begins (``, adding ...``,
``and said ...``, ``..., the ministry said``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Frame:
    """One cue with its speaker phrase and the span of what it reports."""

    cue_start: int
    cue_end: int
    base: str
    kind: str  # "forward" | "inverted" | "parenthetical" | "according" | "participle"
    speaker_np: str | None
    np_start: int | None
    clause_start: int | None
    clause_end: int | None
    colon: bool = False  # forward cue directly followed by ':' / ',' (a quotation follows)
    relay: bool = False  # a source that only relays another cue ("..., Reuters reported")
    speaker: str | None = None  # filled in by the assembler after resolution


def _skip_ws(text: str, pos: int, se: int) -> int:
    while pos < se and text[pos].isspace():
        pos += 1
    return pos


def _strip_end(text: str, start: int, end: int) -> int:
    """Drop trailing spaces and sentence punctuation that stands outside quotation marks."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?—–-"):
        end -= 1
    return end


def cut_clauses(text: str, frames: list[Frame], se: int) -> None:
    """End each clause where the next cue's own frame begins; drop relays and nested cues."""
    for f in frames:
        # '..., the agency reported' / 'According to Reuters, X said ...': a relay, not a unit
        if (
            f.kind in ("inverted", "according")
            and f.clause_start is not None
            and any(
                g is not f
                and f.clause_start <= g.cue_start < (f.clause_end or se)
                and g.kind != "according"
                for g in frames
            )
        ):
            f.clause_start = f.clause_end = None
            f.relay = True
    for i, f in enumerate(frames):
        if f.clause_start is None:
            continue
        for g in frames[i + 1 :]:
            if g.kind != "forward" or g.np_start is None or g.clause_start is None:
                continue
            if not f.clause_start <= g.np_start < (f.clause_end or se):
                continue
            lead_start = max(f.clause_start, g.np_start - 200)
            lead = text[lead_start : g.np_start]
            mm = re.search(r"(?:[,;]|\s(?:and|but|while|whereas)\s)[^,;]{0,40}$", lead)
            relative = bool(mm) and bool(re.match(r"\s*(?:which|who|whom|that)\b",
                                                   lead[mm.end() :]))
            if relative or not (
                mm and len(lead[mm.end() :].split()) <= 4 and lead_start + mm.start() > 0
            ):
                g.clause_start = g.clause_end = None  # a cue inside the reported clause
    for i, f in enumerate(frames):
        if f.clause_start is None:
            continue
        end = f.clause_end if f.clause_end is not None else se
        for g in frames[i + 1 :]:
            if g.cue_start <= f.clause_start:
                continue
            if g.kind == "inverted" and f.kind in ("forward", "according", "participle"):
                cut = g.np_start if g.np_start is not None else g.cue_start
                cut = min(cut, g.cue_start)
                end = min(end, _cut_back(text, f.clause_start, cut))
                break
            if (
                g.kind == "according"
                and g.clause_start is not None
                and g.clause_start < g.cue_start
            ):
                end = min(end, _cut_back(text, f.clause_start, g.cue_start))
                break
            if (
                g.kind == "forward"
                and g.np_start is not None
                and g.clause_start is not None
                and g.np_start > f.clause_start
            ):
                lead_start = max(f.clause_start, g.np_start - 200)
                lead = text[lead_start : g.np_start]
                mm = re.search(r"(?:[,;]|\s(?:and|but|while|whereas)\s)[^,;]{0,40}$", lead)
                if mm:
                    end = min(end, _cut_back(text, f.clause_start, lead_start + mm.start()))
                    break
            if g.kind in ("participle", "forward"):
                lead_start = max(f.clause_start, g.cue_start - 200)
                lead = text[lead_start : g.cue_start]
                mm = re.search(
                    r"(?:,\s*|\s+(?:and|but)\s+|;\s*)(?:(?:he|she|they|it|also|"
                    r"later|then)\s+)*$",
                    lead,
                )
                if mm and (
                    g.kind == "participle"
                    or mm.group(0).strip(" ,") in ("and", "but")
                    or g.np_start is None
                    or g.speaker_np in ("he", "she", "they")
                ):
                    end = min(end, _cut_back(text, f.clause_start, lead_start + mm.start()))
                    if g.kind == "forward" and g.speaker_np is None:
                        g.speaker_np = f.speaker_np
                    break
        f.clause_end = _strip_end(text, f.clause_start, end)


def _cut_back(text: str, start: int, cut: int) -> int:
    return max(start, _strip_end(text, start, cut))
