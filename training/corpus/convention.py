"""Convention pass: bring the corpus's labels in line with the real-news gold where they differed.

``python -m training.corpus agreement --realnews`` compares our annotator's blind labels of the
real-news units with their gold. The one systematic gap it showed was statements the gold calls
``pressure`` (or ``dialogue``) and our guide called ``neutral``: defiance that rejects the other
side's diplomacy, a fighting party denying a ceasefire, endorsement of force, threats of legal
action, the reasons a speaker gives for a measure, and arguments for a party's place in a
settlement. docs/annotation.md now has a refinement for each (numbered as ``RULES`` below).

The pass, recorded in ``seeds/audit/convention-pass-2026-11.jsonl`` (one row per unit):

1. Proposers read every corpus article and proposed a change wherever one of the refinements
   clearly contradicted the corpus label (``proposed``, ``rule``, ``reason``).
2. A blind verifier, who saw neither the corpus labels nor the proposals, labelled the proposed
   units mixed with random *controls* from the same articles (``verifier``, ``sure``).
3. A change is applied when the verifier gives the proposed label; rule 6 of the guidelines keeps
   a ``neutral`` unit when the verifier was not sure (``apply``; the label audit's rule,
   :func:`training.corpus.audit.agreed_change`). Its changes are :func:`~training.corpus.audit.changes_of`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from training.corpus.audit import agreed_change
from training.corpus.audit_run import read_rows

RULES = {
    1: "resolve that rejects the other side's diplomacy",
    2: "legal step held over the other side as a threat",
    3: "dismissing the other side's diplomacy",
    4: "a fighting party denies a ceasefire or talks",
    5: "endorsing, justifying or praising force",
    6: "a reason or premise takes its measure's label",
    7: "arguing for a party's place in a settlement",
}
BY = "the convention pass"


@dataclass
class ConventionRow:
    """One unit of the pass: a proposal (or a control) and the blind verifier's label."""

    id: str  # article id
    n: int  # index of the unit in the article's quotes
    span: str
    before: str  # the corpus label when the pass ran
    proposed: str  # the proposed label (for a control: the corpus label)
    rule: int  # the refinement the proposal rests on (0 for a control)
    verifier: str  # the blind verifier's label
    sure: bool
    control: bool  # a random unit of the same articles, not proposed

    def decision(self) -> str | None:
        """The new label, or None to keep the corpus label."""
        return agreed_change(self.before, self.proposed, self.verifier, sure=self.sure,
                             control=self.control)


def _rule_problem(row: dict) -> str | None:
    if not row["control"] and row["rule"] not in RULES:
        return f"rule {row['rule']!r} is not one of {sorted(RULES)}"
    return None


def read_convention_record(path: Path) -> list[ConventionRow]:
    """The pass's record; errors name the file and line."""
    return read_rows(path, ConventionRow, _rule_problem)


def convention_summary(rows: list[ConventionRow]) -> str:
    """The pass in figures: controls, proposals and accepted changes by rule and direction."""
    controls = [r for r in rows if r.control]
    proposals = [r for r in rows if not r.control]
    agree = sum(r.verifier == r.before for r in controls)
    lines = [
        f"Proposals: {len(proposals)}; controls: {len(controls)} (the verifier agrees with the "
        f"corpus on {agree}, {agree / max(len(controls), 1):.3f}).", "",
        "| rule | proposed | accepted |", "|---|---|---|",
    ]
    for number, name in RULES.items():
        group = [r for r in proposals if r.rule == number]
        lines.append(f"| {number}. {name} | {len(group)} | {sum(bool(r.decision()) for r in group)} |")
    accepted = sum(bool(r.decision()) for r in proposals)
    lines += [f"| all | {len(proposals)} | {accepted} |", "",
              "| corpus label | new label | proposed | accepted |", "|---|---|---|---|"]
    proposed = Counter((r.before, r.proposed) for r in proposals)
    taken = Counter((r.before, r.proposed) for r in proposals if r.decision())
    lines += [f"| {before} | {after} | {count} | {taken[(before, after)]} |"
              for (before, after), count in sorted(proposed.items())]
    return "\n".join(lines)
