"""Corpus commands: ``python -m training.corpus {check,build,validate,agreement}``.

- ``check FILE...``: parse authoring sources and print their statistics (for writers).
- ``build``: write ``seeds/{train,dev,test,unseen}.jsonl`` from ``seeds/src`` and the seed gold.
- ``validate``: check schema, offsets, labels, ids, splits, near-duplicates and leakage of
  evaluation-only text, then print the statistics and the targets; exit 1 on any error or FAIL.
- ``agreement``: compare the corpus labels with a second, blind annotator's
  (``seeds/agreement/second-annotator.jsonl``): Cohen's kappa, accuracy, macro-F1, confusion;
  with ``--realnews``, compare our annotator's blind labels of the real-news units with their gold.
- ``words``: label shares of statements that contain a word, in the corpus and in real news.
- ``audit {flag,apply,summary}``: the label audit (:mod:`training.corpus.audit`): flag train
  units an out-of-fold model disputes and write blind annotation packets; apply an audit record
  to ``seeds/src``; print a record's figures (``seeds/audit/*.jsonl``).
- ``convention {apply,summary}``: the convention pass (:mod:`training.corpus.convention`): apply
  its record to ``seeds/src``, or print its figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from training.corpus.agreement import pair_labels, read_corpus, read_second, report
from training.corpus.audit import changes_of, summary
from training.corpus.audit_run import apply_changes, apply_record, flag, read_record
from training.corpus.build import SEEDS_DIR, write_splits
from training.corpus.check import check_files
from training.corpus.convention import BY, convention_summary, read_convention_record
from training.corpus.markup import MarkupError
from training.corpus.stats import dispute_table, split_table, targets, targets_table, tiebreak_table
from training.corpus.validate import read_jsonl, validate
from training.corpus.words import table, word_sets

DEFAULT_SHARED = SEEDS_DIR.parent.parent / "shared"


def run_validate(seeds_dir: Path, shared_dir: Path | None, show_warnings: int) -> int:
    """Validate, print statistics and targets; return the exit status."""
    report, splits = validate(seeds_dir, shared_dir)
    results = targets(splits, len(report.near_duplicates))
    print("## Splits\n\n" + split_table(splits))
    print("\n## Disputes\n\n" + dispute_table(splits))
    print("\n## Tie-break cases\n\n" + tiebreak_table(splits))
    print("\n## Targets\n\n" + targets_table(results))
    for warning in report.warnings[:show_warnings]:
        print(f"warning: {warning}")
    if len(report.warnings) > show_warnings:
        print(f"... and {len(report.warnings) - show_warnings} more warnings")
    for error in report.errors:
        print(f"ERROR {error}")
    failed = [target.name for target in results if not target.ok]
    status = "FAILED" if report.errors or failed else "OK"
    print(f"\nvalidation {status}: {len(report.errors)} errors, {len(failed)} targets missed")
    return 1 if status == "FAILED" else 0


def run_agreement(seeds_dir: Path, second: Path, realnews: Path | None = None) -> int:
    """Print the agreement tables (against the real-news gold when ``realnews`` is given, and
    skipped when that file is absent); exit 1 when the second annotation does not fit."""
    if realnews is not None and not realnews.exists():
        print(f"skipped: {realnews} not found (the real-news gold is evaluation-only and not shipped)")
        return 0
    try:
        if realnews is None:
            pairs = pair_labels(read_corpus(seeds_dir), read_second(second))
            print(report(pairs))
        else:
            articles = {record["id"]: record for record in read_jsonl(realnews)}
            pairs = pair_labels(articles, read_second(second))
            print(report(pairs, reference="real-news gold",
                         hard="units the gold's annotators disagreed on"))
    except (OSError, ValueError) as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 1
    return 0


def run_audit(args: argparse.Namespace) -> int:
    """The label audit's three steps; exit 1 with a message when an input does not fit."""
    try:
        if args.action == "flag":
            flagged, controls = flag(args.seeds, args.out, config=args.config, folds=args.folds,
                                     min_score=args.min_score, packets=args.packets)
            print(f"{flagged} flagged units and {controls} controls: {args.out}/units.jsonl, "
                  f"packets {args.out}/packet-*.md")
        elif args.action == "apply":
            changed = apply_record(read_record(args.record), args.seeds / "src")
            print(f"{changed} units relabelled in {args.seeds / 'src'}; "
                  "run `python -m training.corpus build`")
        else:
            print(summary(read_record(args.record)))
    except (OSError, ValueError, RuntimeError) as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 1
    return 0


