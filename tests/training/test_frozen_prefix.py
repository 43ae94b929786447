"""The frozen-layer cache (training.frozen_prefix): same logits and gradients as the model."""

import pytest
import torch

from training.config import LoraSettings, TrainConfig
from training.frozen_prefix import FrozenPrefix, frozen_depth
from training.loop import Encoded, collate, predict_logits, prefix_cache
from training.modeling import build_model

TOP_LAYER = r".*encoder\.layer\.1\..*\.(query|key|value|dense)$"


def _model(target: str = TOP_LAYER, method: str = "lora") -> torch.nn.Module:
    torch.manual_seed(0)
    config = TrainConfig(tiny_model=True, method=method, lora=LoraSettings(target_modules=target))
    model = build_model(config, 200)
    with torch.no_grad():  # LoRA's B starts at zero; move it so the adapters change the output
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.5)
    return model


def _data() -> Encoded:
    # three examples of different lengths, so batches are padded
    ids = [[2, 15, 17, 3, 40, 41, 3], [2, 9, 3, 12, 3], [2, 30, 31, 32, 33, 3, 50, 51, 52, 3]]
    types = [[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]]
    return Encoded(ids, types, [0, 1, 2])


def test_depth_counts_the_frozen_layers_below_the_first_adapter():
    assert frozen_depth(_model()) == 1                         # adapters on layer 1 of 2
    assert frozen_depth(_model(r".*encoder.*\.(query|key|value|dense)$")) == 0  # on every layer
    assert frozen_depth(_model(method="full")) == 0             # embeddings train too
    assert FrozenPrefix.of(_model(method="full")) is None


def test_cached_logits_equal_the_model_logits():
    model = _model().eval()
    data = _data()
    cache = prefix_cache(FrozenPrefix.of(model), data, 2, torch.device("cpu"))
    direct = predict_logits(model, data, 2, torch.device("cpu"))
    cached = predict_logits(model, data, 2, torch.device("cpu"), cache)
    assert cached == pytest.approx(direct, abs=1e-5)
    # each cached state keeps its own length: no padding is stored
    assert [s.shape[0] for s in cache.states] == [7, 5, 10]


def test_cached_forward_gives_the_same_gradients():
    # In eval mode (no dropout) the loss and the trained weights' gradients are those of the
    # ordinary forward pass; only the layers above the cache run.
    data, rows = _data(), [0, 1, 2]
    labels = torch.tensor(data.labels)
    grads = []
    for use_cache in (False, True):
        model = _model().eval()
        prefix = FrozenPrefix.of(model)
        if use_cache:
            logits = prefix_cache(prefix, data, 8, torch.device("cpu")).logits(rows, torch.device("cpu"))
        else:
            logits = model(**collate(data, rows, torch.device("cpu"))).logits
        torch.nn.functional.cross_entropy(logits, labels).backward()
        grads.append({n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad})
    assert grads[0].keys() == grads[1].keys() and len(grads[0]) > 2
    for name in grads[0]:
        assert grads[1][name] == pytest.approx(grads[0][name], abs=1e-5), name


def test_cache_is_off_for_other_architectures():
    from transformers import DistilBertConfig, DistilBertForSequenceClassification

    model = DistilBertForSequenceClassification(DistilBertConfig(
        vocab_size=100, dim=32, n_layers=2, n_heads=2, hidden_dim=64, num_labels=3))
    for param in model.distilbert.parameters():
        param.requires_grad = False
    assert FrozenPrefix.of(model) is None


def test_the_smoke_config_trains_through_the_cache_unless_turned_off():
    from pathlib import Path

    from training.config import load_config
    from training.train import frozen_prefix, make_accelerator

    smoke = Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml"
    config = load_config(smoke)
    accelerator = make_accelerator(config)
    model = build_model(config, 200)
    prefix = frozen_prefix(accelerator, model, config)
    assert prefix is not None and prefix.depth == 1
    config.cache_frozen_layers = False
    assert frozen_prefix(accelerator, model, config) is None


def test_encode_returns_the_model_to_training_mode_even_when_a_batch_fails():
    # encode runs the frozen layers in eval mode (no dropout); the training loop continues in
    # train mode, so the mode must come back after a good batch and after a failing one.
    model = _model().train()
    prefix = FrozenPrefix.of(model)
    batch = collate(_data(), [0, 1], torch.device("cpu"))
    prefix.encode(batch)
    assert prefix.core.training
    with pytest.raises(KeyError):
        prefix.encode({"input_ids": batch["input_ids"]})  # no token_type_ids: the batch fails
    assert prefix.core.training
