"""The steps of the label audit that touch files: out-of-fold predictions, packets, records.

See :mod:`training.corpus.audit` for the procedure. ``flag`` trains one model per fold with the
given config (about 4 minutes a fold on two CPU cores with the default config).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from training.corpus.audit import AuditRow, changes_of, fold_of, relabel_source, select
from training.corpus.build import dump_jsonl
from training.corpus.validate import read_jsonl


def read_rows(path: Path, row_type: type, check: Callable[[dict], str | None] | None = None) -> list:
    """The rows of a record as ``row_type`` dataclasses (extra keys, such as reasons, stay in the
    file); ``check`` may return a problem with a row. Errors name the file and line."""
    rows = read_jsonl(path)
    fields = list(row_type.__dataclass_fields__)
    for row in rows:
        missing = [key for key in fields if key not in row]
        if missing:
            raise ValueError(f"{row['_where']}: missing {', '.join(missing)}; a record row has "
                             f"{', '.join(fields)}")
        problem = check(row) if check else None
        if problem:
            raise ValueError(f"{row['_where']}: {problem}")
    return [row_type(**{key: row[key] for key in fields}) for row in rows]


def read_record(path: Path) -> list[AuditRow]:
    """An audit record (one JSON object per audited unit); errors name the file and line."""
    return read_rows(path, AuditRow)


def write_folds(articles: list[dict], seeds_dir: Path, out_dir: Path, folds: int) -> list[Path]:
    """Corpus folders whose train split leaves out one fold of the train ``articles`` (the fold
    becomes their test split); dev stays the corpus dev split, for model selection."""
    articles = [{k: v for k, v in a.items() if k != "_where"} for a in articles]
    dev = (seeds_dir / "dev.jsonl").read_text(encoding="utf-8")
    dirs = []
    for fold in range(folds):
        folder = out_dir / f"fold{fold}"
        folder.mkdir(parents=True, exist_ok=True)
        held = [a for a in articles if fold_of(a["id"], folds) == fold]
        kept = [a for a in articles if fold_of(a["id"], folds) != fold]
        (folder / "train.jsonl").write_text(dump_jsonl(kept), encoding="utf-8")
        (folder / "test.jsonl").write_text(dump_jsonl(held), encoding="utf-8")
        (folder / "dev.jsonl").write_text(dev, encoding="utf-8")
        dirs.append(folder)
    return dirs


def predict_held_out(model_dir: Path, corpus_dir: Path) -> list[dict]:
    """Out-of-fold predictions for every unit of the fold's held-out articles."""
    from stance.model import StanceClassifier
    from training.data import article_examples

    classifier = StanceClassifier.from_pretrained(model_dir, backend="torch")
    units = []
    for article in read_jsonl(corpus_dir / "test.jsonl"):
        examples = article_examples(article, classifier.context_chars)
        if not examples:
            continue
        probs = classifier.predict_proba([e.quote for e in examples], [e.context for e in examples])
        for index, (quote, row) in enumerate(zip(article["quotes"], probs, strict=True)):
            best = int(row.argmax())
            units.append({"id": article["id"], "n": index, "span": quote["text"],
                          "speaker": quote["speaker"], "kind": quote["kind"],
                          "gold": quote["stance"], "pred": classifier.labels[best],
                          "score": float(row[best]), "hard": bool(quote.get("hard")),
                          "tiebreak": quote.get("tiebreak")})
    return units


def write_packets(units: list[dict], texts: dict[str, str], out_dir: Path, packets: int,
                  seed: int = 7) -> None:
    """Annotation packets: each article's plain text (``texts`` by id), then its audited units
    without labels."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for unit in units:
        by_article[unit["id"]].append(unit)
    ids = sorted(by_article)
    random.Random(seed).shuffle(ids)
    for number in range(packets):
        chunks = []
        for article in sorted(ids[number::packets]):
            chunks.append(f"\n\n======== ARTICLE {article} ========\n{texts[article]}\n\n"
                          f"--- units to label in {article} ---\n")
            for unit in sorted(by_article[article], key=lambda u: u["n"]):
                chunks.append(f"{article}#{unit['n']} | speaker: {unit['speaker']} | "
                              f"kind: {unit['kind']}\n    span: «{unit['span']}»\n")
        (out_dir / f"packet-{number}.md").write_text("".join(chunks), encoding="utf-8")


def flag(seeds_dir: Path, out_dir: Path, *, config: Path, folds: int, min_score: float,
         packets: int) -> tuple[int, int]:
    """Train the folds, predict, select flagged units and controls, write packets and units."""
    from training.train import main as train_main

    out_dir.mkdir(parents=True, exist_ok=True)
    articles = read_jsonl(seeds_dir / "train.jsonl")
    units = []
    for fold, corpus_dir in enumerate(write_folds(articles, seeds_dir, out_dir, folds)):
        model_dir = out_dir / f"model{fold}"
        status = train_main(["--config", str(config), "--corpus_dir", str(corpus_dir),
                             "--output_dir", str(model_dir), "--no-progress"])
        if status:
            raise RuntimeError(f"training fold {fold} failed with status {status}")
        units += predict_held_out(model_dir, corpus_dir)
    flagged, controls = select(units, min_score)
    for unit in controls:
        unit["control"] = True
    audited = flagged + controls
    (out_dir / "units.jsonl").write_text(dump_jsonl(audited), encoding="utf-8")
    write_packets(audited, {a["id"]: a["text"] for a in articles}, out_dir, packets)
    return len(flagged), len(controls)


def apply_record(rows: list[AuditRow], src_dir: Path) -> int:
    """Relabel the source files as the record decides; return the number of units changed.
    Units of articles no longer in the sources are skipped."""
    return apply_changes(changes_of(rows), src_dir, by="the label audit")


def apply_changes(changes: dict[tuple[str, int], tuple[str, str, str]], src_dir: Path, *,
                  by: str) -> int:
    """Apply ``{(article id, unit index): (span, old, new)}`` to every source file; return the
    number of units changed (see :func:`training.corpus.audit.relabel_source`)."""
    changed = 0
    for path in sorted(src_dir.glob("*.txt")):
        source = path.read_text(encoding="utf-8")
        new, count = relabel_source(source, changes, by=by)
        if count:
            path.write_text(new, encoding="utf-8")
            changed += count
    return changed


def record_rows(units: list[dict], labels: list[dict]) -> list[dict]:
    """Join the audited units with the annotator's labels (``uid`` = ``id#n``) into record rows."""
    by_uid = {row["uid"]: row for row in labels}
    rows = []
    for unit in units:
        label = by_uid[f"{unit['id']}#{unit['n']}"]
        rows.append({"id": unit["id"], "n": unit["n"], "span": unit["span"],
                     "before": unit["gold"], "model": unit["pred"], "score": unit["score"],
                     "auditor": label["stance"], "sure": bool(label.get("sure", True)),
                     "reason": label.get("reason", ""), "control": bool(unit.get("control"))})
    return rows


def write_record(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_jsonl(rows), encoding="utf-8")
