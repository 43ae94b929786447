"""The public record of one extracted unit (a quoted or reported statement)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

KINDS = ("direct", "indirect", "mixed")


@dataclass(frozen=True)
class Quote:
    """One statement attributed to a speaker, with exact character offsets into the article.

    ``text == article[start:end]`` and ``context == article[context_start:context_end]`` always
    hold; ``cue``, when present, equals ``article[cue_start:cue_end]``.
    """

    text: str  # == article[start:end]
    start: int
    end: int
    kind: str  # "direct" | "indirect" | "mixed"
    speaker: str | None  # fullest name in the article, or the institution that speaks
    cue: str | None  # the cue verb/phrase ("said", "told reporters", "according to")
    cue_start: int | None
    cue_end: int | None
    context: str  # the sentence (or paragraph) the unit stands in
    context_start: int
    context_end: int

    def to_dict(self) -> dict:
        """Return the unit as a plain JSON-serialisable dict (field names as keys)."""
        return asdict(self)
