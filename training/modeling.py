"""Building the model to fine-tune: base transformer, label head and (optionally) LoRA adapters."""

from __future__ import annotations

import logging

import torch
from transformers import (
    AutoConfig,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
)

from stance.artifact import resolve_base_model
from training.config import TrainConfig

logger = logging.getLogger(__name__)


def label_maps(labels: list[str]) -> tuple[dict[int, str], dict[str, int]]:
    return dict(enumerate(labels)), {label: i for i, label in enumerate(labels)}


def tiny_bert_config(vocab_size: int, labels: list[str]) -> BertConfig:
    """A two-layer BERT of a few hundred thousand weights, for smoke runs and tests."""
    id2label, label2id = label_maps(labels)
    return BertConfig(
        vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=512, num_labels=len(labels),
        id2label=id2label, label2id=label2id,
    )


def load_tokenizer(config: TrainConfig):
    return AutoTokenizer.from_pretrained(resolve_base_model(config.base_model), use_fast=True)


def build_model(config: TrainConfig, vocab_size: int) -> torch.nn.Module:
    """The classifier to train: the base model with a new head, wrapped in LoRA if asked."""
    id2label, label2id = label_maps(config.labels)
    if config.tiny_model:
        model = BertForSequenceClassification(tiny_bert_config(vocab_size, config.labels))
    else:
        base = resolve_base_model(config.base_model)
        model_config = AutoConfig.from_pretrained(
            base, num_labels=len(config.labels), id2label=id2label, label2id=label2id
        )
        model = AutoModelForSequenceClassification.from_pretrained(
            base, config=model_config, use_safetensors=True
        )
    if config.method == "lora":
        from peft import LoraConfig, TaskType, get_peft_model

        lora = LoraConfig(
            task_type=TaskType.SEQ_CLS, r=config.lora.r, lora_alpha=config.lora.alpha,
            lora_dropout=config.lora.dropout, target_modules=config.lora.target_modules,
            modules_to_save=list(config.lora.modules_to_save),
        )
        model = get_peft_model(model, lora)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    logger.info("model: %s, %s trainable of %s weights", config.method, f"{trainable:,}",
                f"{total:,}")
    return model


def shift_head_bias(model: torch.nn.Module, shift: torch.Tensor) -> None:
    """Add ``shift`` to the bias of the trained classification head (under LoRA: its trained
    copy), so that the saved and exported model carries the offset."""
    heads = [p for name, p in model.named_parameters()
             if p.requires_grad and "classifier" in name and name.endswith("bias")]
    if len(heads) != 1 or heads[0].shape != shift.shape:
        raise ValueError(f"expected one trainable classifier bias of shape {tuple(shift.shape)}, "
                         f"found {[tuple(p.shape) for p in heads]}")
    with torch.no_grad():
        heads[0].add_(shift.to(heads[0].device, heads[0].dtype))


def trainable_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A CPU copy of the weights that training changes (all of them for full fine-tuning)."""
    names = {name for name, p in model.named_parameters() if p.requires_grad}
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items() if k in names}


def load_trainable_state(model: torch.nn.Module, state: dict[str, torch.Tensor]) -> None:
    missing = [name for name in state if name not in model.state_dict()]
    if missing:
        raise ValueError(f"checkpoint weights {missing[:3]} do not fit this model")
    model.load_state_dict(state, strict=False)
