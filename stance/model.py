"""The stance classifier: a fine-tuned sequence-classification transformer and its input rules.

Inference needs neither transformers nor (on the ONNX backends) torch: the tokenizer is the
model's ``tokenizer.json`` run by the ``tokenizers`` library, and the forward pass is
:mod:`stance.encoder` (torch) or an ONNX Runtime session (:mod:`stance.runtime`). Statements are
tokenized once, sorted by token count and batched, so a batch holds almost no padding.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import shutil
import sys
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from stance.artifact import ModelLoadError, check_files, read_meta, resolve_model_dir
from stance.context import CONTEXT_CHARS
from stance.runtime import (
    OnnxRunner,
    Runner,
    TorchRunner,
    build_torch_model,
    can_export,
    export_onnx,
    onnx_file,
    quantize_torch_int8,
    read_config,
    touch,
)

logger = logging.getLogger(__name__)

BACKENDS = ("auto", "torch", "int8", "onnx", "onnx-int8")
ONNX_BACKENDS = ("onnx", "onnx-int8")
CPU_ONLY_BACKENDS = ("int8", *ONNX_BACKENDS)
# What "auto" runs on the CPU; chosen by benchmarks/bench.py (see docs/performance.md).
AUTO_CPU_BACKEND = "onnx-int8"
DEFAULT_BACKEND = "auto"
DEVICES = ("auto", "cpu", "cuda")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """``text`` with lone surrogates (which the tokenizer cannot encode) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


class StatementTooLongWarning(UserWarning):
    """A statement did not fit the model's window and was truncated."""


def _gpu_visible() -> bool:
    """A cheap hint that a GPU driver is present, so that CPU-only machines never import torch
    just to learn that they have no CUDA."""
    return (Path("/proc/driver/nvidia/version").exists() or Path("/dev/kfd").exists()
            or shutil.which("nvidia-smi") is not None)


def _cuda_available() -> bool:
    if "torch" not in sys.modules and not _gpu_visible():
        return False
    import torch

    return torch.cuda.is_available()


