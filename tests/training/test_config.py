"""Training configs (training.config)."""

from pathlib import Path

import pytest

from training.config import load_config

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


@pytest.mark.parametrize("name", ["default", "full", "smoke"])
def test_shipped_configs_load(name):
    config = load_config(CONFIGS / f"{name}.yaml")
    assert config.labels == ["dialogue", "pressure", "neutral"]


def test_every_number_in_a_config_has_a_comment():
    for path in CONFIGS.glob("*.yaml"):
        for line in path.read_text().splitlines():
            key, _, value = line.partition(":")
            value = value.split("#")[0].strip()
            if value and any(ch.isdigit() for ch in value) and not value.startswith("package:"):
                assert "#" in line, f"{path.name}: {line!r} has no comment"


def test_overrides_are_typed():
    config = load_config(CONFIGS / "smoke.yaml",
                         {"epochs": "5", "learning_rate": "0.01", "lora.r": "2",
                          "class_weighting": "false", "prior_correction": "false",
                          "train_splits": "train,dev"})
    assert config.epochs == 5 and config.learning_rate == 0.01 and config.lora.r == 2
    assert config.class_weighting is False and config.train_splits == ["train", "dev"]


def test_unknown_setting_is_named(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("epoch: 3\n")
    with pytest.raises(ValueError, match="unknown setting 'epoch'"):
        load_config(path)


def test_bad_values_are_named():
    with pytest.raises(ValueError, match="context 'both'"):
        load_config(None, {"context": "both"})
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        load_config(None, {"epochs": "0"})
    with pytest.raises(ValueError, match="prior_correction undoes class_weighting"):
        load_config(None, {"prior_correction": "true", "class_weighting": "false"})
