"""Putting it together: paragraphs -> quotations and cue frames -> units -> ``Quote`` objects.

Order of work for each paragraph: pair its quotation marks, split it into sentences, read the
cue frames of every sentence, turn standalone quotations into ``direct`` units (one per quoted
sentence) and cue frames into ``indirect`` units (``mixed`` when the reported clause holds a
quoted fragment of three words or more), then resolve speakers in reading order and remove
overlaps (direct before mixed before indirect; an earlier unit before a later one).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .clauses import Frame
from .coref import SpeakerTracker
from .cues import find_frames
from .direct import MIN_WORDS, attribution, is_standalone, split_sentences, word_count
from .lexicon import (
    BARE_OBJECT_HEADS,
    CLAUSE_CUES,
    OBJECT_CUES,
    THAT_ONLY,
    WEAK_OBJECT_CUES,
)
from .marks import QuoteSpan, pair_marks
from .positions import SpanIndex, context_of, frames_between, sentence_of
from .segment import is_furniture, paragraphs, sentences
from .speakers import name_core, sentence_subject
from .types import Quote

_PRIORITY = {"direct": 0, "mixed": 1, "indirect": 2}
_STRONG_OBJECT_CUES = {"urge", "call for", "demand", "warn against", "rule out", "push for",
                       "press for", "appeal for", "plead for", "insist on", "argue for"}
_POSITION_WORDS = re.compile(
    r"\b(?:talks|negotiat\w*|dialogue|diplomac\w*|sanction\w*|restraint|ceasefire|cease-fire|"
    r"truce|release|withdraw\w*|action|measures?|pressure|strikes?|attacks?|war|force|deal|"
    r"agreement|peace|compromise|de-?escalat\w*|need|end|resum\w*|lifting|removal|"
    r"cooperation|guarantees?|solution|settlement|retaliat\w*|response|punish\w*|boycott|"
    r"embargo|blockade|interven\w*|invasion|aggression|threats?|demands?|conditions|"
    r"preconditions|proposals?|plan|resolution|mediation|engagement|easing|return|halt|"
    r"stop|freeze|opposition|openness|necessity|commitment|readiness to)\b",
    re.I,
)


@dataclass
class _Unit:
    start: int
    end: int
    kind: str
    frame: Frame | None
    para: int
    floating: bool = False
    silent: bool = False  # a named speaker's cue with no unit: only feeds the speaker memory


def extract_quotes(text: str) -> list[Quote]:
    """Return every quoted or reported statement of ``text``, sorted by start, never overlapping.

    Raises ``TypeError`` for anything but ``str``; blank text gives ``[]``.
    """
    if not isinstance(text, str):
        hint = (
            " (decode it first: text.decode('utf-8'))"
            if isinstance(text, (bytes, bytearray))
            else ""
        )
        raise TypeError(f"extract_quotes expects str, got {type(text).__name__}{hint}")
    if not text.strip():
        return []
    units: list[_Unit] = []
    sents_all: list[tuple[int, int]] = []
    for pi, (ps, pe) in enumerate(paragraphs(text)):
        if is_furniture(text[ps:pe]):
            continue
        sents = sentences(text, ps, pe)
        sents_all.extend(sents)
        # units never cross a paragraph, so overlaps are settled paragraph by paragraph
        found = _paragraph_units(text, ps, pe, pi, sents)
        units.extend(_resolve_overlaps([u for u in found if not u.silent]))
        units.extend(u for u in found if u.silent)
    units.sort(key=lambda u: (u.start, u.silent))
    return _finish(text, units, sents_all)


def _paragraph_units(
    text: str, ps: int, pe: int, pi: int, sents: list[tuple[int, int]]
) -> list[_Unit]:
    quotes = pair_marks(text, ps, pe)  # sorted by opening mark
    opens = [q.open for q in quotes]
    masks = SpanIndex([(q.inner_start, q.inner_end) for q in quotes])
    # every lookup below is local (a sentence and its neighbours), so that the cost stays linear
    # in the number of quotations and cues of a paragraph
    by_sent = [find_frames(text, ss, se, masks.overlapping(ss, se)) for ss, se in sents]
    frames = [f for group in by_sent for f in group]
    starts = [s for s, _ in sents]
    out: list[_Unit] = []
    absorbed: set[int] = set()
    # reported clauses (indirect / mixed)
    for f in frames:
        if f.clause_start is None or f.clause_end is None or f.clause_end <= f.clause_start:
            continue
        cs, ce = f.clause_start, f.clause_end
        inside = [
            q
            for q in quotes[bisect.bisect_left(opens, cs) : bisect.bisect_right(opens, ce)]
            if q.level == 1
            and cs <= q.open
            and q.inner_end <= ce + 1
            or (q.level == 1 and cs <= q.open < ce)
        ]
        body = text[cs:ce]
        quoted = sum(q.inner_end - q.inner_start for q in inside)
        if inside and quoted >= 0.8 * max(1, len(body.strip(" “”\"'’‘.,"))):
            continue  # the clause is a quotation: a direct unit
        if f.kind == "forward" and f.colon and inside and inside[0].open - cs <= 2:
            continue
        if word_count(body) < (1 if f.base in _STRONG_OBJECT_CUES else 2):
            continue
        if not _is_position(f, body, "that" in text[f.cue_end : cs].split()):
            continue
        if f.kind == "forward" and f.base in THAT_ONLY and "that" not in text[f.cue_end : cs]:
            continue  # "reported its first flood victims": an event, not reported speech
        big = [q for q in inside if word_count(text[q.inner_start : q.inner_end]) >= MIN_WORDS]
        for q in big:
            absorbed.add(q.open)
        if big and big[-1].close_end > ce and big[-1].open < ce:
            ce = big[-1].close_end
        for a, b in _split_and_that(text, cs, ce, inside):
            sub_big = [q for q in big if a <= q.open < b]
            out.append(_Unit(a, b, "mixed" if sub_big else "indirect", f, pi))
    used = {id(u.frame) for u in out}
    for f in frames:  # "X, also commented on ...": X still becomes the last speaker
        if id(f) not in used and not f.relay and f.speaker_np and f.kind != "participle":
            name, person = name_core(f.speaker_np)
            if name and person and len(name.split()) >= 2:
                out.append(_Unit(f.cue_start, f.cue_start, "indirect", f, pi, silent=True))
    # direct quotations
    prev_close = ps
    for i, q in enumerate(quotes):
        if q.open in absorbed or q.level != 1:
            prev_close = max(prev_close, q.close_end)
            continue
        inner = text[q.inner_start : q.inner_end]
        sent = sentence_of(sents, starts, q.open)
        if word_count(inner) < MIN_WORDS and not _second_half(text, quotes, i, sent):
            prev_close = max(prev_close, q.close_end)
            continue
        last = max(q.close_end - 1, q.open)
        near = frames_between(by_sent, starts, q.open, last)
        standalone = is_standalone(text, q, sent[0], prev_close, near)
        nxt = quotes[i + 1].open if i + 1 < len(quotes) else pe
        limit = min(nxt, sentence_of(sents, starts, last)[1])
        f = attribution(text, q, near, limit, sent[0])
        if not standalone and (f is None or word_count(inner) < 4):
            prev_close = max(prev_close, q.close_end)
            continue
        floating = f is None
        if floating and not re.search(r"[.!?,;…]\W*$", inner):
            prev_close = max(prev_close, q.close_end)
            continue  # a quoted headline or title, not a statement
        for a, b in split_sentences(text, q):
            out.append(_Unit(a, b, "direct", f, pi, floating))
        prev_close = max(prev_close, q.close_end)
    return out


_AND_THAT = re.compile(r",?\s+(?:and|but)\s+(?:also\s+)?that\s+")


def _split_and_that(
    text: str, cs: int, ce: int, quotes: list[QuoteSpan]
) -> list[tuple[int, int]]:
    """'said A and that B' reports two statements: split the clause at 'and that'."""
    out = []
    start = cs
    for m in _AND_THAT.finditer(text, cs, ce):
        if any(q.inner_start <= m.start() < q.inner_end for q in quotes):
            continue
        end = m.start()
        while end > start and text[end - 1] in " ,":
            end -= 1
        if word_count(text[start:end]) >= 2:
            out.append((start, end))
            start = m.end()
    out.append((start, ce))
    return [(a, b) for a, b in out if b > a]


def _second_half(text: str, quotes: list[QuoteSpan], i: int, sent: tuple[int, int]) -> bool:
    """True for the second half of a split quote ('“The time,” he said, “is over.”')."""
    if i == 0 or quotes[i - 1].close_end < sent[0] - 2:
        return False
    prev = quotes[i - 1]
    between = text[prev.close_end : quotes[i].open]
    inner_prev = text[prev.inner_start : prev.inner_end].rstrip()
    return (
        inner_prev.endswith(",")
        and len(between) < 80
        and not re.search(r"[.!?]", between)
        and between.rstrip().endswith(",")
    )


def _is_position(f: Frame, body: str, after_that: bool = False) -> bool:
    """Noun-phrase objects count only when they carry a position (not 'the allegations')."""
    if (f.speaker_np or "").lower() in ("i", "we"):
        return False  # a transcript's own voice ("I think that ...") is not an attribution
    if f.kind != "forward":
        return True
    if re.match(r"(?:in|at|on|after|during|ahead|while|before|following|from|via|through|"
                r"amid|under|with|without|by)\b", body.lower()):
        return False  # only adverbials follow the cue ("said in a statement.")
    low = body.lower()
    clause_cue = f.base in CLAUSE_CUES.values()
    object_cue = f.base in OBJECT_CUES.values()
    words = low.split()
    if clause_cue and not object_cue:
        return len(words) >= 3
    if object_cue and not after_that and f.base not in _STRONG_OBJECT_CUES and _bare_head(low):
        return False  # "reiterated Moscow's concern over ...": a feeling or topic, no position
    if f.base in _STRONG_OBJECT_CUES and words:
        return not (words[0].strip(".,") in BARE_OBJECT_HEADS and len(words) <= 2)
    if re.search(r"\bto\s+\w+", low[:120]) or re.match(r"(?:that|for|on|against|of)\b", low):
        return True
    if words and words[-1].strip(".,") in BARE_OBJECT_HEADS and len(words) <= 3:
        return False
    if low.startswith(("'s", "’s")) or len(words) < 3 and f.base not in _STRONG_OBJECT_CUES:
        return False
    if f.base in WEAK_OBJECT_CUES or not clause_cue:
        return bool(
            _POSITION_WORDS.search(low)
            or " as " in low
            or "“" in body
            or '"' in body
            or (len(words) >= 8 and f.base not in WEAK_OBJECT_CUES)
        )
    return len(words) >= 3


_HEAD_END = re.compile(
    r"\s+(?:over|about|at|regarding|concerning|on|for|with|of|in|to|towards?|after|following|"
    r"amid|that|from|between|among)\b|[,;:.(—–]"
)


_NOT_BARE_HEAD = {"readiness", "it", "this", "that", "them", "him", "her", "us", "me", "you"}


def _bare_head(low: str) -> bool:
    """True when the head noun of an object names only a topic or a feeling
    ('Moscow's concern over ...', 'its deep regret at ...'); not before 'to'/'that'
    ('readiness to resume talks', 'hope that talks resume')."""
    m = _HEAD_END.search(low)
    head_part = low[: m.start()] if m else low
    words = head_part.split()
    if not words or len(words) > 5:
        return False
    head = words[-1].strip("'’\"“”")
    if head not in BARE_OBJECT_HEADS or head in _NOT_BARE_HEAD:
        return False
    return not (m and re.match(r"\s+(?:to|that)\b", low[m.start() :]))


def _resolve_overlaps(units: list[_Unit]) -> list[_Unit]:
    """Keep direct units first, then mixed, then indirect ones, trimming or dropping clashes."""
    kept: list[_Unit] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for u in sorted(units, key=lambda u: (_PRIORITY[u.kind], u.start)):
        k = bisect.bisect_left(starts, u.end)
        clash = []
        j = k - 1
        while j >= 0 and kept[j].end > u.start:
            clash.append(kept[j])
            j -= 1
        if clash and u.kind == "direct":
            continue
        s, e = u.start, u.end
        for c in clash:  # trim a reported clause around the units already kept
            if c.start <= s:
                s = max(s, c.end)
            else:
                e = min(e, c.start)
        if clash and not (e > s and e - s >= 0.5 * (u.end - u.start)):
            continue
        if clash:
            u = _Unit(s, e, u.kind, u.frame, u.para, u.floating)
            k = bisect.bisect_left(starts, u.end)
            if (k > 0 and kept[k - 1].end > u.start) or (k < len(kept) and kept[k].start < u.end):
                continue
        kept.insert(k, u)
        starts.insert(k, u.start)
    return kept


def _finish(text: str, units: list[_Unit], sents: list[tuple[int, int]]) -> list[Quote]:
    tracker = SpeakerTracker()
    resolved: dict[int, str | None] = {}
    si = 0
    out: list[Quote] = []
    last_end = 0
    sents.sort()
    starts = [a for a, _ in sents]
    for u in units:
        if u.silent:
            if u.frame is not None and id(u.frame) not in resolved:
                resolved[id(u.frame)] = tracker.resolve(u.frame.speaker_np)
            continue
        s, e = u.start, u.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s or s < last_end:
            continue
        while si < len(sents) and sents[si][0] <= s:
            tracker.note_names(text[sents[si][0] : sents[si][1]])
            si += 1
        f = u.frame
        if f is None:
            recent_subject = tracker.subject and tracker.subject_tick > tracker.person_tick
            speaker = (tracker.subject if recent_subject else tracker.last_any) or tracker.subject
        elif id(f) in resolved:
            speaker = resolved[id(f)]
        else:
            np = f.speaker_np
            if np is None and f.kind == "participle":
                np = _subject(text, sents, f.cue_start)
            speaker = tracker.resolve(np) if np else tracker.last_any
            resolved[id(f)] = speaker
        if speaker:
            tracker.last_any = speaker
        cs, ce = context_of(sents, starts, s, e)
        out.append(
            Quote(
                text=text[s:e],
                start=s,
                end=e,
                kind=u.kind,
                speaker=speaker,
                cue=text[f.cue_start : f.cue_end] if f else None,
                cue_start=f.cue_start if f else None,
                cue_end=f.cue_end if f else None,
                context=text[cs:ce],
                context_start=cs,
                context_end=ce,
            )
        )
        last_end = e
    return out


def _subject(text: str, sents: list[tuple[int, int]], pos: int) -> str | None:
    """The main-clause subject of the sentence holding ``pos`` (for '..., saying ...')."""
    ss = next((s for s, e in sents if s <= pos < e), pos)
    return sentence_subject(text[ss:pos])

