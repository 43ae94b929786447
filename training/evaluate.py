"""Evaluate a model on held-out articles: ``python -m training.evaluate --model models/default``.

Writes ``reports/<model>/report.md``, ``report.json`` and PNG figures, and prints the summary
table. Sets: the corpus ``test`` and ``unseen`` splits, the seed article, and the real-news gold in
``../shared/realnews/`` when present (evaluation only). Units are scored with gold spans; the
end-to-end score (extracted units matched to gold by the overlap rule) is reported beside it.
Baselines are trained on the same train split and scored on the same units in the same run.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

from stance.context import unit_context
from stance.model import StanceClassifier
from training.baselines import BASELINES
from training.data import Example, article_examples, read_articles, split_path
from training.metrics import summary
from training.report import printed_tables, render_report, update_model_card
from training.scoring import overlap_match, score_predictions
from training.targets import check_targets

logger = logging.getLogger("training.evaluate")
ROOT = Path(__file__).resolve().parents[1]
REALNEWS = ROOT.parent / "shared" / "realnews" / "realnews-dev.jsonl"


def evaluation_sets(corpus_dir: Path, realnews: Path | None, labels: list[str]) -> dict[str, list]:
    """Articles per set; sets whose file is absent are skipped with a log line."""
    files = {"test": split_path(corpus_dir, "test"), "unseen": split_path(corpus_dir, "unseen"),
             "seed": corpus_dir / "seed-000.gold.jsonl"}
    if realnews is not None:
        files["realnews"] = realnews
    sets = {}
    for name, path in files.items():
        if path.exists():
            sets[name] = read_articles(path, labels)
        else:
            logger.warning("skipping %s: %s not found", name, path)
    return sets


def model_probs(classifier: StanceClassifier, examples: list[Example]) -> np.ndarray:
    return classifier.predict_proba([ex.quote for ex in examples],
                                    [ex.context for ex in examples])


def end_to_end(classifier: StanceClassifier, articles: list[dict], labels: list[str]) -> dict:
    """Extract units, classify them, match them to gold; score spans and labels together."""
    from stance.quotes import extract_quotes

    gold_labels, pred_labels = [], []
    n_pred = n_gold = n_correct = 0
    for article in articles:
        text = article["text"]
        found = extract_quotes(text)
        probs = classifier.predict_proba([q.text for q in found],
                                         [unit_context(text, q.start, q.end, classifier.context_chars)
                                          for q in found])
        gold = article["quotes"]
        pairs = overlap_match([(q.start, q.end) for q in found], [(g["start"], g["end"]) for g in gold])
        n_pred, n_gold = n_pred + len(found), n_gold + len(gold)
        for p, g in pairs:
            predicted = labels[int(probs[p].argmax())]
            gold_labels.append(labels.index(gold[g]["stance"]))
            pred_labels.append(labels.index(predicted))
            n_correct += predicted == gold[g]["stance"]
    precision = n_correct / n_pred if n_pred else 0.0
    recall = n_correct / n_gold if n_gold else 0.0
    matched = summary(gold_labels, pred_labels, labels)
    return {
        "matched_units": len(gold_labels), "predicted_units": n_pred, "gold_units": n_gold,
        "label_precision": precision, "label_recall": recall,
        "label_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "matched_macro_f1": matched["macro_f1"],
    }


def run_baselines(train: list[Example], examples: dict[str, list[Example]], labels: list[str],
                  names: list[str], rounds: int) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name in names:
        started = time.perf_counter()
        predictor = BASELINES[name](train, labels)
        results[name] = {
            set_name: score_predictions(units, predictor(units), labels, rounds=rounds,
                                        detail=False)
            for set_name, units in examples.items()
        }
        logger.info("baseline %s: %.1f s", name, time.perf_counter() - started)
    return results


def evaluate(model_dir: Path, *, corpus_dir: Path, realnews: Path | None, out_dir: Path,
             baselines: list[str], backend: str = "torch", rounds: int = 1000,
             with_end_to_end: bool = True, figures: bool = True) -> dict:
    """Score the model and the baselines on every set; write the report files; return the data."""
    classifier = StanceClassifier.from_pretrained(model_dir, backend=backend)
    labels = list(classifier.labels)
    sets = evaluation_sets(corpus_dir, realnews, labels)
    budget = classifier.context_chars
    examples = {name: [ex for a in arts for ex in article_examples(a, budget)]
                for name, arts in sets.items()}
    report: dict = {"model": str(model_dir), "backend": backend, "labels": labels, "sets": {},
                    "end_to_end": {}, "baselines": {}}
    for name, units in examples.items():
        report["sets"][name] = score_predictions(units, model_probs(classifier, units), labels,
                                                 rounds=rounds)
        if with_end_to_end:
            report["end_to_end"][name] = end_to_end(classifier, sets[name], labels)
    if baselines:
        train = [ex for a in read_articles(split_path(corpus_dir, "train"), labels)
                 for ex in article_examples(a, budget)]
        report["baselines"] = run_baselines(train, examples, labels, baselines, rounds)
    report["targets"] = check_targets(report)
    out_dir.mkdir(parents=True, exist_ok=True)
    if figures:
        from training.figures import write_figures

        report["figures"] = write_figures(report, out_dir)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out_dir / "report.md").write_text(render_report(report), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    parser.add_argument("--realnews", type=Path, default=REALNEWS,
                        help="real-news gold (evaluation only); skipped when absent")
    parser.add_argument("--out", type=Path, help="report folder (default: reports/<model name>)")
    parser.add_argument("--baselines", default=",".join(BASELINES),
                        help=f"comma-separated subset of {', '.join(BASELINES)}, or 'none'")
    parser.add_argument("--backend", default="torch", choices=("auto", "torch", "int8", "onnx", "onnx-int8"))
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap rounds for the CI")
    parser.add_argument("--no-end-to-end", action="store_true")
    parser.add_argument("--no-figures", action="store_true")
    parser.add_argument("--update-card", action="store_true",
                        help="write the summary table into the model's README.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    names = [] if args.baselines == "none" else [n for n in args.baselines.split(",") if n]
    unknown = [n for n in names if n not in BASELINES]
    if unknown:
        parser.error(f"unknown baseline(s) {unknown}; choose from {', '.join(BASELINES)}")
    out = args.out or ROOT / "reports" / args.model.name
    report = evaluate(args.model, corpus_dir=args.corpus, realnews=args.realnews, out_dir=out,
                      baselines=names, backend=args.backend, rounds=args.bootstrap,
                      with_end_to_end=not args.no_end_to_end, figures=not args.no_figures)
    table = printed_tables(report)
    print(table)
    print(f"\nreport: {out / 'report.md'}")
    if args.update_card:
        update_model_card(args.model / "README.md", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
