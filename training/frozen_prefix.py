"""Run the frozen bottom of a BERT classifier once per example instead of once per step.

With LoRA adapters on the top layers only (the default trains layers 4-5 of MiniLM's six), the
embeddings and the layers below the first adapter never change during training, so their output
for an example is the same in every epoch. :class:`FrozenPrefix` computes that output once for
every training and dev example (in eval mode, so without dropout) and then runs only the trainable
layers, the pooler and the head at each step. On the default config this cuts a training step
roughly in half (docs/training.md); the loss, the gradients of the trained weights and the saved
model are those of the ordinary forward pass, except that the frozen layers apply no dropout.

It applies to ``BertForSequenceClassification`` models (MiniLM is one), on one process. Anything
else (other architectures, trainable embeddings, several processes under DDP, which must call the
wrapped model's own forward) trains through the ordinary forward pass.
"""

from __future__ import annotations

import logging
import re

import torch
from transformers import BertForSequenceClassification
from transformers.masking_utils import create_bidirectional_mask

logger = logging.getLogger(__name__)
_LAYER = re.compile(r"encoder\.layer\.(\d+)\.")


def classifier_core(model: torch.nn.Module) -> torch.nn.Module:
    """The transformers model inside a PEFT wrapper (or the model itself)."""
    get_base = getattr(model, "get_base_model", None)
    return get_base() if callable(get_base) else model


def frozen_depth(model: torch.nn.Module) -> int:
    """How many encoder layers, from the bottom, hold no trainable weight (embeddings frozen
    too); 0 when the embeddings train or nothing can be skipped."""
    core = classifier_core(model)
    depth = core.config.num_hidden_layers
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        match = _LAYER.search(name)
        if match:
            depth = min(depth, int(match.group(1)))
        elif "embeddings" in name:
            return 0
    return depth


class FrozenPrefix:
    """The frozen embeddings and lower layers of one model, and the forward pass above them."""

    def __init__(self, model: torch.nn.Module, depth: int) -> None:
        self.core = classifier_core(model)
        self.bert = self.core.bert
        self.depth = depth

    @classmethod
    def of(cls, model: torch.nn.Module) -> FrozenPrefix | None:
        """A prefix for ``model`` when it has frozen layers to skip, else None."""
        core = classifier_core(model)
        if not isinstance(core, BertForSequenceClassification):
            logger.info("frozen-layer cache off: %s is not a BERT classifier",
                        type(core).__name__)
            return None
        depth = frozen_depth(model)
        if depth == 0:
            logger.info("frozen-layer cache off: the embeddings or the first layer train")
            return None
        logger.info("frozen-layer cache: embeddings and layers 0-%d run once per example",
                    depth - 1)
        return cls(model, depth)

    def _mask(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor | None:
        return create_bidirectional_mask(config=self.bert.config, inputs_embeds=hidden,
                                         attention_mask=attention_mask)

    @torch.no_grad()  # not inference_mode: its tensors may not enter the autograd graph later
    def encode(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Hidden states after the frozen layers for one padded batch (no dropout)."""
        was_training = self.core.training
        self.core.eval()
        try:
            hidden = self.bert.embeddings(input_ids=batch["input_ids"],
                                          token_type_ids=batch["token_type_ids"])
            mask = self._mask(hidden, batch["attention_mask"])
            for layer in self.bert.encoder.layer[: self.depth]:
                hidden = layer(hidden, mask)
        finally:
            self.core.train(was_training)  # a failed batch must not leave dropout off
        return hidden

    def logits(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """The trainable layers, the pooler and the head on cached hidden states."""
        mask = self._mask(hidden, attention_mask)
        for layer in self.bert.encoder.layer[self.depth :]:
            hidden = layer(hidden, mask)
        pooled = self.bert.pooler(hidden)
        return self.core.classifier(self.core.dropout(pooled))


class PrefixCache:
    """Cached hidden states of a set of examples, batched like :func:`training.loop.collate`."""

    def __init__(self, prefix: FrozenPrefix, states: list[torch.Tensor]) -> None:
        self.prefix = prefix
        self.states = states

    def batch(self, rows: list[int], device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        """The rows' hidden states padded to the longest, and their attention mask."""
        width = max(self.states[i].shape[0] for i in rows)
        size = self.states[rows[0]].shape[1]
        hidden = torch.zeros((len(rows), width, size), dtype=self.states[rows[0]].dtype)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, i in enumerate(rows):
            n = self.states[i].shape[0]
            hidden[r, :n] = self.states[i]
            mask[r, :n] = 1
        return hidden.to(device), mask.to(device)

    def logits(self, rows: list[int], device: torch.device) -> torch.Tensor:
        return self.prefix.logits(*self.batch(rows, device))
