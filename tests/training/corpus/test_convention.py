"""The convention pass: the verifier decides, rule 6 keeps doubt neutral, the record is applied."""

import json

import pytest

from training.corpus.audit import changes_of, relabel_source
from training.corpus.build import SEEDS_DIR
from training.corpus.convention import (
    BY,
    ConventionRow,
    convention_summary,
    read_convention_record,
)
from training.corpus.markup import parse_source

SOURCE = """### id: t-001
source: wire story
date: 2020-01-02
dispute: yemen

ADEN - "[[There is no truce.||direct|neutral|A|hard|tb=6]] [[We fight on.||direct|pressure|A]]" A said.
"""

RECORD = SEEDS_DIR / "audit" / "convention-pass-2026-11.jsonl"


def _row(verifier: str, sure: bool = True, control: bool = False, before: str = "neutral",
         proposed: str = "pressure") -> ConventionRow:
    return ConventionRow("t-001", 0, "There is no truce.", before, proposed, 0 if control else 4,
                         verifier, sure, control)


def test_verifier_decides_and_rule_6_keeps_doubtful_neutral():
    assert _row("pressure").decision() == "pressure"  # verifier gives the proposed label
    assert _row("neutral").decision() is None  # verifier keeps the corpus label
    assert _row("dialogue").decision() is None  # a third label moves nothing
    assert _row("pressure", sure=False).decision() is None  # doubt about a stance: stays neutral
    assert _row("neutral", control=True, proposed="neutral").decision() is None
    # leaving a stance needs no certainty: rule 6 only guards neutral
    assert _row("neutral", sure=False, before="pressure", proposed="neutral").decision() == "neutral"


def test_applied_change_drops_the_doubt_marks_and_says_who_moved_it():
    changes = changes_of([_row("pressure")])
    new, count = relabel_source(SOURCE, changes, by=BY)
    assert count == 1
    unit = parse_source(new)[0].quotes[0]
    # a stance cannot keep tie-break 6 or `hard` (rule 6 is always neutral)
    assert unit["stance"] == "pressure" and "hard" not in unit and "tiebreak" not in unit
    assert unit["note"] == "relabelled neutral to pressure by the convention pass"
    assert relabel_source(new, changes, by=BY) == (new, 0)


def test_summary_counts_proposals_and_acceptances_by_rule():
    rows = [_row("pressure"), _row("neutral"), _row("neutral", control=True, proposed="neutral")]
    text = convention_summary(rows)
    assert "Proposals: 2; controls: 1 (the verifier agrees with the corpus on 1, 1.000)" in text
    assert "| 4. a fighting party denies a ceasefire or talks | 2 | 1 |" in text
    assert "| neutral | pressure | 2 | 1 |" in text


def test_bad_record_rows_name_the_line(tmp_path):
    path = tmp_path / "record.jsonl"
    path.write_text(json.dumps({"id": "t-001", "n": 0}) + "\n")
    with pytest.raises(ValueError, match=r"record.jsonl:1: missing span, before"):
        read_convention_record(path)
    row = {"id": "t", "n": 0, "span": "x", "before": "neutral", "proposed": "pressure", "rule": 9,
           "verifier": "pressure", "sure": True, "control": False}
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ValueError, match="rule 9 is not one of"):
        read_convention_record(path)


def test_committed_record_is_applied(capsys):
    # The committed pass is already applied to seeds/src (applying it again changes nothing), and
    # the summary prints the figures docs/corpus.md publishes.
    from training.corpus.__main__ import main

    changes = changes_of(read_convention_record(RECORD))
    for path in sorted((SEEDS_DIR / "src").glob("*.txt")):
        assert relabel_source(path.read_text(encoding="utf-8"), changes, by=BY)[1] == 0, path
    assert main(["convention", "summary"]) == 0
    assert "| all | " in capsys.readouterr().out
