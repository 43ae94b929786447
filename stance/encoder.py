"""A minimal BERT sequence classifier for inference, in plain torch.

It computes exactly what transformers' ``BertForSequenceClassification`` computes in eval mode
(embeddings, post-LayerNorm encoder layers with exact GELU, tanh pooler, linear head), and its
parameter names are transformers' names, so a transformers state dict (and the LoRA merge of
:mod:`stance.artifact`) loads into it unchanged. What it leaves out makes it fast to import and to
run: no ``import transformers`` (seconds at start-up), one fused query/key/value projection
instead of three, and no padding beyond the longest sequence of a (length-sorted) batch.
``tests/test_encoder.py`` checks its logits against transformers'.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812
from torch import nn

SUPPORTED_ACTIVATIONS = ("gelu",)


class EncoderConfigError(ValueError):
    """The model's config.json describes something this encoder does not implement."""


def check_config(config: dict) -> None:
    """Raise EncoderConfigError unless ``config`` is a BERT this module computes exactly."""
    if config.get("model_type") != "bert":
        raise EncoderConfigError(f"model_type {config.get('model_type')!r} is not 'bert'")
    if config.get("hidden_act", "gelu") not in SUPPORTED_ACTIVATIONS:
        raise EncoderConfigError(f"hidden_act {config.get('hidden_act')!r} is not supported")
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise EncoderConfigError("only absolute position embeddings are supported")
    if config.get("is_decoder") or config.get("add_cross_attention"):
        raise EncoderConfigError("decoder BERT models are not supported")
    if config["hidden_size"] % config["num_attention_heads"]:
        raise EncoderConfigError("hidden_size is not a multiple of num_attention_heads")


class _Embeddings(nn.Module):
    def __init__(self, config: dict) -> None:
        super().__init__()
        hidden = config["hidden_size"]
        self.word_embeddings = nn.Embedding(config["vocab_size"], hidden)
        self.position_embeddings = nn.Embedding(config["max_position_embeddings"], hidden)
        self.token_type_embeddings = nn.Embedding(config.get("type_vocab_size", 2), hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=config.get("layer_norm_eps", 1e-12))  # noqa: N815

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        positions = self.position_embeddings.weight[: input_ids.shape[1]]
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids) + positions
        return self.LayerNorm(x)


class _SelfAttention(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)


class _AttentionOutput(nn.Module):
    def __init__(self, hidden: int, eps: float) -> None:
        super().__init__()
        self.dense = nn.Linear(hidden, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)  # noqa: N815


class _Attention(nn.Module):
    def __init__(self, hidden: int, eps: float) -> None:
        super().__init__()
        self.self = _SelfAttention(hidden)
        self.output = _AttentionOutput(hidden, eps)


class _Dense(nn.Module):
    def __init__(self, inputs: int, outputs: int) -> None:
        super().__init__()
        self.dense = nn.Linear(inputs, outputs)


class _Output(_Dense):
    def __init__(self, inputs: int, outputs: int, eps: float) -> None:
        super().__init__(inputs, outputs)
        self.LayerNorm = nn.LayerNorm(outputs, eps=eps)  # noqa: N815


class _Layer(nn.Module):
    def __init__(self, config: dict) -> None:
        super().__init__()
        hidden, eps = config["hidden_size"], config.get("layer_norm_eps", 1e-12)
        self.heads = config["num_attention_heads"]
        self.attention = _Attention(hidden, eps)
        self.intermediate = _Dense(hidden, config["intermediate_size"])
        self.output = _Output(config["intermediate_size"], hidden, eps)
        self.qkv: nn.Linear | None = None

    def fuse(self) -> None:
        """Replace the query, key and value projections by one linear layer (one GEMM)."""
        projections = self.attention.self
        parts = (projections.query, projections.key, projections.value)
        fused = nn.Linear(parts[0].in_features, 3 * parts[0].out_features)
        with torch.no_grad():
            fused.weight.copy_(torch.cat([p.weight for p in parts]))
            fused.bias.copy_(torch.cat([p.bias for p in parts]))
        self.qkv = fused
        del self.attention.self

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        batch, length, hidden = x.shape
        if self.qkv is not None:
            qkv = self.qkv(x)
        else:
            projections = self.attention.self
            qkv = torch.cat([projections.query(x), projections.key(x), projections.value(x)], -1)
        heads = qkv.view(batch, length, 3, self.heads, hidden // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = heads.unbind(0)
        context = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        context = context.transpose(1, 2).reshape(batch, length, hidden)
        out = self.attention.output
        x = out.LayerNorm(out.dense(context) + x)
        inner = F.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(self.output.dense(inner) + x)


class _Pooler(_Dense):
    pass


class _Bert(nn.Module):
    def __init__(self, config: dict) -> None:
        super().__init__()
        self.embeddings = _Embeddings(config)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(_Layer(config) for _ in range(config["num_hidden_layers"]))
        self.pooler = _Pooler(config["hidden_size"], config["hidden_size"])


class BertClassifier(nn.Module):
    """``BertForSequenceClassification`` for inference: ``forward`` returns the logits."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        check_config(config)
        self.config = config
        self.bert = _Bert(config)
        self.classifier = nn.Linear(config["hidden_size"], len(config["id2label"]))
        self.fused = False
        self.always_mask = False  # set while exporting to ONNX: the graph must keep the mask

    def fuse(self) -> BertClassifier:
        """Fuse each layer's query/key/value projections (call after loading weights)."""
        if not self.fused:
            for layer in self.bert.encoder.layer:
                layer.fuse()
            self.fused = True
        return self

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        x = self.bert.embeddings(input_ids, token_type_ids)
        mask = None
        if attention_mask is not None and (self.always_mask or not bool(attention_mask.all())):
            # Additive mask over the keys: 0 where attended, a large negative at padding.
            mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.bert.encoder.layer:
            x = layer(x, mask)
        pooled = torch.tanh(self.bert.pooler.dense(x[:, 0]))
        return self.classifier(pooled)


def load_state(model: BertClassifier, state: dict[str, torch.Tensor]) -> list[str]:
    """Load a transformers state dict (with or without the ``bert.`` prefix); return the names
    of the model's weights it did not hold."""
    own = model.state_dict()
    renamed = {}
    for name, tensor in state.items():
        if name not in own and f"bert.{name}" in own:
            name = f"bert.{name}"
        if name in own:
            renamed[name] = tensor
    missing = [name for name in own if name not in renamed]
    model.load_state_dict(renamed, strict=False)
    return missing


def flops_per_token(config: dict) -> float:
    """Multiply-adds x 2 of the linear layers per token (attention scores excluded)."""
    hidden, inner = config["hidden_size"], config["intermediate_size"]
    return 2.0 * config["num_hidden_layers"] * (4 * hidden * hidden + 2 * hidden * inner)


__all__ = ["BertClassifier", "EncoderConfigError", "check_config", "flops_per_token", "load_state"]
