"""Average the scores of several trained models: ``python -m training.ensemble MODEL MODEL ...``.

Each model scores the dev and test splits and the real-news set (when present) with gold spans;
the ensemble's label is the argmax of the mean of their calibrated probabilities. The table shows
each model's macro-F1, their mean, and the ensemble's, so the gain of averaging is read against
the spread of single runs (docs/training.md, "Seed and data-order noise"). The models must share
the label set; the context each model was trained with is used for it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from stance.model import StanceClassifier
from training.compare import set_probabilities
from training.evaluate import REALNEWS
from training.metrics import summary

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("dev", "test", "realnews")


def ensemble_scores(models: list[Path], corpus_dir: Path, realnews: Path) -> list[dict]:
    """One row per model, then the mean of the rows and the averaged-probability ensemble."""
    classifiers = [StanceClassifier.from_pretrained(m, backend="torch") for m in models]
    labels0 = list(classifiers[0].labels)
    for model, classifier in zip(models, classifiers, strict=True):
        if list(classifier.labels) != labels0:
            raise ValueError(f"{model}: labels {list(classifier.labels)} differ from {labels0} "
                             f"of {models[0]}; ensemble only models trained on the same labels")
    rows, sums = [], {}
    for model, classifier in zip(models, classifiers, strict=True):
        row = {"model": str(model)}
        for name, (gold, probs) in set_probabilities(classifier, corpus_dir, realnews).items():
            row[name] = summary(gold, probs.argmax(axis=1).tolist(), labels0)["macro_f1"]
            total = sums.setdefault(name, [gold, np.zeros_like(probs)])
            total[1] = total[1] + probs
        rows.append(row)
    mean = {"model": f"mean of the {len(rows)} models"}
    mean.update({n: float(np.mean([r[n] for r in rows])) for n in sums})
    joint = {"model": "ensemble (mean probabilities)"}
    joint.update({n: summary(gold, total.argmax(axis=1).tolist(), labels0)["macro_f1"]
                  for n, (gold, total) in sums.items()})
    return rows + [mean, joint]


def table(rows: list[dict]) -> str:
    lines = ["| model | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = " | ".join(f"{row[c]:.4f}" if c in row else "-" for c in COLUMNS)
        lines.append(f"| {row['model']} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.ensemble", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", type=Path, nargs="+", help="trained model folders")
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    parser.add_argument("--realnews", type=Path, default=REALNEWS,
                        help="real-news gold (evaluation only); skipped when absent")
    args = parser.parse_args(argv)
    if len(args.models) < 2:
        parser.error(f"got {len(args.models)} model; give two or more model folders")
    print(table(ensemble_scores(args.models, args.corpus, args.realnews)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
