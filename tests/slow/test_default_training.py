"""Retraining the default config from the committed corpus reproduces the shipped model.

Slow (about ten minutes on a 2-core CPU): it runs ``python -m training.train --config
configs/default.yaml`` in full, into a temporary folder, and compares its metrics with the ones
the shipped ``models/default/metrics.json`` records. The seeds are fixed, so on a CPU the run
is expected to match within 0.01 macro-F1 (issue 4's reproducibility promise).
"""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "models" / "default" / "metrics.json"


def test_default_training_reproduces_the_shipped_metrics(tmp_path):
    if not SHIPPED.exists():
        pytest.skip("models/default is not trained")
    shipped = json.loads(SHIPPED.read_text())
    if shipped.get("device") != "cpu":
        pytest.skip("the shipped model was trained on a GPU; a CPU rerun is not expected to match")
    from training.train import main

    out = tmp_path / "default"
    assert main(["--config", str(ROOT / "configs" / "default.yaml"), "--output_dir", str(out)]) == 0
    rerun = json.loads((out / "metrics.json").read_text())
    assert rerun["train_units"] == shipped["train_units"], "the corpus changed since the model was trained"
    for split in ("dev", "test", "unseen"):
        assert rerun["eval"][split]["macro_f1"] == pytest.approx(
            shipped["eval"][split]["macro_f1"], abs=0.01
        ), split
