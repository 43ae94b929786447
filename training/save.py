"""Writing a trained model directory atomically: weights, config, tokenizer, metadata, card."""

from __future__ import annotations

import json
import platform
import shutil
from pathlib import Path

import torch
import transformers
import yaml

from stance.artifact import FORMAT_VERSION, META_FILE
from training.checkpoint import replace_dir
from training.config import TrainConfig, config_to_dict
from training.model_card import render_model_card


def library_versions() -> dict[str, str]:
    import stance

    versions = {"stance": stance.__version__, "transformers": transformers.__version__,
                "torch": torch.__version__, "python": platform.python_version()}
    try:
        import peft

        versions["peft"] = peft.__version__
    except ImportError:  # pragma: no cover - peft is a training requirement
        versions["peft"] = "not installed"
    return versions


def write_model_dir(model, tokenizer, config: TrainConfig, metrics: dict, temperature: float,
                    output: Path) -> Path:
    """Save to ``<output>.tmp`` and rename it to ``output``; the old directory survives a kill."""
    output = Path(output)
    tmp = output.with_name(output.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    kind = config.method
    if config.method == "lora" and config.tiny_model:
        model, kind = model.merge_and_unload(), "full"  # a random base cannot be rebuilt at load
    if kind == "lora":
        model.save_pretrained(tmp, safe_serialization=True)
        model.base_model.model.config.save_pretrained(tmp)
        adapter_config = json.loads((tmp / "adapter_config.json").read_text(encoding="utf-8"))
        adapter_config["base_model_name_or_path"] = config.base_model
        (tmp / "adapter_config.json").write_text(json.dumps(adapter_config, indent=2) + "\n",
                                                 encoding="utf-8")
        (tmp / "README.md").unlink(missing_ok=True)
    else:
        model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    meta = {
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "base_model": config.base_model,
        "context": config.context,
        "context_chars": config.context_chars,
        "max_length": config.max_length,
        "temperature": round(float(temperature), 6),
        "labels": list(config.labels),
        "versions": library_versions(),
    }
    (tmp / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (tmp / "training_config.yaml").write_text(
        yaml.safe_dump(config_to_dict(config), sort_keys=False), encoding="utf-8")
    (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (tmp / "README.md").write_text(render_model_card(config, metrics, meta), encoding="utf-8")
    for stray in tmp.glob("*.bin"):
        stray.unlink()
    output.parent.mkdir(parents=True, exist_ok=True)
    replace_dir(tmp, output)
    return output
