"""The forward pass of a loaded model on each backend, and the ONNX export cache.

A runner turns one padded batch (numpy ``input_ids``, ``attention_mask``, ``token_type_ids``)
into logits. ``torch`` and ``int8`` run the weights in torch (fp32, or with dynamically quantized
int8 linear layers); ``onnx`` and ``onnx-int8`` run them in ONNX Runtime (fp32, or with int8
dynamic quantization of every weight matrix multiplication). ONNX Runtime needs no torch at
inference time: the exported (and quantized) graph is cached on disk, so only the first load of a
model exports it (which needs torch and the ``onnx`` package; seconds) and later processes start
without importing torch at all (see docs/performance.md).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from stance.artifact import (
    ADAPTER_CONFIG,
    ADAPTER_WEIGHTS,
    FULL_WEIGHTS,
    META_FILE,
    ModelLoadError,
    load_safetensors,
    merge_lora,
    resolve_base_model,
)

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

CACHE_ENV = "STANCE_CACHE"
CACHE_KEEP = 16  # cached graphs kept; the least recently used beyond that are deleted
ONNX_OPSET = 17
_EXPORT_VERSION = "2"  # bump when the exported graph changes, so old cache files are not reused


class Runner(Protocol):
    """Logits for one padded batch."""

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray,
                 token_type_ids: np.ndarray) -> np.ndarray: ...


# -- building the torch module --------------------------------------------------------------------

def read_config(path: Path) -> dict:
    try:
        return json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:  # ValueError: not JSON, or not UTF-8
        raise ModelLoadError(f"{path / 'config.json'}: cannot read ({error})") from error


def _base_weights(base: str) -> Path:
    file = Path(base) / FULL_WEIGHTS
    if not file.exists():
        raise ModelLoadError(f"base model {base}: no {FULL_WEIGHTS}")
    return file


def _load_weights(model: torch.nn.Module, file: Path) -> list[str]:
    """Load ``file`` into stance's BERT; weights whose shapes do not fit the config are named."""
    from stance.encoder import load_state

    try:
        return load_state(model, load_safetensors(file))
    except RuntimeError as error:  # torch's size mismatch: the weights are not this config's
        detail = " ".join(str(error).split())[-300:]
        raise ModelLoadError(f"{file}: weights do not fit config.json ({detail})") from error


def build_torch_model(path: Path, kind: str, meta: dict, config: dict) -> torch.nn.Module:
    """The fp32 model in eval mode: stance's own BERT (:mod:`stance.encoder`) when the config is a
    BERT, else transformers' AutoModelForSequenceClassification (wrapped to return logits)."""
    from stance.encoder import BertClassifier, EncoderConfigError

    try:
        model = BertClassifier(config)
    except (EncoderConfigError, KeyError) as error:
        logger.info("%s: not a plain BERT (%s); using transformers' model", path, error)
        return _build_hf_model(path, kind, meta)
    if kind == "full":
        missing = _load_weights(model, path / FULL_WEIGHTS)
        if missing:
            raise ModelLoadError(f"{path / FULL_WEIGHTS}: missing weights {missing[:3]}")
    else:
        base = resolve_base_model(meta["base_model"])
        missing = _load_weights(model, _base_weights(base))
        # The classifier head (and pooler) come with the adapters, not the base model.
        merge_lora(model, path)
        unset = [n for n in missing if not n.startswith("classifier.")]
        if unset:
            raise ModelLoadError(f"base model {base}: missing weights {unset[:3]}")
    return model.eval().fuse()


def _logits_only(model) -> torch.nn.Module:
    """Wrap a transformers model so that calling it returns the logits tensor."""
    import inspect

    import torch

    takes_types = "token_type_ids" in inspect.signature(model.forward).parameters

    class LogitsOnly(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            extra = {"token_type_ids": token_type_ids} if takes_types else {}
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, **extra).logits

    return LogitsOnly().eval()


def _build_hf_model(path: Path, kind: str, meta: dict) -> torch.nn.Module:
    from transformers import AutoConfig, AutoModelForSequenceClassification

    config = AutoConfig.from_pretrained(path, trust_remote_code=False)
    if kind == "full":
        model = AutoModelForSequenceClassification.from_config(config)
        missing, _ = model.load_state_dict(load_safetensors(path / FULL_WEIGHTS), strict=False)
        if [name for name in missing if "position_ids" not in name]:
            raise ModelLoadError(f"{path / FULL_WEIGHTS}: missing weights {missing[:3]}")
    else:
        model = AutoModelForSequenceClassification.from_pretrained(
            resolve_base_model(meta["base_model"]), config=config, use_safetensors=True,
            trust_remote_code=False,
        )
        merge_lora(model, path)
    return _logits_only(model.eval())


def quantize_torch_int8(model: torch.nn.Module) -> torch.nn.Module:
    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization is deprecated in favour of torchao
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


class TorchRunner:
    """Runs a torch module (fp32 or dynamically quantized) on ``device``."""

    def __init__(self, model: torch.nn.Module, device: str) -> None:
        self.model = model
        self.device = device

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray,
                 token_type_ids: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            inputs = [torch.from_numpy(a).to(self.device)
                      for a in (input_ids, attention_mask, token_type_ids)]
            return self.model(*inputs).float().cpu().numpy()


# -- ONNX Runtime ---------------------------------------------------------------------------------

