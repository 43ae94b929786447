"""The evaluation command (training.evaluate) on a tiny model and a small corpus."""

import json
from pathlib import Path

import pytest

from training.evaluate import main
from training.report import update_model_card
from training.scoring import overlap_match

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """The first articles of each split, so the run takes seconds."""
    folder = tmp_path_factory.mktemp("corpus")
    for name, count in (("train", 12), ("test", 3), ("unseen", 2)):
        lines = (ROOT / "seeds" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[:count]
        (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    seed = (ROOT / "seeds" / "seed-000.gold.jsonl").read_text(encoding="utf-8")
    (folder / "seed-000.gold.jsonl").write_text(seed, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def report_dir(tiny_model_dir, small_corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    code = main(["--model", str(tiny_model_dir), "--corpus", str(small_corpus),
                 "--realnews", str(small_corpus / "absent.jsonl"), "--out", str(out),
                 "--baselines", "majority,lexicon,tfidf-lr", "--bootstrap", "50"])
    assert code == 0
    return out


def test_report_files_are_written(report_dir):
    names = {p.name for p in report_dir.iterdir()}
    assert {"report.md", "report.json", "confusion_test.png", "reliability_test.png"} <= names
    assert (report_dir / "confusion_test.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_holds_every_section(report_dir):
    report = json.loads((report_dir / "report.json").read_text())
    assert set(report["sets"]) == {"test", "unseen", "seed"}  # realnews absent: skipped
    test = report["sets"]["test"]
    for key in ("macro_f1", "accuracy", "per_label", "confusion", "macro_f1_ci95", "ece",
                "reliability", "by_kind", "by_dispute", "by_hard", "confident_errors"):
        assert key in test
    low, high = test["macro_f1_ci95"]
    assert low <= test["macro_f1"] <= high
    assert set(report["baselines"]) == {"majority", "lexicon", "tfidf-lr"}
    assert set(report["end_to_end"]["seed"]) >= {"label_precision", "label_recall", "label_f1"}
    assert report["targets"]["set"] == "test"  # real news absent: the targets judge test
    # every unit is in one kind: the kinds' errors add up to the set's (support - diagonal)
    wrong = test["support"] - sum(test["confusion"][i][i] for i in range(len(test["confusion"])))
    assert sum(group["errors"] for group in test["by_kind"].values()) == wrong
    assert len(report["targets"]["targets"]) == 3


def test_markdown_shows_the_summary_table(report_dir):
    text = (report_dir / "report.md").read_text()
    assert "| stance (torch) |" in text and "| lexicon |" in text
    assert "Most confident errors" in text
    assert "## Targets" in text and "| macro-F1 >= 0.85 |" in text
    assert "What the errors on `test` show" in text


def test_overlap_matching_is_one_to_one_and_needs_half_the_shorter_span():
    # pred 0 overlaps gold 0 by 5 of 10 chars (half of the shorter): a match;
    # pred 1 overlaps gold 0 too, but gold 0 is taken; pred 2 overlaps gold 1 by 2 of 10: none.
    pairs = overlap_match([(0, 10), (2, 8), (20, 30)], [(5, 15), (28, 40)])
    assert pairs == [(0, 0)]


def test_update_model_card_replaces_the_block(tmp_path):
    from training.model_card import EVAL_BEGIN, EVAL_END

    card = tmp_path / "README.md"
    card.write_text(f"head\n{EVAL_BEGIN}\nold\n{EVAL_END}\ntail\n")
    update_model_card(card, "| new table |")
    text = card.read_text()
    assert "old" not in text and "| new table |" in text and text.endswith("tail\n")
