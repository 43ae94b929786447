"""Fine-tune the stance classifier: ``python -m training.train --config configs/default.yaml``.

Any config field can be overridden by a flag: ``--epochs 3``, ``--lora.r 8``,
``--output_dir models/try``. ``--resume`` continues from the run's last checkpoint. The same
command runs unchanged under ``accelerate launch`` or ``torchrun`` on several GPUs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import platform
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

from training.checkpoint import Checkpoint, LoopState
from training.config import TrainConfig, config_to_dict, load_config
from training.data import Example, load_examples, split_path
from training.frozen_prefix import FrozenPrefix
from training.loop import (
    Encoded,
    encode,
    predict_logits,
    prior_correction,
    steps_per_epoch,
    train_loop,
)
from training.metrics import expected_calibration_error, fit_temperature, softmax, summary
from training.modeling import build_model, load_tokenizer, shift_head_bias
from training.save import write_model_dir

logger = logging.getLogger("training.train")


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, dict[str, str]]:
    parser = argparse.ArgumentParser(prog="python -m training.train", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, help="YAML file in configs/ (default: built-in)")
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    parser.add_argument("--stop-after-steps", type=int, default=None,
                        help="stop (without saving a model) after this many steps; for tests")
    args, rest = parser.parse_known_args(argv)
    overrides: dict[str, str] = {}
    index = 0
    while index < len(rest):
        flag = rest[index]
        if not flag.startswith("--"):
            parser.error(f"unexpected argument {flag!r}; overrides look like --epochs 3")
        key, sep, value = flag[2:].partition("=")
        if not sep:
            if index + 1 >= len(rest):
                parser.error(f"{flag} needs a value")
            index += 1
            value = rest[index]
        overrides[key.replace("-", "_")] = value
        index += 1
    return args, overrides


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def make_accelerator(config: TrainConfig):
    from accelerate import Accelerator

    precision = config.mixed_precision
    if precision == "auto":
        if not torch.cuda.is_available():
            precision = "no"
        else:
            precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return Accelerator(mixed_precision=precision, cpu=not torch.cuda.is_available())


def frozen_prefix(accelerator, model, config: TrainConfig) -> FrozenPrefix | None:
    """The frozen lower layers to run once per example (one process only: under DDP every step
    must go through the wrapped model's forward)."""
    if not config.cache_frozen_layers or accelerator.num_processes > 1:
        return None
    return FrozenPrefix.of(accelerator.unwrap_model(model))


def load_splits(config: TrainConfig) -> dict[str, list[Example]]:
    def read(split: str) -> list[Example]:
        return load_examples([split_path(config.corpus_dir, split)], config.labels,
                             config.context_chars)

    data = {"train": [ex for split in config.train_splits for ex in read(split)],
            "dev": read(config.dev_split)}
    if config.max_train_units:
        data["train"] = data["train"][: config.max_train_units]
    for split in config.test_splits:
        if split_path(config.corpus_dir, split).exists():
            data[split] = read(split)
    return data


def log_run(config: TrainConfig, data: dict[str, list[Example]]) -> None:
    logger.info("resolved config:\n%s", json.dumps(config_to_dict(config), indent=2))
    for name, examples in data.items():
        logger.info("%s: %d units", name, len(examples))
    for ex in data["train"][:3]:
        logger.info("example [%s] %r | context %r", ex.label, ex.quote[:80], ex.context[:80])


def apply_prior_correction(model, train: Encoded, config: TrainConfig) -> np.ndarray | None:
    """With ``prior_correction``, shift the head's bias by the log training-label frequencies
    (undoing the class weighting's balanced prior); return the shift, or None."""
    if not config.prior_correction:
        return None
    shift = prior_correction(train.labels, len(config.labels))
    shift_head_bias(model, shift)
    logger.info("prior correction: head bias shifted by %s", shift.tolist())
    return shift.numpy()


def evaluate_splits(model, encoded: dict[str, Encoded], config: TrainConfig, device,
                    shift: np.ndarray | None = None) -> tuple[dict, float, dict]:
    """Fit the temperature on dev, then score every split with calibrated probabilities; with a
    prior-correction ``shift`` (already in the model), also score the logits without it."""
    logits = {name: predict_logits(model, data, config.eval_batch_size, device)
              for name, data in encoded.items() if name != "train"}
    temperature = fit_temperature(logits["dev"], encoded["dev"].labels)
    results, uncorrected = {}, {}
    for name, values in logits.items():
        gold = encoded[name].labels
        result = summary(gold, values.argmax(axis=1).tolist(), config.labels)
        result["ece"] = expected_calibration_error(softmax(values, temperature), gold)
        result["ece_uncalibrated"] = expected_calibration_error(softmax(values), gold)
        results[name] = result
        if shift is not None:
            plain = summary(gold, (values - shift).argmax(axis=1).tolist(), config.labels)
            uncorrected[name] = {key: plain[key] for key in ("macro_f1", "accuracy")}
    return results, temperature, uncorrected


def score_without_context(model, tokenizer, data: dict[str, list[Example]], config: TrainConfig,
                          temperature: float, device) -> dict:
    """The same model on dev and test with the statement alone (no context): how much its
    scores rest on the context. A model *trained* without context is the other comparison
    (``python -m training.compare --vary context=none``, docs/training.md)."""
    if config.context != "pair":
        return {}
    alone = dataclasses.replace(config, context="none")
    results = {}
    for name in ("dev", "test"):
        if name in data:
            encoded = encode(tokenizer, data[name], alone)
            logits = predict_logits(model, encoded, config.eval_batch_size, device)
            result = summary(encoded.labels, logits.argmax(axis=1).tolist(), config.labels)
            result["ece"] = expected_calibration_error(softmax(logits, temperature), encoded.labels)
            results[name] = result
    return results


def run(config: TrainConfig, *, resume: bool = False, progress: bool = True,
        stop_after_steps: int | None = None, config_name: str = "custom") -> dict:
    """Train one model as ``config`` says and save it; return its metrics."""
    from transformers import get_linear_schedule_with_warmup

    run_started = time.perf_counter()
    if config.num_threads:
        torch.set_num_threads(config.num_threads)
    seed_everything(config.seed)
    data = load_splits(config)
    log_run(config, data)
    tokenizer = load_tokenizer(config)
    encoded = {name: encode(tokenizer, examples, config) for name, examples in data.items()}
    accelerator = make_accelerator(config)
    model = build_model(config, tokenizer.vocab_size)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=config.weight_decay)
    total = steps_per_epoch(len(data["train"]), config.batch_size, accelerator.num_processes)
    total *= config.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(config.warmup_ratio * total), total)
    model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)
    checkpoint = Checkpoint(Path(config.output_dir).with_name(Path(config.output_dir).name
                                                              + ".checkpoint"))
    state = LoopState()
    if resume and checkpoint.exists():
        state = checkpoint.load(accelerator.unwrap_model(model), optimizer, scheduler)
    elif resume:
        logger.warning("no checkpoint at %s; starting from scratch", checkpoint.folder)
    if stop_after_steps is not None:
        config.checkpoint_every_steps = 1
    state.started = time.perf_counter() - state.seconds
    run_started -= state.seconds  # a resumed run counts the training time of its earlier processes
    state = train_loop(accelerator, model, optimizer, scheduler, encoded["train"],
                       encoded["dev"], config, checkpoint, state, progress,
                       stop_after_steps=stop_after_steps,
                       prefix=frozen_prefix(accelerator, model, config))
    if stop_after_steps is not None and not state.finished(config):
        return {"stopped_at_step": state.global_step}
    seconds = time.perf_counter() - state.started
    metrics: dict = {}
    if accelerator.is_main_process:
        unwrapped = accelerator.unwrap_model(model)
        shift = apply_prior_correction(unwrapped, encoded["train"], config)
        results, temperature, uncorrected = evaluate_splits(unwrapped, encoded, config,
                                                            accelerator.device, shift)
        alone = score_without_context(unwrapped, tokenizer, data, config, temperature,
                                      accelerator.device)
        metrics = {
            "config_name": config_name,
            "eval": results,
            "eval_without_context": alone,
            "temperature": temperature,
            "prior_correction": {} if shift is None else dict(
                zip(config.labels, np.round(shift, 6).tolist(), strict=True)),
            "eval_without_prior_correction": uncorrected,
            "train_units": len(data["train"]),
            "dev_units": len(data["dev"]),
            "epochs_run": state.epoch,
            "best_epoch": state.best_epoch,
            "history": state.history,
            "train_seconds": round(seconds, 1),
            # the whole run: reading and tokenizing the corpus, training, final scoring
            "run_seconds": round(time.perf_counter() - run_started, 1),
            "device": str(accelerator.device),
            "cpu": platform.processor() or platform.machine(),
            "threads": torch.get_num_threads(),
        }
        write_model_dir(unwrapped, tokenizer, config, metrics, temperature,
                        Path(config.output_dir))
        shutil.rmtree(checkpoint.folder, ignore_errors=True)
        logger.info("saved %s (dev macro-F1 %.4f)", config.output_dir, results["dev"]["macro_f1"])
    accelerator.wait_for_everyone()
    return metrics


def main(argv: list[str] | None = None) -> int:
    args, overrides = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(args.config, overrides)
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    name = args.config.stem if args.config else "custom"
    metrics = run(config, resume=args.resume, progress=not args.no_progress,
                  stop_after_steps=args.stop_after_steps, config_name=name)
    if "eval" in metrics:
        for split, values in metrics["eval"].items():
            print(f"{split:8s} macro-F1 {values['macro_f1']:.4f}  accuracy {values['accuracy']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
