"""Paragraph and sentence splitting with exact character offsets.

A paragraph is a run of text between line breaks. Sentences are split at ``.``, ``!`` or ``?``
(with any closing quotation marks or brackets that follow) before whitespace and a capital
letter, digit or opening mark, except after known abbreviations, initials and inside
``U.S.``-style acronyms. Very long sentences are cut into bounded pieces so that every later
step stays linear in the size of the article.
"""

from __future__ import annotations

import re

from .lexicon import ABBREVIATIONS, FURNITURE_PREFIXES

MAX_SENTENCE = 1200

_PARA = re.compile(r"[^\n\r\u2028\u2029]+")
_BOUNDARY = re.compile(
    r"[.!?]+(?:[\"”’'\)\]]|'')*(?=\s+(?:[\"“‘'`(\[]|'')*[A-Z0-9\u00C0-\u024F])"
    r"|[.!?]+(?:[\"”’'\)\]]|'')*(?=\s+[“\"]|\s*$)"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.?$")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of every non-blank line, whitespace trimmed."""
    out = []
    for m in _PARA.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def is_furniture(line: str) -> bool:
    """True for page furniture lines (``Advertisement``, ``Read more``, bylines)."""
    low = line.strip().lower()
    if low.startswith(FURNITURE_PREFIXES):
        return True
    return bool(
        re.match(r"by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}$", line.strip(), re.I)
        and len(line) < 60
        and not re.search(r"[.!?\"”]$", line.strip())
    )


def _is_abbreviation(text: str, dot: int, para_start: int) -> bool:
    """True when the period at ``dot`` belongs to an abbreviation or an initial."""
    window = text[max(para_start, dot - 12) : dot + 1]
    m = _WORD_BEFORE.search(window[:-1])
    if not m:
        return False
    word = m.group(1)
    low = word.lower().rstrip(".")
    if low in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy"
        return True
    # acronyms written with periods: "U.S." / "U.N." (the sentence may still end there; we
    # keep the sentence going only when the next word is clearly a proper noun continuation)
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word)) and _next_word_is_name(text, dot)


def _next_word_is_name(text: str, dot: int) -> bool:
    """After an acronym: keep going when the next word is a capitalised noun, not a pronoun."""
    m = re.compile(r"\s+([A-Z][a-z]+)").match(text, dot + 1)
    if not m:
        return False
    return m.group(1) not in {
        "The", "He", "She", "It", "They", "We", "I", "But", "And", "In", "A", "This", "That",
        "On", "At", "As", "If", "When", "While",
    }


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (one paragraph) into sentence spans, whitespace trimmed."""
    out: list[tuple[int, int]] = []
    cur = start
    for m in _BOUNDARY.finditer(text, start, end):
        dot = m.start()
        if text[dot] == "." and m.end() - dot == 1 and _is_abbreviation(text, dot, start):
            continue
        _push(text, out, cur, m.end())
        cur = m.end()
    _push(text, out, cur, end)
    return out


def _push(text: str, out: list[tuple[int, int]], s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    while e - s > MAX_SENTENCE:  # bound the work on run-on text
        cut = text.rfind(" ", s, s + MAX_SENTENCE)
        cut = cut if cut > s else s + MAX_SENTENCE
        out.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        out.append((s, e))
