"""Result objects of :func:`stance.classify`: units with labels, per-speaker and article summaries."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

BALANCE_LABELS = ("dialogue", "pressure")


@dataclass(frozen=True)
class ScoredUnit:
    """One quoted statement found in an article, with its stance.

    ``label`` is the most likely label, ``score`` its calibrated probability, and ``scores`` maps
    every label to its probability when all scores were requested (else None).
    """

    text: str
    start: int
    end: int
    kind: str
    speaker: str | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    context: str
    label: str
    score: float
    scores: dict[str, float] | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        if data["scores"] is None:
            data.pop("scores")
        return data


@dataclass(frozen=True)
class SpeakerSummary:
    """How one speaker's statements in an article are labelled.

    ``balance`` is the mean of P(dialogue) - P(pressure) over the speaker's units: +1 all dialogue,
    -1 all pressure; None when the model has no such labels.
    """

    speaker: str
    units: int
    counts: dict[str, int]
    balance: float | None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ArticleResult:
    """Everything :func:`stance.classify` found in one article."""

    units: list[ScoredUnit] = field(default_factory=list)
    speakers: list[SpeakerSummary] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    balance: float | None = None

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self):
        return iter(self.units)

    def to_dict(self) -> dict:
        return {
            "units": [unit.to_dict() for unit in self.units],
            "speakers": [speaker.to_dict() for speaker in self.speakers],
            "summary": {"units": len(self.units), "counts": self.counts, "balance": self.balance},
        }

    def to_json(self, **kwargs) -> str:
        """The result as JSON; keyword arguments go to :func:`json.dumps`."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


def _balance(rows: list[dict[str, float]]) -> float | None:
    if not rows or any(label not in rows[0] for label in BALANCE_LABELS):
        return None
    dialogue, pressure = BALANCE_LABELS
    return round(sum(row[dialogue] - row[pressure] for row in rows) / len(rows), 4)


def summarise(units: list[ScoredUnit], probabilities: list[dict[str, float]],
              labels: tuple[str, ...]) -> ArticleResult:
    """Build the per-speaker and article summaries of classified units."""
    by_speaker: dict[str, list[int]] = {}
    for index, unit in enumerate(units):
        by_speaker.setdefault(unit.speaker or "(unknown)", []).append(index)
    speakers = []
    for name, rows in by_speaker.items():
        counts = Counter(units[i].label for i in rows)
        speakers.append(SpeakerSummary(
            speaker=name, units=len(rows),
            counts={label: counts.get(label, 0) for label in labels},
            balance=_balance([probabilities[i] for i in rows]),
        ))
    speakers.sort(key=lambda s: (-s.units, s.speaker))
    totals = Counter(unit.label for unit in units)
    return ArticleResult(units=units, speakers=speakers,
                         counts={label: totals.get(label, 0) for label in labels},
                         balance=_balance(probabilities))
