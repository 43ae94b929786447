"""Label audit: find training units a held-out model confidently disputes, have them relabelled blind.

The procedure (``python -m training.corpus audit``):

1. ``flag``: split the train articles into folds by a stable hash; train the default config on
   all folds but one and predict the held-out fold, so that every train unit gets an out-of-fold
   prediction. A unit is *flagged* when the prediction differs from the corpus label with a score
   of at least ``--min-score``; ``hard`` and tie-break-6 units (already known to be doubtful) are
   left out. A random sixth as many agreeing units are added as *controls*. Flagged and control
   units are written, mixed and without any label, into annotation packets.
2. A blind annotator labels every packet unit (``stance``, ``sure``, ``reason``), following the
   shared guidelines and docs/annotation.md, without seeing the corpus label or the prediction.
3. ``apply``: a flagged unit is relabelled when the annotator agrees with the model against the
   corpus (two of three). Guideline rule 6 applies to the annotator too: a ``neutral`` unit is not
   moved to a stance when the annotator was not sure.
4. ``summary``: the audit record (``seeds/audit/*.jsonl``, one row per audited unit) in figures.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass

from training.corpus.markup import _ARTICLE_START, _UNIT

NEUTRAL = "neutral"


@dataclass
class AuditRow:
    """One audited unit: the corpus label, the out-of-fold prediction and the blind relabel."""

    id: str  # article id
    n: int  # index of the unit in the article's quotes
    span: str
    before: str  # the corpus label when the audit ran
    model: str  # the out-of-fold prediction
    auditor: str  # the blind annotator's label
    sure: bool
    control: bool  # drawn at random among units where model and corpus agree

    def decision(self) -> str | None:
        """The new label, or None to keep the corpus label."""
        return agreed_change(self.before, self.model, self.auditor, sure=self.sure,
                             control=self.control)


def agreed_change(before: str, candidate: str, blind: str, *, sure: bool,
                  control: bool) -> str | None:
    """The two-of-three rule shared by the label audit and the convention pass: a unit moves to
    ``candidate`` (the model's or a proposer's label) when the blind annotator gives it too;
    controls never move, and rule 6 keeps a ``neutral`` unit when the annotator was not sure."""
    if control or blind != candidate or candidate == before:
        return None
    if before == NEUTRAL and not sure:
        return None  # rule 6: doubt between a stance and neutral stays neutral
    return candidate


def fold_of(article_id: str, folds: int) -> int:
    """A stable fold number: adding an article never moves another one."""
    return int(hashlib.md5(article_id.encode("utf-8")).hexdigest(), 16) % folds


def select(units: list[dict], min_score: float, seed: int = 7) -> tuple[list[dict], list[dict]]:
    """Split predicted units (``gold``, ``pred``, ``score``, ``hard``, ``tiebreak``) into
    flagged disagreements and a random sample of agreeing controls (one per six flagged)."""
    eligible = [u for u in units if not u.get("hard") and u.get("tiebreak") != 6]
    flagged = [u for u in eligible if u["pred"] != u["gold"] and u["score"] >= min_score]
    agreeing = [u for u in eligible if u["pred"] == u["gold"]]
    controls = random.Random(seed).sample(agreeing, min(len(agreeing), len(flagged) // 6))
    return flagged, controls


def summary(rows: list[AuditRow]) -> str:
    """The audit in figures, as a markdown report."""
    controls = [row for row in rows if row.control]
    flagged = [row for row in rows if not row.control]
    sided = Counter("corpus" if r.auditor == r.before else "model" if r.auditor == r.model
                    else "neither" for r in flagged)
    moved = Counter((r.before, r.decision()) for r in flagged if r.decision())
    agree = sum(r.auditor == r.before for r in controls)
    lines = [
        f"Audited units: {len(flagged)} flagged, {len(controls)} controls.",
        "",
        "| | units |",
        "|---|---|",
        f"| controls: annotator agrees with the corpus | {agree} of {len(controls)} "
        f"({agree / max(len(controls), 1):.3f}) |",
        f"| flagged: annotator sides with the corpus | {sided['corpus']} |",
        f"| flagged: annotator sides with the model | {sided['model']} |",
        f"| flagged: annotator gives the third label | {sided['neither']} |",
        f"| relabelled (two of three, rule 6 for doubt) | {sum(moved.values())} |",
        "",
        "| corpus label | new label | units |",
        "|---|---|---|",
    ]
    lines += [f"| {before} | {after} | {count} |" for (before, after), count in sorted(moved.items())]
    return "\n".join(lines)


def changes_of(rows: list) -> dict[tuple[str, int], tuple[str, str, str]]:
    """``{(article id, unit index): (span, old label, new label)}`` for every decided unit of a
    record (audit or convention-pass rows: anything with ``id``, ``n``, ``span``, ``before`` and
    ``decision()``)."""
    return {(r.id, r.n): (r.span, r.before, r.decision()) for r in rows if r.decision()}


def relabel_source(source: str, changes: dict[tuple[str, int], tuple[str, str, str]], *,
                   by: str = "the label audit") -> tuple[str, int]:
    """Apply ``{(article id, unit index): (span, old label, new label)}`` to one source file's
    text; return the new text and the number of units changed. Spans and old labels are checked;
    a unit that already carries its new label is left as it is, so applying twice changes nothing.
    A unit moved to a stance loses its doubt marks (``hard``, ``tb=6``: rule 6 is always
    neutral), and its note says who moved it (``by``)."""
    starts = [(match.start(), match.group("id")) for match in _ARTICLE_START.finditer(source)]
    edits = []
    for position, (start, article) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(source)
        for index, unit in enumerate(_UNIT.finditer(source, start, end)):
            change = changes.get((article, index))
            if change is None:
                continue
            span, old, new = change
            parts = unit.group("attrs").split("|")
            if unit.group("span") == span and parts[1].strip() == new:
                continue
            if unit.group("span") != span or parts[1].strip() != old:
                raise ValueError(f"{article} unit {index}: expected {span!r} labelled {old!r}, found "
                                 f"{unit.group('span')!r} labelled {parts[1].strip()!r}; the source "
                                 "changed since the audit")
            parts[1] = new
            doubt = ("hard", "tb=6") if new != NEUTRAL else ()
            parts = [part for part in parts
                     if not part.startswith("note=") and part.strip() not in doubt]
            parts.append(f"note=relabelled {old} to {new} by {by}")
            edits.append((unit.start("attrs"), unit.end("attrs"), "|".join(parts)))
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return source, len(edits)