def run_convention(args: argparse.Namespace) -> int:
    """The convention pass: apply its record to the sources, or print its figures."""
    try:
        rows = read_convention_record(args.record)
        if args.action == "apply":
            changed = apply_changes(changes_of(rows), args.seeds / "src", by=BY)
            print(f"{changed} units relabelled in {args.seeds / 'src'}; "
                  "run `python -m training.corpus build`")
        else:
            print(convention_summary(rows))
    except (OSError, ValueError) as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 1
    return 0


def add_convention_parser(sub: argparse._SubParsersAction) -> None:
    convention = sub.add_parser("convention", help="convention pass: apply, summary")
    convention.add_argument("action", choices=("apply", "summary"))
    convention.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    convention.add_argument("--record", type=Path,
                            default=SEEDS_DIR / "audit" / "convention-pass-2026-11.jsonl")


def add_audit_parser(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser("audit", help="label audit: flag, apply, summary")
    audit.add_argument("action", choices=("flag", "apply", "summary"))
    audit.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    audit.add_argument("--record", type=Path, default=SEEDS_DIR / "audit" / "label-audit-2026-11.jsonl",
                       help="audit record to apply or summarise")
    audit.add_argument("--out", type=Path, default=Path("runs/audit"), help="flag: output folder")
    audit.add_argument("--config", type=Path, default=Path("configs/default.yaml"),
                       help="flag: training config of the fold models")
    audit.add_argument("--folds", type=int, default=2, help="flag: out-of-fold splits")
    audit.add_argument("--min-score", type=float, default=0.6,
                       help="flag: lowest score of a disputing prediction")
    audit.add_argument("--packets", type=int, default=8, help="flag: annotation packets")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.corpus", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="parse source files and print their statistics")
    check.add_argument("paths", nargs="+", type=Path)
    build = sub.add_parser("build", help="write the split files from seeds/src")
    build.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    build.add_argument("--out", type=Path, default=None,
                       help="write the split files here instead of --seeds (for ablations)")
    build.add_argument("--drop-from-train", default=None, metavar="GLOB",
                       help="leave articles whose id matches out of the train split only")
    valid = sub.add_parser("validate", help="check the corpus and print its statistics")
    valid.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    valid.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                       help="evaluation-only texts that must not leak into the corpus")
    valid.add_argument("--warnings", type=int, default=20, help="how many warnings to print")
    agree = sub.add_parser("agreement", help="agreement with a second, blind annotator")
    agree.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    agree.add_argument("--second", type=Path, default=None,
                       help="the blind labels (default: seeds/agreement/second-annotator.jsonl, "
                            "or realnews-blind.jsonl with --realnews)")
    agree.add_argument("--realnews", nargs="?", type=Path, default=None, metavar="GOLD",
                       const=DEFAULT_SHARED / "realnews" / "realnews-dev.jsonl",
                       help="compare with the real-news gold instead of the corpus")
    add_audit_parser(sub)
    add_convention_parser(sub)
    words = sub.add_parser("words", help="label shares of statements that contain a word")
    words.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    words.add_argument("--realnews", type=Path,
                       default=DEFAULT_SHARED / "realnews" / "realnews-dev.jsonl")
    args = parser.parse_args(argv)
    if args.command == "words":
        print(table(word_sets(args.seeds, args.realnews)))
        return 0
    if args.command == "audit":
        return run_audit(args)
    if args.command == "convention":
        return run_convention(args)
    if args.command == "agreement":
        default = "realnews-blind.jsonl" if args.realnews else "second-annotator.jsonl"
        second = args.second or args.seeds / "agreement" / default
        return run_agreement(args.seeds, second, args.realnews)
    if args.command == "check":
        return 1 if check_files(args.paths) else 0
    if args.command == "build":
        try:
            counts = write_splits(args.seeds, args.out, args.drop_from_train)
        except MarkupError as error:
            print(f"ERROR {error}", file=sys.stderr)
            return 1
        print(", ".join(f"{name}: {count} articles" for name, count in counts.items()))
        return 0
    return run_validate(args.seeds, args.shared, args.warnings)


if __name__ == "__main__":
    sys.exit(main())
