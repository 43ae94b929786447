"""The fine-tuning loop: batches, loss, dev evaluation, early stopping and checkpoints."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
import torch
from tqdm.auto import tqdm

from training.checkpoint import Checkpoint, LoopState
from training.config import TrainConfig
from training.data import Example
from training.frozen_prefix import FrozenPrefix, PrefixCache
from training.metrics import macro_f1
from training.modeling import load_trainable_state, trainable_state

logger = logging.getLogger(__name__)


@dataclass
class Encoded:
    """Tokenized examples with their label ids."""

    input_ids: list[list[int]]
    token_type_ids: list[list[int]]
    labels: list[int] = field(default_factory=list)


def encode(tokenizer, examples: list[Example], config: TrainConfig) -> Encoded:
    """Tokenize as :class:`stance.model.StanceClassifier` does at inference time."""
    quotes = [ex.quote for ex in examples]
    if config.context == "pair":
        out = tokenizer(quotes, [ex.context for ex in examples], truncation="longest_first",
                        max_length=config.max_length)
    else:
        out = tokenizer(quotes, truncation=True, max_length=config.max_length)
    label_ids = {label: i for i, label in enumerate(config.labels)}
    return Encoded(out["input_ids"], out["token_type_ids"], [label_ids[ex.label] for ex in examples])


def collate(data: Encoded, rows: list[int], device: torch.device) -> dict[str, torch.Tensor]:
    """Pad the chosen rows to their longest member."""
    width = max(len(data.input_ids[i]) for i in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for r, i in enumerate(rows):
        n = len(data.input_ids[i])
        ids[r, :n] = torch.tensor(data.input_ids[i])
        types[r, :n] = torch.tensor(data.token_type_ids[i])
        mask[r, :n] = 1
    batch = {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}
    return {key: value.to(device) for key, value in batch.items()}


def length_batches(data: Encoded, batch_size: int) -> list[list[int]]:
    """Every example once, in batches of similar length (inference: order does not matter)."""
    order = sorted(range(len(data.input_ids)), key=lambda i: len(data.input_ids[i]))
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def predict_logits(model: torch.nn.Module, data: Encoded, batch_size: int,
                   device: torch.device, cache: PrefixCache | None = None) -> np.ndarray:
    """Logits for every example, in order; from cached frozen-layer states when given."""
    model.eval()
    out = np.zeros((len(data.input_ids), model.config.num_labels), dtype=np.float32)
    with torch.inference_mode():
        for rows in length_batches(data, batch_size):
            logits = (cache.logits(rows, device) if cache is not None
                      else model(**collate(data, rows, device)).logits)
            out[rows] = logits.float().cpu().numpy()
    return out


def prefix_cache(prefix: FrozenPrefix, data: Encoded, batch_size: int,
                 device: torch.device) -> PrefixCache:
    """The frozen layers' output for every example, computed once (kept on the CPU)."""
    states: list[torch.Tensor] = [torch.empty(0)] * len(data.input_ids)
    for rows in length_batches(data, batch_size):
        hidden = prefix.encode(collate(data, rows, device)).cpu()
        for r, i in enumerate(rows):
            states[i] = hidden[r, : len(data.input_ids[i])].clone()
    return PrefixCache(prefix, states)


def class_weights(labels: list[int], n_labels: int) -> torch.Tensor:
    """Inverse-frequency weights normalised to mean 1 (labels absent from training get 1)."""
    counts = np.bincount(labels, minlength=n_labels).astype(np.float64)
    weights = np.where(counts > 0, len(labels) / (n_labels * np.maximum(counts, 1)), 1.0)
    return torch.tensor(weights, dtype=torch.float32)


def prior_correction(labels: list[int], n_labels: int) -> torch.Tensor:
    """Logit offsets that undo the class weighting at inference.

    Weighted cross-entropy with weights ``w`` fits ``p(y|x)`` proportional to ``w_y`` times the
    training-data posterior, i.e. a model for balanced labels. Adding ``-log w_y`` (the log label
    frequency, up to a constant) to the logits restores the training prior (Saerens et al., 2002),
    while training still gives every label an equal share of the gradient."""
    return -torch.log(class_weights(labels, n_labels))