def cache_dir() -> Path:
    """``$STANCE_CACHE``, else ``$XDG_CACHE_HOME/stance``, else ``~/.cache/stance``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "stance"


def _file_stamp(file: Path) -> str:
    stat = file.stat()
    return f"{file.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def model_key(path: Path, kind: str, meta: dict) -> str:
    """A key that changes whenever the model's weights, config or the export code change.

    It hashes the small files whole and the weight files by path, size and modification time
    (hashing their bytes would cost more than loading the cached graph).
    """
    digest = hashlib.sha256(f"stance-onnx:{_EXPORT_VERSION}:{ONNX_OPSET}".encode())
    for name in ("config.json", META_FILE, ADAPTER_CONFIG):
        if (path / name).exists():
            digest.update((path / name).read_bytes())
    weights = [path / ADAPTER_WEIGHTS] if kind == "lora" else [path / FULL_WEIGHTS]
    if kind == "lora":
        weights.append(_base_weights(resolve_base_model(meta["base_model"])))
    for file in weights:
        digest.update(_file_stamp(file).encode())
    return digest.hexdigest()[:24]


@functools.lru_cache(maxsize=1)
def int8_dot_products() -> bool:
    """Whether this CPU multiplies int8 without 16-bit saturation (x86 VNNI or AMX, or ARM).

    x86 CPUs without VNNI multiply uint8 x int8 pairs into saturating 16-bit sums; there, the
    weights are quantized to 7 bits (``reduce_range``) so that the sums cannot overflow.
    """
    import platform

    machine = platform.machine().lower()
    if machine not in ("x86_64", "amd64", "i386", "i686", "x86"):
        return True
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # cannot tell (not Linux): the safe choice
    return any(f" {flag}" in flags for flag in ("avx512_vnni", "avx_vnni", "amx_int8"))


def onnx_file(path: Path, kind: str, meta: dict, quantized: bool) -> Path:
    """Where the cached ONNX graph of this model lives (it may not exist yet)."""
    suffix = ("int8" if int8_dot_products() else "int8-7bit") if quantized else "fp32"
    return cache_dir() / "onnx" / f"{path.name}-{model_key(path, kind, meta)}.{suffix}.onnx"


def can_export() -> bool:
    """Whether this environment can export a model to ONNX (torch and the onnx package)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("torch", "onnx"))


def export_onnx(build: Callable[[], torch.nn.Module], target: Path, *, quantized: bool) -> None:
    """Export the logits module that ``build()`` returns to ``target``, quantized to int8 if asked.

    The module is built here and released as soon as its graph is written, before the
    quantizer loads the graph: the two never hold their copies of the weights at once, which
    keeps the peak memory of a first use down. The file appears atomically (written beside
    it, then renamed), so concurrent processes never read a half-written graph.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        result = plain = Path(tmp) / "model.onnx"
        _trace_to_onnx(build(), plain)
        gc.collect()  # the torch module and the exporter's buffers are gone from here on
        if quantized:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            result = Path(tmp) / "model.int8.onnx"
            # Weights per output channel (per-tensor scales flipped 3x more labels on the test
            # split); activations per tensor, at run time; only weight MatMuls (not attention).
            quantize_dynamic(plain, result, weight_type=QuantType.QInt8, per_channel=True,
                             reduce_range=not int8_dot_products(), op_types_to_quantize=["MatMul"],
                             extra_options={"MatMulConstBOnly": True})
        os.replace(result, target)  # same file system (tmp is in target's folder): atomic
    logger.info("exported %s", target)
    prune_cache(target.parent)


def _trace_to_onnx(model: torch.nn.Module, file: Path) -> None:
    import torch

    from stance.encoder import BertClassifier

    if isinstance(model, BertClassifier):
        model.always_mask = True  # trace the masked attention, not the no-padding shortcut
    ids = torch.tensor([[101, 2057, 2215, 7566, 102, 0], [101, 2057, 102, 2009, 102, 0]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 0]])
    types = torch.tensor([[0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 1, 0]])
    axes = {"batch": 0, "length": 1}
    dynamic = {name: {i: a for a, i in axes.items()}
               for name in ("input_ids", "attention_mask", "token_type_ids")}
    dynamic["logits"] = {0: "batch"}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # tracer warnings about shape arithmetic
        torch.onnx.export(model, (ids, mask, types), str(file), dynamo=False,
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["logits"], dynamic_axes=dynamic,
                          opset_version=ONNX_OPSET, do_constant_folding=True)


def prune_cache(folder: Path, keep: int = CACHE_KEEP) -> None:
    """Delete all but the ``keep`` most recently used graphs of ``folder``."""
    try:
        files = sorted(folder.glob("*.onnx"), key=lambda f: f.stat().st_mtime, reverse=True)
        for stale in files[keep:]:
            stale.unlink(missing_ok=True)
    except OSError as error:  # another process pruning at the same time, or a read-only cache
        logger.debug("cannot prune %s: %s", folder, error)


def touch(file: Path) -> None:
    """Mark a cached graph as recently used (for :func:`prune_cache`)."""
    with contextlib.suppress(OSError):
        os.utime(file)


class OnnxRunner:
    """Runs an ONNX graph in ONNX Runtime on the CPU."""

    def __init__(self, file: Path, num_threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.inter_op_num_threads = 1
        if num_threads is not None:
            options.intra_op_num_threads = num_threads
        self.file = file
        self.session = ort.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray,
                 token_type_ids: np.ndarray) -> np.ndarray:
        feed = {"input_ids": input_ids, "attention_mask": attention_mask,
                "token_type_ids": token_type_ids}
        return self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
