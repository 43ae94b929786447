"""The shipped default model: it loads, classifies the seed article, and the evaluation command
reproduces the figures of its training run. Slow: loads the real MiniLM weights."""

import json
from pathlib import Path

import pytest

from stance import StanceClassifier, classify

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "default"


@pytest.fixture(scope="module")
def model() -> StanceClassifier:
    if not (MODEL / "stance_model.json").exists():
        pytest.skip("models/default is not trained")
    return StanceClassifier.from_pretrained(MODEL, backend="torch")


def test_seed_article_units_have_labels_and_speakers(model):
    text = (ROOT / "seeds" / "000_a41ec2105ae844da.txt").read_text(encoding="utf-8")
    result = classify(text, model=model, all_scores=True)
    assert len(result.units) >= 12
    assert {u.label for u in result.units} <= set(model.labels)
    assert any(u.speaker == "Sergey Lavrov" and u.label == "dialogue" for u in result.units)


def test_evaluation_reproduces_the_published_figures(model, tmp_path):
    from training.evaluate import main

    out = tmp_path / "report"
    assert main(["--model", str(MODEL), "--backend", "torch", "--out", str(out),
                 "--baselines", "lexicon", "--bootstrap", "100", "--no-figures"]) == 0
    report = json.loads((out / "report.json").read_text())
    trained = json.loads((MODEL / "metrics.json").read_text())["eval"]
    # The test split scored by the evaluation command equals the training run's own score.
    assert report["sets"]["test"]["macro_f1"] == pytest.approx(trained["test"]["macro_f1"], abs=1e-4)
    assert report["sets"]["test"]["ece"] <= 0.05
