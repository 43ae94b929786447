"""The ensemble command (training.ensemble) on tiny models and a few corpus articles."""

from pathlib import Path

import pytest

from tests.conftest import write_tiny_model
from training.ensemble import ensemble_scores, main, table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def few_articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name in ("dev", "test"):
        lines = (ROOT / "seeds" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[:2]
        (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_model_averaged_with_itself_scores_as_itself(tiny_model_dir, few_articles):
    # Identical probabilities average to themselves: the ensemble's argmax, the mean of the
    # rows and each row are the same macro-F1 on every set.
    rows = ensemble_scores([tiny_model_dir, tiny_model_dir], few_articles,
                           few_articles / "absent.jsonl")
    assert [r["model"] for r in rows[2:]] == ["mean of the 2 models",
                                              "ensemble (mean probabilities)"]
    for name in ("dev", "test"):
        assert rows[0][name] == rows[1][name] == pytest.approx(rows[2][name]) == rows[3][name]
    assert "realnews" not in rows[0]  # absent set: skipped
    assert "| ensemble (mean probabilities) |" in table(rows)


def test_two_different_models_give_a_row_each(tiny_model_dir, few_articles, tmp_path):
    other = write_tiny_model(tmp_path / "other", seed=1)
    rows = ensemble_scores([tiny_model_dir, other], few_articles, few_articles / "absent.jsonl")
    assert len(rows) == 4
    assert rows[2]["dev"] == pytest.approx((rows[0]["dev"] + rows[1]["dev"]) / 2)
    assert 0.0 <= rows[3]["dev"] <= 1.0


def test_models_with_other_labels_are_refused(tiny_model_dir, few_articles, tmp_path):
    other = write_tiny_model(tmp_path / "other", labels=["calm", "tense", "none"])
    with pytest.raises(ValueError, match="labels .* differ"):
        ensemble_scores([tiny_model_dir, other], few_articles, few_articles / "absent.jsonl")


def test_one_model_is_a_usage_error(tiny_model_dir):
    with pytest.raises(SystemExit):
        main([str(tiny_model_dir)])
