"""Rendering an evaluation report as Markdown, and its summary table."""

from __future__ import annotations

from pathlib import Path

from training.model_card import EVAL_BEGIN, EVAL_END
from training.targets import error_lines, targets_table


def _f(value: float) -> str:
    return f"{value:.3f}"


def summary_table(report: dict) -> str:
    """Macro-F1 [95% CI] of the model and every baseline on every set, plus ECE and end-to-end."""
    sets = list(report["sets"])
    header = "| model | " + " | ".join(sets) + " |"
    rows = [header, "|---|" + "---|" * len(sets)]

    def cells(results: dict) -> str:
        out = []
        for name in sets:
            r = results.get(name)
            out.append("-" if r is None else
                       f"{_f(r['macro_f1'])} [{_f(r['macro_f1_ci95'][0])}, {_f(r['macro_f1_ci95'][1])}]")
        return " | ".join(out)

    rows.append(f"| stance ({report['backend']}) | {cells(report['sets'])} |")
    for name, results in report.get("baselines", {}).items():
        rows.append(f"| {name} | {cells(results)} |")
    rows.append("| ECE (stance, calibrated) | "
                + " | ".join(_f(report["sets"][s]["ece"]) for s in sets) + " |")
    if report.get("end_to_end"):
        rows.append("| end-to-end label F1 (extracted units) | "
                    + " | ".join(_f(report["end_to_end"][s]["label_f1"]) if s in report["end_to_end"]
                                 else "-" for s in sets) + " |")
    return "Macro-F1 [95% bootstrap CI over articles], gold spans:\n\n" + "\n".join(rows)


def printed_tables(report: dict) -> str:
    """What the evaluate command prints and writes into the model card: the summary table,
    then the targets table when a set could be judged."""
    targets = targets_table(report.get("targets"))
    return summary_table(report) + (f"\n\n{targets}" if targets else "")


def _per_label(result: dict) -> list[str]:
    lines = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, row in result["per_label"].items():
        lines.append(f"| {label} | {_f(row['precision'])} | {_f(row['recall'])} | "
                     f"{_f(row['f1'])} | {row['support']} |")
    lines.append(f"\nmacro-F1 {_f(result['macro_f1'])} (95% CI {_f(result['macro_f1_ci95'][0])}-"
                 f"{_f(result['macro_f1_ci95'][1])}), accuracy {_f(result['accuracy'])}, "
                 f"ECE {_f(result['ece'])}, units {result['support']}")
    return lines


def _confusion(result: dict, labels: list[str]) -> list[str]:
    lines = ["| gold \\ predicted | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for label, row in zip(labels, result["confusion"], strict=True):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    return lines


def _breakdown(title: str, data: dict) -> list[str]:
    lines = [f"\n{title}\n", "| group | units | macro-F1 | accuracy |", "|---|---|---|---|"]
    for name, row in data.items():
        lines.append(f"| {name} | {row['support']} | {_f(row['macro_f1'])} | {_f(row['accuracy'])} |")
    return lines


def _errors(result: dict) -> list[str]:
    lines = ["\nMost confident errors:\n"]
    for error in result["confident_errors"]:
        lines.append(f"- **{error['gold']} → {error['predicted']}** ({error['score']:.2f}, "
                     f"{error['article']}): “{error['text']}”  \n  context: {error['context']}")
    return lines


def render_report(report: dict) -> str:
    labels = report["labels"]
    lines = [f"# Evaluation of `{report['model']}` ({report['backend']})", "",
             summary_table(report), ""]
    check = report.get("targets")
    if check:
        lines += ["## Targets", "", targets_table(check), ""] + error_lines(check) + [""]
    e2e = report.get("end_to_end", {})
    if e2e:
        lines += ["## End to end (extracted units, overlap rule)", "",
                  "| set | gold units | extracted | matched | label P | label R | label F1 | "
                  "macro-F1 on matched |", "|---|---|---|---|---|---|---|---|"]
        for name, row in e2e.items():
            lines.append(f"| {name} | {row['gold_units']} | {row['predicted_units']} | "
                         f"{row['matched_units']} | {_f(row['label_precision'])} | "
                         f"{_f(row['label_recall'])} | {_f(row['label_f1'])} | "
                         f"{_f(row['matched_macro_f1'])} |")
        lines.append("")
    for name, result in report["sets"].items():
        lines += [f"## {name}", ""] + _per_label(result) + [""] + _confusion(result, labels)
        figures = report.get("figures", {}).get(name, {})
        for title, path in figures.items():
            lines.append(f"\n![{title} ({name})]({path})")
        lines += _breakdown("By unit kind:", result["by_kind"])
        lines += _breakdown("Hard units (annotators disagreed or marked doubt):", result["by_hard"])
        lines += _breakdown("By dispute:", result["by_dispute"])
        lines += _errors(result) + [""]
    return "\n".join(lines) + "\n"


def update_model_card(card: Path, table: str) -> None:
    """Replace the evaluation block of a model card with ``table``."""
    text = card.read_text(encoding="utf-8")
    if EVAL_BEGIN not in text or EVAL_END not in text:
        raise ValueError(f"{card}: no evaluation markers; was it written by training.train?")
    head, rest = text.split(EVAL_BEGIN, 1)
    _, tail = rest.split(EVAL_END, 1)
    block = (f"{EVAL_BEGIN}\nFrom `python -m training.evaluate --model {card.parent.as_posix()}`:\n\n"
             f"{table}\n{EVAL_END}")
    card.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python -m training.report REPORT.json [--update-card CARD]``: print a saved report's
    summary table, and optionally write it into a model card (no re-evaluation)."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m training.report", description=main.__doc__)
    parser.add_argument("report", type=Path)
    parser.add_argument("--update-card", type=Path, help="a model card README.md to update")
    args = parser.parse_args(argv)
    table = printed_tables(json.loads(args.report.read_text(encoding="utf-8")))
    print(table)
    if args.update_card:
        update_model_card(args.update_card, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
