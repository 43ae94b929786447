"""The context a unit is classified with: the text around it in its paragraph.

Training and inference build a unit's context with the same function, so the classifier sees at
prediction time exactly the kind of input it was fine-tuned on.
"""

from __future__ import annotations

import re

CONTEXT_CHARS = 400  # about 80 words: the sentence of the unit and its neighbours
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+")


def _paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right == -1 else right


def _snap_left(text: str, lower: int, start: int) -> int:
    """The first sentence start at or after ``lower`` (or ``lower`` itself)."""
    if lower == 0 or text[lower - 1] == "\n":
        return lower
    match = _SENTENCE_END.search(text, lower, start)
    return match.end() if match else lower


def _snap_right(text: str, end: int, upper: int) -> int:
    """The end of the last whole sentence before ``upper`` (or ``upper`` itself)."""
    last = None
    for match in _SENTENCE_END.finditer(text, end, upper):
        last = match
    return last.end() if last and upper < len(text) and text[upper] != "\n" else upper


def context_bounds(text: str, start: int, end: int, budget: int = CONTEXT_CHARS) -> tuple[int, int]:
    """Offsets of the context of the unit ``text[start:end]``.

    The context is the unit's paragraph, trimmed to about ``budget`` characters around the unit at
    sentence boundaries. A unit longer than the budget is its own context.
    """
    left, right = _paragraph_bounds(text, start, end)
    spare = max(budget - (end - start), 0)
    lower = max(left, start - spare * 2 // 3)
    upper = min(right, end + spare - (start - lower))
    if lower > left:
        lower = _snap_left(text, lower, start)
    if upper < right:
        upper = _snap_right(text, end, upper)
    return lower, upper


def unit_context(text: str, start: int, end: int, budget: int = CONTEXT_CHARS) -> str:
    """The context string of the unit ``text[start:end]``, whitespace-trimmed."""
    lower, upper = context_bounds(text, start, end, budget)
    return text[lower:upper].strip()
