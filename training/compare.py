"""Train variants of a config and compare them on dev, test and real news.

``python -m training.compare --config configs/default.yaml --vary context=pair,none``
trains one model per value (into ``runs/compare/<field>-<value>``), scores each with gold spans on
the dev and test splits and on ``../shared/realnews/`` when present, and prints a Markdown table.
Several ``--vary`` flags give their cross product. Extra ``--field value`` flags apply to every run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

from stance.model import StanceClassifier
from training.config import load_config
from training.data import article_examples, read_articles, split_path
from training.evaluate import REALNEWS, model_probs
from training.metrics import summary
from training.train import run


def parse(argv: list[str] | None) -> tuple[argparse.Namespace, dict[str, str]]:
    parser = argparse.ArgumentParser(prog="python -m training.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--vary", action="append", required=True,
                        help="field=value1,value2 (repeatable)")
    parser.add_argument("--out", type=Path, default=Path("runs/compare"))
    parser.add_argument("--realnews", type=Path, default=REALNEWS)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args, rest = parser.parse_known_args(argv)
    fixed = dict(zip((k.lstrip("-").replace("-", "_") for k in rest[::2]), rest[1::2], strict=True))
    return args, fixed


def set_probabilities(classifier: StanceClassifier, corpus_dir: Path,
                      realnews: Path) -> dict[str, tuple[list[int], np.ndarray]]:
    """Gold label ids and model probabilities on dev, test and (when present) real news."""
    labels = list(classifier.labels)
    files = {"dev": split_path(corpus_dir, "dev"), "test": split_path(corpus_dir, "test"),
             "realnews": realnews}
    sets = {}
    for name, path in files.items():
        if not path.exists():
            continue
        units = [ex for a in read_articles(path, labels)
                 for ex in article_examples(a, classifier.context_chars)]
        sets[name] = ([labels.index(ex.label) for ex in units], model_probs(classifier, units))
    return sets


def score_model(model_dir: Path, corpus_dir: Path, realnews: Path) -> dict[str, float]:
    """Macro-F1 of a saved model on dev, test and (when present) real news."""
    classifier = StanceClassifier.from_pretrained(model_dir, backend="torch")
    labels = list(classifier.labels)
    sets = set_probabilities(classifier, corpus_dir, realnews)
    return {name: summary(gold, probs.argmax(axis=1).tolist(), labels)["macro_f1"]
            for name, (gold, probs) in sets.items()}


def main(argv: list[str] | None = None) -> int:
    args, fixed = parse(argv)
    axes = []
    for spec in args.vary:
        field, _, values = spec.partition("=")
        axes.append([(field, value) for value in values.split(",")])
    rows = []
    for combo in itertools.product(*axes):
        name = "_".join(f"{f.replace('.', '-')}-{v}" for f, v in combo)
        overrides = {**fixed, **dict(combo), "output_dir": str(args.out / name)}
        config = load_config(args.config, overrides)
        metrics = run(config, progress=False, config_name=args.config.stem)
        scores = score_model(Path(config.output_dir), Path(config.corpus_dir), args.realnews)
        rows.append({"variant": name, **scores, "train_seconds": metrics.get("train_seconds")})
    columns = ["dev", "test", "realnews"]
    print("| variant | " + " | ".join(columns) + " | train s |")
    print("|---|" + "---|" * (len(columns) + 1))
    for row in rows:
        cells = " | ".join(f"{row[c]:.4f}" if c in row else "-" for c in columns)
        print(f"| {row['variant']} | {cells} | {row['train_seconds']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
