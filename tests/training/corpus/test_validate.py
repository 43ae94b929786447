"""The corpus validator (training.corpus.validate) and the committed corpus itself."""

import json
import shutil
from pathlib import Path

from training.corpus.__main__ import run_validate
from training.corpus.validate import Report, check_article, check_near_duplicates

ROOT = Path(__file__).resolve().parents[3]


def test_committed_corpus_passes_every_check_and_target(capsys):
    shared = ROOT.parent / "shared"
    assert run_validate(ROOT / "seeds", shared if shared.exists() else None, 0) == 0
    assert "validation OK" in capsys.readouterr().out


def test_wrong_offsets_and_labels_are_errors():
    report = Report()
    record = {"_where": "x.jsonl:1", "id": "a", "source": "s", "date": "2001-01-01",
              "dispute": "d", "text": "He said no.",
              "quotes": [{"start": 8, "end": 10, "text": "nope", "kind": "direct",
                          "speaker": "He", "stance": "angry"}]}
    check_article(record, report)
    assert any("text[8:10] is 'no'" in e for e in report.errors)
    assert any("stance 'angry'" in e for e in report.errors)


def test_tiebreak_six_must_be_neutral():
    # Rule 6 of the guidelines sends undecidable units to neutral: a stance with tiebreak 6 is a
    # contradiction in the annotation, so the validator rejects it; the neutral twin passes.
    def unit(stance: str) -> dict:
        return {"start": 8, "end": 10, "text": "no", "kind": "direct", "speaker": "He",
                "stance": stance, "tiebreak": 6, "hard": True}

    record = {"_where": "x.jsonl:1", "id": "a", "source": "s", "date": "2001-01-01",
              "dispute": "d", "text": "He said no.", "quotes": [unit("pressure")]}
    report = Report()
    check_article(record, report)
    assert any("tiebreak 6" in e and "'pressure'" in e for e in report.errors)
    record["quotes"] = [unit("neutral")]
    report = Report()
    check_article(record, report)
    assert report.errors == []


def test_near_duplicates_are_found():
    unit = {"start": 0, "end": 1, "text": "we will never accept any talks under the threat of force now"}
    other = dict(unit, text="we will never accept any talks under the threat of force now!")
    pairs = check_near_duplicates([{"id": "a", "quotes": [unit]}, {"id": "b", "quotes": [other]}],
                                  Report())
    assert pairs == [("a@0", "b@0")]


def test_split_files_out_of_sync_are_reported(tmp_path, capsys):
    seeds = shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    lines = (seeds / "dev.jsonl").read_text().splitlines()
    record = json.loads(lines[0])
    record["quotes"][0]["stance"] = "neutral" if record["quotes"][0]["stance"] != "neutral" else "pressure"
    (seeds / "dev.jsonl").write_text("\n".join([json.dumps(record)] + lines[1:]) + "\n")
    assert run_validate(seeds, None, 0) == 1
    assert "out of date with seeds/src" in capsys.readouterr().out
