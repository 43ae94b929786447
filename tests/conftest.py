"""Shared fixtures: a tiny BERT stance model built from a config, never the real one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Exported ONNX graphs of test models go to a throwaway folder, not the user's ~/.cache/stance.
os.environ.setdefault("STANCE_CACHE", tempfile.mkdtemp(prefix="stance-test-cache-"))
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELS = ["dialogue", "pressure", "neutral"]


def write_tiny_model(folder: Path, *, seed: int = 0, labels: list[str] | None = None,
                     temperature: float = 1.0) -> Path:
    """Save a 2-layer BERT classifier with the base tokenizer as a stance model directory."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from stance.artifact import FORMAT_VERSION, META_FILE, PACKAGED_BASE, resolve_base_model

    labels = labels or LABELS
    tokenizer = AutoTokenizer.from_pretrained(resolve_base_model(PACKAGED_BASE))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64, num_labels=len(labels),
        id2label=dict(enumerate(labels)), label2id={label: i for i, label in enumerate(labels)},
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    meta = {"format_version": FORMAT_VERSION, "kind": "full", "base_model": PACKAGED_BASE,
            "context": "pair", "max_length": 64, "temperature": temperature, "labels": labels,
            "versions": {}}
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return write_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="session")
def tiny_classifier(tiny_model_dir):
    from stance import StanceClassifier

    return StanceClassifier.from_pretrained(tiny_model_dir, device="cpu")


@pytest.fixture(scope="session")
def seed_article() -> dict:
    return json.loads((ROOT / "seeds" / "seed-000.gold.jsonl").read_text(encoding="utf-8"))
