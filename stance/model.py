"""The stance classifier: a fine-tuned sequence-classification transformer and its input rules."""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

from stance.artifact import (
    FULL_WEIGHTS,
    ModelLoadError,
    check_files,
    load_safetensors,
    merge_lora,
    read_meta,
    resolve_base_model,
)
from stance.context import CONTEXT_CHARS

logger = logging.getLogger(__name__)

BACKENDS = ("torch", "int8")
DEVICES = ("auto", "cpu", "cuda")


class StatementTooLongWarning(UserWarning):
    """A statement did not fit the model's window and was truncated."""


def _pick_device(device: str) -> torch.device:
    if device not in DEVICES and not device.startswith("cuda:"):
        raise ValueError(f"device {device!r} is not one of {', '.join(DEVICES)} or 'cuda:N'")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def _build_model(path: Path, kind: str, meta: dict) -> torch.nn.Module:
    config = AutoConfig.from_pretrained(path, trust_remote_code=False)
    if kind == "full":
        model = AutoModelForSequenceClassification.from_config(config)
        missing, _ = model.load_state_dict(load_safetensors(path / FULL_WEIGHTS), strict=False)
        if [name for name in missing if "position_ids" not in name]:
            raise ModelLoadError(f"{path / FULL_WEIGHTS}: missing weights {missing[:3]}")
    else:
        base = resolve_base_model(meta["base_model"])
        model = AutoModelForSequenceClassification.from_pretrained(
            base, config=config, use_safetensors=True, trust_remote_code=False
        )
        merge_lora(model, path)
    return model.eval()


def _quantize_int8(model: torch.nn.Module) -> torch.nn.Module:
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


class StanceClassifier:
    """Classifies statements (optionally with their context) as the model's labels.

    Build it with :meth:`from_pretrained`. Calls are thread-safe: one lock serialises the
    tokenizer and the forward pass, so concurrent callers get exactly the sequential results.
    """

    def __init__(self, model: torch.nn.Module, tokenizer, meta: dict, *, device: torch.device,
                 batch_size: int, path: Path | None = None) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.meta = meta
        self.device = device
        self.batch_size = batch_size
        self.path = path
        self.max_length = int(meta.get("max_length", 256))
        self.use_context = meta.get("context", "pair") == "pair"
        self.context_chars = int(meta.get("context_chars", CONTEXT_CHARS))
        self.temperature = float(meta.get("temperature", 1.0))
        id2label = model.config.id2label
        self.labels: tuple[str, ...] = tuple(id2label[i] for i in range(len(id2label)))
        self._lock = threading.Lock()

    @classmethod
    def from_pretrained(cls, path: str | Path, *, device: str = "auto", batch_size: int = 32,
                        backend: str = "torch", num_threads: int | None = None
                        ) -> StanceClassifier:
        """Load a model directory written by ``training.train``.

        ``backend="int8"`` quantizes the linear layers to int8 for faster CPU inference.
        ``num_threads`` sets torch's intra-op threads (default: torch's own choice).
        """
        if backend not in BACKENDS:
            raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        path = Path(path)
        meta = read_meta(path)
        kind = check_files(path)
        target = _pick_device(device)
        if num_threads is not None:
            torch.set_num_threads(num_threads)
        model = _build_model(path, kind, meta)
        if backend == "int8":
            if target.type != "cpu":
                raise ValueError("backend 'int8' runs on the CPU only; use device='cpu'")
            model = _quantize_int8(model)
        model.to(target)
        tokenizer = AutoTokenizer.from_pretrained(path, use_fast=True, trust_remote_code=False)
        logger.info("loaded %s model from %s (%s, %s)", kind, path, backend, target)
        return cls(model, tokenizer, meta, device=target, batch_size=batch_size, path=path)

    def _encode(self, quotes: list[str], contexts: list[str] | None) -> dict:
        if contexts is None:
            return self.tokenizer(quotes, truncation=True, max_length=self.max_length,
                                  padding=True, return_tensors="pt")
        return self.tokenizer(quotes, contexts, truncation="longest_first",
                              max_length=self.max_length, padding=True, return_tensors="pt")

    def _warn_long(self, quotes: list[str]) -> None:
        lengths = [len(ids) for ids in self.tokenizer(quotes, add_special_tokens=True)["input_ids"]]
        too_long = sum(1 for n in lengths if n > self.max_length)
        if too_long:
            warnings.warn(
                f"{too_long} statement(s) exceed the model's window of {self.max_length} tokens "
                "and were truncated",
                StatementTooLongWarning,
                stacklevel=3,
            )

    def predict_proba(self, quotes: Sequence[str], contexts: Sequence[str | None] | None = None,
                      *, progress: bool = False) -> np.ndarray:
        """Calibrated probabilities, shape ``(len(quotes), len(self.labels))``, in input order."""
        quotes = list(quotes)
        if contexts is not None and len(contexts) != len(quotes):
            raise ValueError(f"got {len(quotes)} statements but {len(contexts)} contexts")
        pair = [c or "" for c in contexts] if contexts is not None and self.use_context else None
        if not quotes:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        order = sorted(range(len(quotes)), key=lambda i: len(quotes[i]) + len(pair[i] if pair else ""))
        out = np.zeros((len(quotes), len(self.labels)), dtype=np.float32)
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        with self._lock, torch.inference_mode():
            self._warn_long(quotes)
            for batch in tqdm(batches, disable=not progress, desc="classifying", unit="batch"):
                encoded = self._encode([quotes[i] for i in batch],
                                       [pair[i] for i in batch] if pair else None)
                encoded = {key: value.to(self.device) for key, value in encoded.items()}
                logits = self.model(**encoded).logits.float() / self.temperature
                out[batch] = torch.softmax(logits, dim=-1).cpu().numpy()
        return out