def resolve_backend(device: str, backend: str) -> tuple[str, str]:
    """The (device, backend) that ``from_pretrained(device=..., backend=...)`` runs on.

    ``backend="auto"`` is torch on a CUDA device (given, or found by ``device="auto"``) and
    :data:`AUTO_CPU_BACKEND` on the CPU when ONNX Runtime is installed, else torch fp32.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    if device not in DEVICES and not device.startswith("cuda:"):
        raise ValueError(f"device {device!r} is not one of {', '.join(DEVICES)} or 'cuda:N'")
    if backend in CPU_ONLY_BACKENDS:
        if device not in ("auto", "cpu"):
            raise ValueError(f"backend {backend!r} runs on the CPU only; use device='cpu'")
        return "cpu", backend
    if device == "auto":
        device = "cuda" if _cuda_available() else "cpu"
    if backend == "auto":
        onnx_ok = importlib.util.find_spec("onnxruntime") is not None
        backend = AUTO_CPU_BACKEND if device == "cpu" and onnx_ok else "torch"
    return device, backend


def _load_tokenizer(path: Path, max_length: int):
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    except Exception as error:  # tokenizers raises its own exception type
        raise ModelLoadError(f"{path / 'tokenizer.json'}: cannot read ({error})") from error
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length, strategy="longest_first")
    return tokenizer


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


def _export_and_load(path: Path, kind: str, meta: dict, config: dict, target: Path, *,
                     quantized: bool, num_threads: int | None) -> OnnxRunner:
    def build():  # built inside the export and released there, before quantization
        return build_torch_model(path, kind, meta, config)

    try:
        export_onnx(build, target, quantized=quantized)
    except OSError as error:  # cache not writable: export to a temporary folder instead
        import tempfile

        logger.warning("cannot write the ONNX cache %s (%s); exporting to a temporary file",
                       target.parent, error)
        with tempfile.TemporaryDirectory() as tmp:
            temporary = Path(tmp) / target.name
            export_onnx(build, temporary, quantized=quantized)
            return OnnxRunner(temporary, num_threads)
    return OnnxRunner(target, num_threads)


def _onnx_runner(path: Path, kind: str, meta: dict, config: dict, *, quantized: bool,
                 num_threads: int | None, required: bool) -> OnnxRunner | None:
    """An ONNX Runtime runner, exporting the model to the cache first if needed.

    Returns None (so the caller falls back to torch) when ``required`` is false and the graph
    is not cached and cannot be exported here.
    """
    if importlib.util.find_spec("onnxruntime") is None:
        if required:
            raise ModelLoadError("the onnx backends need onnxruntime: pip install 'stance[fast]'")
        return None
    target = onnx_file(path, kind, meta, quantized)
    if target.exists():
        try:
            runner = OnnxRunner(target, num_threads)
        except Exception as error:  # a damaged cache file (onnxruntime has its own error types)
            logger.warning("cannot load the cached %s (%s); exporting it again", target, error)
            target.unlink(missing_ok=True)
        else:
            touch(target)
            return runner
    if not can_export():
        if required:
            raise ModelLoadError(f"{path}: exporting the model to ONNX (once; cached in {target.parent}) "
                                 "needs torch and the onnx package: pip install 'stance[fast]'")
        logger.info("%s: no cached ONNX graph and no onnx package; using torch", path)
        return None
    try:
        return _export_and_load(path, kind, meta, config, target, quantized=quantized,
                                num_threads=num_threads)
    except ModelLoadError:
        raise
    except Exception as error:  # the exporter or quantizer failed on this model
        if required:
            raise
        logger.warning("%s: exporting to ONNX failed (%s); using torch", path, error)
        return None


class StanceClassifier:
    """Classifies statements (optionally with their context) as the model's labels.

    Build it with :meth:`from_pretrained`. Calls are thread-safe: one lock serialises the
    tokenizer and the forward pass, so concurrent callers get exactly the sequential results.
    """

    def __init__(self, runner: Runner, tokenizer, meta: dict, *, labels: Sequence[str],
                 device: str = "cpu", backend: str = "torch", batch_size: int = 32,
                 path: Path | None = None, pad_id: int = 0) -> None:
        self.runner = runner
        self.tokenizer = tokenizer
        self.meta = meta
        self.labels: tuple[str, ...] = tuple(labels)
        self.device = device
        self.backend = backend
        self.batch_size = batch_size
        self.path = path
        self.pad_id = pad_id
        self.max_length = int(meta.get("max_length", 256))
        self.use_context = meta.get("context", "pair") == "pair"
        self.context_chars = int(meta.get("context_chars", CONTEXT_CHARS))
        self.temperature = float(meta.get("temperature", 1.0))
        self._lock = threading.Lock()

    @property
    def model(self):
        """The torch module or ONNX Runtime session that runs the forward pass."""
        if isinstance(self.runner, TorchRunner):
            return self.runner.model
        return getattr(self.runner, "session", None)

    @classmethod
    def from_pretrained(cls, path: str | Path, *, device: str = "auto", batch_size: int = 32,
                        backend: str = DEFAULT_BACKEND, num_threads: int | None = None
                        ) -> StanceClassifier:
        """Load a model directory written by ``training.train``.

        ``backend`` picks the inference engine (benchmarks/RESULTS.md measures them):

        - ``"auto"`` (default): ``"onnx-int8"`` on the CPU when onnxruntime is installed, else
          ``"torch"``; ``"torch"`` on a GPU.
        - ``"torch"``: fp32 in torch, on the CPU or a GPU (``device``).
        - ``"int8"``: torch with int8 dynamically quantized linear layers (CPU).
        - ``"onnx"`` / ``"onnx-int8"``: ONNX Runtime in fp32 / with int8 dynamic quantization
          (CPU; ``pip install 'stance[fast]'``). The first load of a model exports it to ONNX
          and caches the file (``$STANCE_CACHE``, default ``~/.cache/stance``); later loads
          start without importing torch. int8 scores differ from fp32 by a little (and depend
          slightly on the other statements in a batch); labels rarely change.

        ``num_threads`` sets the intra-op threads of torch or ONNX Runtime (default: their own
        choice, one per core).
        """
        if backend not in BACKENDS:
            raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        requested = backend
        device, backend = resolve_backend(device, backend)
        path = resolve_model_dir(Path(path))
        meta = read_meta(path)
        kind = check_files(path)
        config = read_config(path)
        try:
            id2label = config["id2label"]
            labels = [id2label[str(i)] for i in range(len(id2label))]
        except (KeyError, TypeError) as error:
            raise ModelLoadError(f"{path / 'config.json'}: no usable id2label ({error})") from error
        tokenizer = _load_tokenizer(path, int(meta.get("max_length", 256)))
        runner: Runner | None = None
        if backend in ONNX_BACKENDS:
            runner = _onnx_runner(path, kind, meta, config, quantized=backend == "onnx-int8",
                                  num_threads=num_threads, required=requested != "auto")
            if runner is None:
                backend = "torch"
        if runner is None:
            import torch

            if num_threads is not None:
                torch.set_num_threads(num_threads)
            model = build_torch_model(path, kind, meta, config)
            if backend == "int8":
                model = quantize_torch_int8(model)
            runner = TorchRunner(model.to(device), device)
        logger.info("loaded %s model from %s (%s, %s)", kind, path, backend, device)
        return cls(runner, tokenizer, meta, labels=labels, device=device, backend=backend,
                   batch_size=batch_size, path=path, pad_id=int(config.get("pad_token_id") or 0))

    def _encode(self, quotes: list[str], contexts: list[str] | None) -> list:
        """Token encodings (truncated to the window, unpadded), one per statement."""
        if contexts is None:
            return self.tokenizer.encode_batch(quotes)
        return self.tokenizer.encode_batch(list(zip(quotes, contexts, strict=True)))

    def _warn_long(self, quotes: list[str], encodings: list) -> None:
        # Only an input that fills the window can have been truncated: re-count just those.
        full = [quotes[i] for i, e in enumerate(encodings) if len(e.ids) >= self.max_length]
        if not full:
            return
        self.tokenizer.no_truncation()
        try:
            too_long = sum(1 for e in self.tokenizer.encode_batch(full) if len(e.ids) > self.max_length)
        finally:
            self.tokenizer.enable_truncation(self.max_length, strategy="longest_first")
        if too_long:
            warnings.warn(
                f"{too_long} statement(s) exceed the model's window of {self.max_length} tokens "
                "and were truncated",
                StatementTooLongWarning,
                stacklevel=3,
            )

    def _pad(self, encodings: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self.pad_id, dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            types[row, :n] = encoding.type_ids
            mask[row, :n] = 1
        return ids, mask, types

    def predict_proba(self, quotes: Sequence[str], contexts: Sequence[str | None] | None = None,
                      *, progress: bool = False) -> np.ndarray:
        """Calibrated probabilities, shape ``(len(quotes), len(self.labels))``, in input order."""
        quotes = [_encodable(q) for q in quotes]
        if contexts is not None and len(contexts) != len(quotes):
            raise ValueError(f"got {len(quotes)} statements but {len(contexts)} contexts")
        pair = ([_encodable(c or "") for c in contexts] if contexts is not None and self.use_context
                else None)
        out = np.zeros((len(quotes), len(self.labels)), dtype=np.float32)
        if not quotes:
            return out
        with self._lock:
            encodings = self._encode(quotes, pair)
            self._warn_long(quotes, encodings)
            # Sorted by token count, each batch pads to almost nothing.
            order = np.argsort([len(e.ids) for e in encodings], kind="stable")
            batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
            if progress:
                from tqdm.auto import tqdm

                batches = tqdm(batches, desc="classifying", unit="batch")
            for batch in batches:
                logits = self.runner(*self._pad([encodings[i] for i in batch]))
                out[batch] = _softmax(logits / self.temperature)
        return out
