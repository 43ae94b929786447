"""End-to-end smoke training (configs/smoke.yaml) and what the model directory holds."""

import json
import math
from pathlib import Path

import pytest

from stance import StanceClassifier
from training.train import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("smoke") / "model"
    code = main(["--config", str(ROOT / "configs" / "smoke.yaml"), "--output_dir", str(out),
                 "--corpus_dir", str(ROOT / "seeds"), "--no-progress"])
    assert code == 0
    return out


def test_model_directory_holds_every_artifact(smoke_model):
    names = {p.name for p in smoke_model.iterdir()}
    assert {"config.json", "tokenizer.json", "stance_model.json", "training_config.yaml",
            "metrics.json", "README.md"} <= names
    assert any(n.endswith(".safetensors") for n in names)
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pkl"))]
    config = json.loads((smoke_model / "config.json").read_text())
    assert config["id2label"] == {"0": "dialogue", "1": "pressure", "2": "neutral"}
    meta = json.loads((smoke_model / "stance_model.json").read_text())
    assert meta["format_version"] == 1
    assert {"stance", "transformers", "torch", "peft"} <= set(meta["versions"])


def test_metrics_cover_dev_and_test_splits(smoke_model):
    metrics = json.loads((smoke_model / "metrics.json").read_text())
    assert {"dev", "test", "unseen"} <= set(metrics["eval"])
    for values in metrics["eval"].values():
        assert 0.0 <= values["macro_f1"] <= 1.0 and 0.0 <= values["ece"] <= 1.0
    assert metrics["epochs_run"] == 2 and len(metrics["history"]) == 2
    # the whole run (reading, tokenizing, training, scoring) includes the training loop
    assert metrics["run_seconds"] >= metrics["train_seconds"] > 0


def test_metrics_score_the_same_model_without_context(smoke_model):
    # The smoke config reads statement + context; metrics.json also scores dev and test with the
    # statement alone, on the same units, and the model card shows both columns.
    metrics = json.loads((smoke_model / "metrics.json").read_text())
    alone = metrics["eval_without_context"]
    assert set(alone) == {"dev", "test"}
    for split, values in alone.items():
        assert values["support"] == metrics["eval"][split]["support"]
        assert 0.0 <= values["macro_f1"] <= 1.0
    assert "statement only" in (smoke_model / "README.md").read_text()


def test_prior_correction_is_saved_in_the_head_and_reported(smoke_model):
    # The smoke config sets prior_correction: the offsets are log(K n_c / N) for the K labels, so
    # their exponentials sum to K; dev, test and unseen are also scored without them.
    metrics = json.loads((smoke_model / "metrics.json").read_text())
    offsets = metrics["prior_correction"]
    assert list(offsets) == ["dialogue", "pressure", "neutral"]
    assert sum(math.exp(v) for v in offsets.values()) == pytest.approx(3.0, rel=1e-4)
    assert offsets["neutral"] > 0  # neutral is the most frequent label in the corpus
    assert set(metrics["eval_without_prior_correction"]) == {"dev", "test", "unseen"}
    assert "Prior correction: after training" in (smoke_model / "README.md").read_text()


def test_model_card_has_front_matter_and_sections(smoke_model):
    card = (smoke_model / "README.md").read_text()
    assert card.startswith("---\nbase_model:")
    for section in ("## Intended use", "## Limitations", "## Training data",
                    "## Evaluation results", "## How to reproduce"):
        assert section in card


def test_saved_model_loads_and_classifies(smoke_model):
    classifier = StanceClassifier.from_pretrained(smoke_model)
    assert classifier.labels == ("dialogue", "pressure", "neutral")
    assert classifier.predict_proba(["We urge talks."], ["ctx"]).shape == (1, 3)


def test_bad_override_exits_with_a_message(capsys):
    assert main(["--config", str(ROOT / "configs" / "smoke.yaml"), "--context", "both"]) == 2
    assert "context 'both'" in capsys.readouterr().err
