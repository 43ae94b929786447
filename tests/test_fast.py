"""The fast inference path: stance's own BERT forward, the raw tokenizer, the ONNX backends and
their cache, and start-up without torch (stance.encoder, stance.runtime, stance.model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from stance import StanceClassifier
from stance.artifact import ModelLoadError
from tests.conftest import ROOT, write_tiny_model

PAIRS = [
    ("We will not negotiate under threat.", "The rebel commander told reporters on Monday."),
    ("Talks", ""),
    ("Ünïcödé statement — with “curly quotes” and 中文 characters", "Context\twith\ttabs and É."),
    ("a much longer statement about the talks in Geneva " * 6, "and a long context " * 20),
]


def _batch(classifier: StanceClassifier, pairs=PAIRS):
    encodings = classifier._encode([q for q, _ in pairs], [c for _, c in pairs])
    return classifier._pad(encodings)


def _lora_dir(folder: Path, *, seed: int = 0) -> Path:
    """LoRA adapters (random, rank 4) over the packaged MiniLM base, as training writes them."""
    import torch
    from safetensors.torch import save_file

    from stance.artifact import FORMAT_VERSION, META_FILE, PACKAGED_BASE, resolve_base_model

    base = Path(resolve_base_model(PACKAGED_BASE))
    config = json.loads((base / "config.json").read_text(encoding="utf-8"))
    labels = ["dialogue", "pressure", "neutral"]
    config.update(id2label={str(i): label for i, label in enumerate(labels)},
                  label2id={label: i for i, label in enumerate(labels)},
                  architectures=["BertForSequenceClassification"])
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "tokenizer.json").write_bytes((base / "tokenizer.json").read_bytes())
    generator = torch.Generator().manual_seed(seed)
    hidden, rank, prefix = config["hidden_size"], 4, "base_model.model."
    weights = {}
    for layer in range(config["num_hidden_layers"]):
        for module in ("attention.self.query", "attention.self.value", "output.dense"):
            out_features = hidden
            in_features = config["intermediate_size"] if module == "output.dense" else hidden
            name = f"{prefix}bert.encoder.layer.{layer}.{module}"
            weights[f"{name}.lora_A.weight"] = torch.randn(rank, in_features, generator=generator) * 0.05
            weights[f"{name}.lora_B.weight"] = torch.randn(out_features, rank, generator=generator) * 0.05
    weights[f"{prefix}classifier.weight"] = torch.randn(3, hidden, generator=generator) * 0.1
    weights[f"{prefix}classifier.bias"] = torch.zeros(3)
    save_file(weights, str(folder / "adapter_model.safetensors"))
    (folder / "adapter_config.json").write_text(json.dumps({"r": rank, "lora_alpha": 8}),
                                                encoding="utf-8")
    meta = {"format_version": FORMAT_VERSION, "kind": "lora", "base_model": PACKAGED_BASE,
            "context": "pair", "max_length": 64, "temperature": 1.0, "labels": labels}
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch) -> Path:
    cache = tmp_path_factory.getbasetemp() / "stance-cache"
    monkeypatch.setenv("STANCE_CACHE", str(cache))
    return cache


@pytest.fixture(scope="module")
def lora_model_dir(tmp_path_factory) -> Path:
    return _lora_dir(tmp_path_factory.mktemp("lora") / "model")


@pytest.mark.parametrize("which", ["full", "lora"])
def test_own_encoder_matches_transformers_logits(which, tiny_model_dir, lora_model_dir):
    import torch

    from stance.artifact import check_files, read_meta
    from stance.runtime import _build_hf_model, build_torch_model, read_config

    path = tiny_model_dir if which == "full" else lora_model_dir
    meta, kind, config = read_meta(path), check_files(path), read_config(path)
    ours = build_torch_model(path, kind, meta, config)
    theirs = _build_hf_model(path, kind, meta)
    classifier = StanceClassifier.from_pretrained(path, backend="torch", device="cpu")
    ids, mask, types = (torch.from_numpy(a) for a in _batch(classifier))
    assert bool((mask == 0).any())  # the batch holds padding, so the mask is exercised
    with torch.inference_mode():
        expected = theirs(ids, mask, types)
        assert torch.allclose(ours(ids, mask, types), expected, atol=1e-5)
        for row in range(ids.shape[0]):  # each row alone, unpadded: same logits
            n = int(mask[row].sum())
            alone = ours(ids[row:row + 1, :n], mask[row:row + 1, :n], types[row:row + 1, :n])
            assert torch.allclose(alone, expected[row:row + 1], atol=1e-5)


def test_raw_tokenizer_matches_transformers(tiny_model_dir):
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(tiny_model_dir, use_fast=True)
    classifier = StanceClassifier.from_pretrained(tiny_model_dir, backend="torch", device="cpu")
    quotes, contexts = [q for q, _ in PAIRS], [c for _, c in PAIRS]
    expected = hf(quotes, contexts, truncation="longest_first", max_length=classifier.max_length)
    encodings = classifier._encode(quotes, contexts)
    assert [e.ids for e in encodings] == expected["input_ids"]
    assert [e.type_ids for e in encodings] == expected["token_type_ids"]
    single = hf(quotes, truncation=True, max_length=classifier.max_length)["input_ids"]
    assert [e.ids for e in classifier._encode(quotes, None)] == single


def test_onnx_backends_agree_with_torch(tiny_model_dir):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    texts = [q for q, _ in PAIRS]
    contexts = [c for _, c in PAIRS]
    fp32 = StanceClassifier.from_pretrained(tiny_model_dir, backend="torch").predict_proba(texts, contexts)
    onnx = StanceClassifier.from_pretrained(tiny_model_dir, backend="onnx")
    int8 = StanceClassifier.from_pretrained(tiny_model_dir, backend="onnx-int8")
    assert onnx.backend == "onnx" and int8.backend == "onnx-int8" and onnx.device == "cpu"
    assert np.abs(onnx.predict_proba(texts, contexts) - fp32).max() < 1e-4
    assert np.abs(int8.predict_proba(texts, contexts) - fp32).max() < 0.05


def test_onnx_graph_is_exported_once_then_read_from_the_cache(tiny_model_dir, private_cache,
                                                               monkeypatch):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from stance import runtime

    first = StanceClassifier.from_pretrained(tiny_model_dir, backend="onnx-int8")
    files = list((private_cache / "onnx").glob("*.int8*.onnx"))
    assert len(files) == 1

    def no_export(*args, **kwargs):
        raise AssertionError("the cached graph must be reused")

    monkeypatch.setattr(runtime, "export_onnx", no_export)
    monkeypatch.setattr("stance.model.export_onnx", no_export)
    again = StanceClassifier.from_pretrained(tiny_model_dir, backend="onnx-int8")
    assert np.array_equal(first.predict_proba(["We urge talks."]), again.predict_proba(["We urge talks."]))


def test_cache_key_changes_with_the_weights(tmp_path):
    from stance.artifact import check_files, read_meta
    from stance.runtime import onnx_file

    path = write_tiny_model(tmp_path / "m")
    meta, kind = read_meta(path), check_files(path)
    before = onnx_file(path, kind, meta, quantized=True)
    write_tiny_model(path, seed=1)
    os.utime(path / "model.safetensors", ns=(1, 1))  # a different stamp even on coarse clocks
    assert onnx_file(path, kind, meta, quantized=True) != before


def test_auto_backend_falls_back_to_torch_when_it_cannot_export(tiny_model_dir, tmp_path,
                                                                 monkeypatch):
    import importlib.util

    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))  # nothing cached
    monkeypatch.setattr("stance.model.can_export", lambda: False)
    assert StanceClassifier.from_pretrained(tiny_model_dir, device="cpu").backend == "torch"
    if importlib.util.find_spec("onnxruntime") is not None:  # asked for by name: explain, no fallback
        with pytest.raises(ModelLoadError, match="onnx package"):
            StanceClassifier.from_pretrained(tiny_model_dir, backend="onnx-int8")


@pytest.mark.parametrize("backend", ["int8", "onnx", "onnx-int8"])
def test_cpu_only_backends_refuse_a_gpu(backend, tiny_model_dir):
    with pytest.raises(ValueError, match="CPU only"):
        StanceClassifier.from_pretrained(tiny_model_dir, backend=backend, device="cuda")


def test_fp32_scores_do_not_depend_on_the_batch(tiny_model_dir):
    classifier = StanceClassifier.from_pretrained(tiny_model_dir, backend="torch", device="cpu")
    texts = [f"Statement {i}: " + "we want talks " * (i % 7) for i in range(20)]
    together = classifier.predict_proba(texts, texts)
    alone = np.vstack([classifier.predict_proba([t], [t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-5


def test_minilm_costs_about_21_mflop_per_token():
    from stance.artifact import PACKAGED_BASE, resolve_base_model
    from stance.encoder import flops_per_token

    config = json.loads((Path(resolve_base_model(PACKAGED_BASE)) / "config.json").read_text())
    assert flops_per_token(config) == pytest.approx(21.2e6, rel=0.01)


def _run(code: str, env: dict) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_stance_imports_neither_torch_nor_transformers():
    out = _run("import sys, stance; print('torch' in sys.modules, 'transformers' in sys.modules)",
               dict(os.environ))
    assert out == "False False"


def test_onnx_backend_starts_without_torch_once_cached(tiny_model_dir, private_cache):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    StanceClassifier.from_pretrained(tiny_model_dir, backend="onnx-int8")  # fills the cache
    code = ("import sys, stance\n"
            f"c = stance.StanceClassifier.from_pretrained({str(tiny_model_dir)!r}, backend='onnx-int8')\n"
            "r = stance.classify('\"We want talks,\" he said. \"No,\" she said.', model=c)\n"
            "print(len(r.units) > 0, 'torch' in sys.modules, 'transformers' in sys.modules)")
    assert _run(code, {**os.environ, "STANCE_CACHE": str(private_cache)}) == "True False False"


def test_cli_offers_every_backend():
    from stance import cli, model

    assert cli.BACKENDS == model.BACKENDS


def test_classify_takes_a_backend_but_not_with_a_model(tiny_classifier):
    from stance import classify, classify_statements

    with pytest.raises(ValueError, match="backend 'gpu'"):
        classify("text", backend="gpu")
    with pytest.raises(ValueError, match="not both"):
        classify('"We want talks," he said.', model=tiny_classifier, backend="torch")
    with pytest.raises(ValueError, match="not both"):
        classify_statements("We want talks.", model=tiny_classifier, backend="torch")


def test_classify_loads_the_default_model_on_the_backend_asked_for(tiny_model_dir, monkeypatch):
    import stance.api
    from stance import classify

    monkeypatch.setenv("STANCE_MODEL", str(tiny_model_dir))
    monkeypatch.setattr(stance.api, "_by_backend", {})
    monkeypatch.setattr(stance.api, "_default", None)
    result = classify('"We will not negotiate under threat," the commander said.', backend="torch")
    assert len(result.units) == 1
    assert stance.api._by_backend["torch"].backend == "torch"
    monkeypatch.setenv("STANCE_BACKEND", "int8")
    assert stance.api.default_classifier().backend == "int8"
    monkeypatch.setenv("STANCE_BACKEND", "fast")
    with pytest.raises(ValueError, match="STANCE_BACKEND"):
        stance.api.default_classifier()