def epoch_batches(lengths: list[int], batch_size: int, seed: int, epoch: int, rank: int,
                  world: int) -> list[list[int]]:
    """This process's shuffled batches of one epoch; the same for every rerun and resume.

    Examples are shuffled, then sorted by length within pools of 50 batches, so each batch holds
    examples of similar length (little padding) while batches stay random; the batch order is
    shuffled again.
    """
    rng = np.random.RandomState(seed + epoch)
    order = rng.permutation(len(lengths)).tolist()
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches[rank::world]


def steps_per_epoch(n: int, batch_size: int, world: int) -> int:
    return math.ceil(math.ceil(n / batch_size) / world)


def dev_f1(model, dev: Encoded, config: TrainConfig, device: torch.device,
           cache: PrefixCache | None = None) -> float:
    logits = predict_logits(model, dev, config.eval_batch_size, device, cache)
    return macro_f1(dev.labels, logits.argmax(axis=1).tolist(), len(config.labels))


def train_loop(accelerator, model, optimizer, scheduler, train: Encoded, dev: Encoded,
               config: TrainConfig, checkpoint: Checkpoint, state: LoopState,
               progress: bool = True, stop_after_steps: int | None = None,
               prefix: FrozenPrefix | None = None) -> LoopState:
    """Train until the epochs run out or dev macro-F1 stops improving; keep the best weights.

    With a ``prefix`` (frozen lower layers), their output is computed once for the train and dev
    examples, and each step runs only the layers above them."""
    loss_fn = torch.nn.CrossEntropyLoss(
        weight=class_weights(train.labels, len(config.labels)).to(accelerator.device)
        if config.class_weighting else None,
        label_smoothing=config.label_smoothing,
    )
    world, rank = accelerator.num_processes, accelerator.process_index
    total = steps_per_epoch(len(train.labels), config.batch_size, world) * config.epochs
    bar = tqdm(total=total, initial=state.global_step, disable=not progress or rank != 0,
               desc="training", unit="step")
    caches = {}
    if prefix is not None:
        caches = {name: prefix_cache(prefix, data, config.eval_batch_size, accelerator.device)
                  for name, data in (("train", train), ("dev", dev))}
    while state.epoch < config.epochs and not state.done:
        lengths = [len(ids) for ids in train.input_ids]
        batches = epoch_batches(lengths, config.batch_size, config.seed, state.epoch, rank, world)
        model.train()
        for rows in batches[state.step_in_epoch :]:
            labels = torch.tensor([train.labels[i] for i in rows], device=accelerator.device)
            with accelerator.autocast():
                logits = (caches["train"].logits(rows, accelerator.device) if caches
                          else model(**collate(train, rows, accelerator.device)).logits)
                loss = loss_fn(logits.float(), labels)
            accelerator.backward(loss)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            state.step_in_epoch += 1
            state.global_step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}")
            every = config.checkpoint_every_steps
            if every and state.global_step % every == 0:
                checkpoint.save(accelerator, model, optimizer, scheduler, state)
            if stop_after_steps is not None and state.global_step >= stop_after_steps:
                bar.close()
                return state
        end_epoch(accelerator, model, dev, config, state, caches.get("dev"))
        checkpoint.save(accelerator, model, optimizer, scheduler, state)
    bar.close()
    best = checkpoint.best_weights(state)
    if best is not None:
        load_trainable_state(accelerator.unwrap_model(model), best)
    return state


def end_epoch(accelerator, model, dev: Encoded, config: TrainConfig, state: LoopState,
              dev_cache: PrefixCache | None = None) -> None:
    """Score dev, remember the best weights, decide on early stopping, start the next epoch."""
    unwrapped = accelerator.unwrap_model(model)
    score = dev_f1(unwrapped, dev, config, accelerator.device, dev_cache)
    state.history.append({"epoch": state.epoch + 1, "dev_macro_f1": round(score, 4),
                          "step": state.global_step})
    logger.info("epoch %d: dev macro-F1 %.4f", state.epoch + 1, score)
    if score > state.best_f1:
        state.best_f1, state.best_epoch, state.bad_epochs = score, state.epoch + 1, 0
        state.best = trainable_state(unwrapped)
    else:
        state.bad_epochs += 1
        if config.early_stopping_patience and state.bad_epochs >= config.early_stopping_patience:
            logger.info("dev macro-F1 stopped improving: early stop after epoch %d", state.epoch + 1)
            state.done = True
    state.epoch += 1
    state.step_in_epoch = 0
