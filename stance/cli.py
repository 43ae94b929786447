"""The ``stance`` command: classify articles, render them as HTML, train and evaluate models."""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

FORMATS = ("table", "json", "jsonl", "csv")
# The backends of stance.model.BACKENDS, repeated so that `stance --help` does not import numpy
# and the model code (tests/test_fast.py checks that the two agree).
BACKENDS = ("auto", "torch", "int8", "onnx", "onnx-int8")
CSV_FIELDS = ("article", "start", "end", "kind", "speaker", "cue", "label", "score", "text")


def read_articles(paths: list[str]) -> Iterator[tuple[str, str]]:
    """(name, text) for each input: ``-`` is stdin; a ``.jsonl`` file gives one article a line
    (its ``text`` field, named by its ``id``); any other file is one article."""
    for path in paths:
        if path == "-":
            yield "<stdin>", sys.stdin.read()
            continue
        file = Path(path)
        if not file.is_file():
            raise SystemExit(f"stance: {path}: no such file")
        content = file.read_text(encoding="utf-8", errors="replace")
        if file.suffix != ".jsonl":
            yield path, content
            continue
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit(f"stance: {path}:{number}: not JSON ({error.msg})") from error
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise SystemExit(f"stance: {path}:{number}: expected an object with a 'text' string")
            yield str(record.get("id", f"{path}:{number}")), record["text"]


def _table(name: str, result) -> str:
    lines = [f"== {name}: {len(result.units)} units"]
    for unit in result.units:
        speaker = (unit.speaker or "?")[:28]
        text = unit.text.replace("\n", " ")
        text = text if len(text) <= 70 else text[:67] + "..."
        lines.append(f"{unit.label:9s} {unit.score:.2f}  {unit.kind:8s} {speaker:28s} {text}")
    if result.speakers:
        lines.append("-- speakers (units, dialogue-pressure balance):")
        for speaker in result.speakers:
            balance = "n/a" if speaker.balance is None else f"{speaker.balance:+.2f}"
            counts = ", ".join(f"{k} {v}" for k, v in speaker.counts.items() if v)
            lines.append(f"   {speaker.speaker[:40]:40s} {speaker.units:3d}  {balance}  ({counts})")
    return "\n".join(lines)


def write_results(named: list[tuple[str, object]], fmt: str, out) -> None:
    if fmt == "json":
        json.dump([{"article": n, **r.to_dict()} for n, r in named], out, ensure_ascii=False,
                  indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for name, result in named:
            out.write(json.dumps({"article": name, **result.to_dict()}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for name, result in named:
            for unit in result.units:
                writer.writerow({"article": name, **unit.to_dict()})
    else:
        out.write("\n\n".join(_table(n, r) for n, r in named) + "\n")


def _classifier(args):
    from stance.api import default_backend, default_model_path
    from stance.model import StanceClassifier

    return StanceClassifier.from_pretrained(args.model or default_model_path(),
                                            backend=args.backend or default_backend(),
                                            batch_size=args.batch_size)


def cmd_classify(args) -> int:
    from stance.api import classify

    articles = list(read_articles(args.files))
    classifier = _classifier(args)
    results = classify([text for _, text in articles], model=classifier,
                       all_scores=args.all_scores, progress=len(articles) > 1 and not args.quiet)
    named = [(name, result) for (name, _), result in zip(articles, results, strict=True)]
    if not args.output:
        write_results(named, args.format, sys.stdout)
        return 0
    with open(args.output, "w", encoding="utf-8", newline="") as out:
        write_results(named, args.format, out)
    return 0


def cmd_html(args) -> int:
    from stance.api import classify
    from stance.html import render_html

    articles = list(read_articles([args.file]))
    if not articles:
        raise SystemExit(f"stance: {args.file}: no article in it")
    name, text = articles[0]
    result = classify(text, model=_classifier(args), all_scores=True)
    Path(args.output).write_text(render_html(text, result, title=Path(name).name),
                                 encoding="utf-8")
    print(f"wrote {args.output} ({len(result.units)} units)")
    return 0


def forward_to_training(module: str, argv: list[str]) -> int:
    """Run ``python -m training.<module>`` in this process, or explain what is missing."""
    if importlib.util.find_spec("training") is None:
        print("stance: training runs from a clone of the repository (it needs seeds/ and "
              "configs/): in it, `pip install '.[train]'` and run `stance "
              f"{module.split('.')[-1]}` there.", file=sys.stderr)
        return 2
    missing = [m for m in ("peft", "sklearn", "yaml") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"stance: missing {', '.join(missing)}; install the extra: pip install '.[train]'",
              file=sys.stderr)
        return 2
    entry = importlib.import_module(f"training.{module}")
    return entry.main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stance", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def model_options(p):
        p.add_argument("--model", help="model directory (default: bundled model or $STANCE_MODEL)")
        p.add_argument("--backend", default=None, choices=BACKENDS,
                       help="inference engine (default: $STANCE_BACKEND or auto: ONNX Runtime int8 "
                            "on the CPU when installed, else torch; see docs/performance.md)")
        p.add_argument("--batch-size", type=int, default=32)

    c = sub.add_parser("classify", help="classify the quoted statements of articles")
    c.add_argument("files", nargs="+", help="text files, .jsonl files of {'id','text'}, or -")
    c.add_argument("--format", default="table", choices=FORMATS)
    c.add_argument("--all-scores", action="store_true", help="every label's probability")
    c.add_argument("-o", "--output", help="write here instead of standard output")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    model_options(c)
    h = sub.add_parser("html", help="render an article with its units highlighted")
    h.add_argument("file")
    h.add_argument("-o", "--output", required=True)
    model_options(h)
    sub.add_parser("train", help="fine-tune a model (python -m training.train)", add_help=False)
    sub.add_parser("evaluate", help="evaluate a model (python -m training.evaluate)",
                   add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("train", "evaluate"):
        return forward_to_training(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    if sys.stdout.encoding and sys.stdout.encoding.lower() not in ("utf-8", "utf8"):
        sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
    return cmd_classify(args) if args.command == "classify" else cmd_html(args)


if __name__ == "__main__":
    sys.exit(main())
