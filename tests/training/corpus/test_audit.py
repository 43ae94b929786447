"""The label audit: the two-of-three rule with rule 6, selection, relabelling the sources."""

import json

import pytest

from training.corpus.audit import AuditRow, changes_of, fold_of, relabel_source, select, summary
from training.corpus.audit_run import apply_record, read_record, record_rows, write_record
from training.corpus.build import SEEDS_DIR
from training.corpus.convention import read_convention_record
from training.corpus.markup import parse_source

SOURCE = """### id: t-001
source: wire story
date: 2020-01-02
dispute: yemen

ADEN - "[[We want talks||direct|dialogue|A]]," A said.
B said [[the truce was a lie||indirect|neutral|B|note=old]].
"""


def _row(before: str, model: str, auditor: str, sure: bool = True, control: bool = False) -> AuditRow:
    return AuditRow("t-001", 1, "the truce was a lie", before, model, auditor, sure, control)


def test_two_of_three_decides_and_rule_6_keeps_doubtful_neutral():
    assert _row("neutral", "pressure", "pressure").decision() == "pressure"  # annotator sides with model
    assert _row("neutral", "pressure", "neutral").decision() is None  # sides with the corpus
    assert _row("neutral", "pressure", "dialogue").decision() is None  # third label: no majority
    # rule 6: an unsure annotator does not move a neutral unit to a stance ...
    assert _row("neutral", "pressure", "pressure", sure=False).decision() is None
    # ... but an unsure annotator still moves a stance to neutral or to the other stance
    assert _row("pressure", "neutral", "neutral", sure=False).decision() == "neutral"
    assert _row("pressure", "dialogue", "dialogue", sure=False).decision() == "dialogue"
    assert _row("neutral", "neutral", "pressure", control=True).decision() is None  # controls never move


def test_select_skips_doubtful_units_and_low_scores():
    units = [
        {"gold": "neutral", "pred": "pressure", "score": 0.9},  # flagged
        {"gold": "neutral", "pred": "pressure", "score": 0.5},  # too unsure to flag
        {"gold": "neutral", "pred": "pressure", "score": 0.9, "hard": True},  # known doubt
        {"gold": "neutral", "pred": "dialogue", "score": 0.9, "tiebreak": 6},  # known doubt
    ] + [{"gold": "dialogue", "pred": "dialogue", "score": 0.9, "i": i} for i in range(12)]
    flagged, controls = select(units, min_score=0.6)
    assert flagged == [units[0]]
    assert controls == []  # one control per six flagged: none for one
    flagged, controls = select(units * 6, min_score=0.6)
    assert len(flagged) == 6 and len(controls) == 1 and controls[0]["gold"] == controls[0]["pred"]


def test_fold_is_stable_and_spreads_articles():
    folds = [fold_of(f"a-{i:03d}", 2) for i in range(200)]
    assert folds == [fold_of(f"a-{i:03d}", 2) for i in range(200)]
    assert 60 < sum(folds) < 140


def test_relabel_changes_only_the_decided_unit_and_is_idempotent():
    changes = {("t-001", 1): ("the truce was a lie", "neutral", "pressure")}
    new, count = relabel_source(SOURCE, changes)
    assert count == 1
    quotes = parse_source(new)[0].quotes
    assert [q["stance"] for q in quotes] == ["dialogue", "pressure"]
    assert quotes[1]["note"] == "relabelled neutral to pressure by the label audit"
    assert relabel_source(new, changes) == (new, 0)
    with pytest.raises(ValueError, match="t-001 unit 1: expected 'the truce was a lie' labelled 'pressure'"):
        relabel_source(SOURCE, {("t-001", 1): ("the truce was a lie", "pressure", "dialogue")})


def test_record_round_trip_apply_and_summary(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "t-01.txt").write_text(SOURCE, encoding="utf-8")
    units = [{"id": "t-001", "n": 1, "span": "the truce was a lie", "gold": "neutral", "pred": "pressure",
              "score": 0.8},
             {"id": "t-001", "n": 0, "span": "We want talks", "gold": "dialogue", "pred": "dialogue",
              "score": 0.9, "control": True}]
    labels = [{"uid": "t-001#1", "stance": "pressure", "sure": True, "reason": "denial to keep fighting"},
              {"uid": "t-001#0", "stance": "dialogue", "sure": True, "reason": "offer"}]
    write_record(record_rows(units, labels), tmp_path / "record.jsonl")
    rows = read_record(tmp_path / "record.jsonl")
    assert apply_record(rows, src) == 1
    assert "[[the truce was a lie||indirect|pressure|B|" in (src / "t-01.txt").read_text(encoding="utf-8")
    text = summary(rows)
    assert "| controls: annotator agrees with the corpus | 1 of 1 (1.000) |" in text
    assert "| neutral | pressure | 1 |" in text
    (tmp_path / "bad.jsonl").write_text(json.dumps({"id": "t-001"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: missing n, span, before"):
        read_record(tmp_path / "bad.jsonl")


def test_committed_audit_record_is_applied(capsys):
    # The committed record is already applied to seeds/src: applying it again changes nothing
    # (a source edited since would fail here), and the summary prints the published figures.
    from training.corpus.__main__ import main

    record = SEEDS_DIR / "audit" / "label-audit-2026-11.jsonl"
    rows = read_record(record)
    # units that the later convention pass moved again carry that pass's label (its own test)
    later = changes_of(read_convention_record(SEEDS_DIR / "audit" / "convention-pass-2026-11.jsonl"))
    changes = {key: change for key, change in changes_of(rows).items() if key not in later}
    for path in sorted((SEEDS_DIR / "src").glob("*.txt")):
        assert relabel_source(path.read_text(encoding="utf-8"), changes)[1] == 0, path
    assert main(["audit", "summary"]) == 0
    assert "relabelled (two of three, rule 6 for doubt) | 80 |" in capsys.readouterr().out


def test_folds_hold_every_train_article_once_and_packets_carry_no_labels(tmp_path):
    from training.corpus.audit_run import write_folds, write_packets
    from training.corpus.validate import read_jsonl

    articles = read_jsonl(SEEDS_DIR / "train.jsonl")[:20]
    dirs = write_folds(articles, SEEDS_DIR, tmp_path, 2)
    held = [a["id"] for d in dirs for a in read_jsonl(d / "test.jsonl")]
    assert sorted(held) == sorted(a["id"] for a in articles)  # each article held out exactly once
    for d in dirs:  # a fold never trains on what it predicts; folds carry no reader bookkeeping
        train = read_jsonl(d / "train.jsonl")
        assert not {a["id"] for a in train} & {a["id"] for a in read_jsonl(d / "test.jsonl")}
        assert '"_where"' not in (d / "train.jsonl").read_text(encoding="utf-8")
    quote = articles[0]["quotes"][0]
    unit = {"id": articles[0]["id"], "n": 0, "span": quote["text"], "speaker": quote["speaker"],
            "kind": quote["kind"], "gold": quote["stance"], "pred": "neutral"}
    write_packets([unit], {a["id"]: a["text"] for a in articles}, tmp_path, 2)
    packets = "".join((tmp_path / f"packet-{n}.md").read_text(encoding="utf-8") for n in range(2))
    assert f"{unit['id']}#0 | speaker: {quote['speaker']}" in packets and articles[0]["text"] in packets
    assert quote["stance"] not in packets.split("units to label")[1].split("span:")[0]
