"""Check the corpus files: schema, offsets, labels, ids, splits, near-duplicates, leakage.

Every problem is reported as ``file:line: message``. The checks that make the corpus unusable
(schema, offsets, labels, duplicate ids, overlap with evaluation-only text, split leakage, files out
of sync with their sources) are errors; the size and balance targets of the corpus are printed as a
table of PASS/FAIL lines by :mod:`training.corpus.stats`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from training.corpus.build import SPLITS, UNSEEN_DISPUTES, build_splits, dump_jsonl
from training.corpus.markup import KINDS, STANCES

REQUIRED_ARTICLE = {"id": str, "source": str, "date": str, "dispute": str, "text": str, "quotes": list}
REQUIRED_UNIT = {"start": int, "end": int, "text": str, "kind": str, "speaker": str, "stance": str}
SHINGLE_WORDS = 12
NEAR_DUPLICATE_JACCARD = 0.8
MIN_WORDS_FOR_DUPLICATE = 8


@dataclass
class Report:
    """Errors and warnings collected while validating."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_split(path: Path, report: Report) -> list[dict]:
    """Read one JSON Lines file, reporting lines that are not JSON objects."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            report.errors.append(f"{path}:{number}: not JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            report.errors.append(f"{path}:{number}: a line must be a JSON object")
            continue
        record["_where"] = f"{path.name}:{number}"
        records.append(record)
    return records


def read_jsonl(path: Path) -> list[dict]:
    """Read one JSON Lines file of objects; raise ValueError naming the first bad line."""
    report = Report()
    records = read_split(path, report)
    if report.errors:
        raise ValueError(report.errors[0])
    return records


def _check_types(obj: dict, required: dict, where: str, report: Report) -> bool:
    ok = True
    for key, kind in required.items():
        if key not in obj:
            report.errors.append(f"{where}: missing field {key!r}")
            ok = False
        elif not isinstance(obj[key], kind) or (kind is int and isinstance(obj[key], bool)):
            report.errors.append(f"{where}: {key!r} should be {kind.__name__}")
            ok = False
    return ok


def check_unit(unit: dict, text: str, where: str, report: Report) -> None:
    """Schema, offsets and label of one unit."""
    if not isinstance(unit, dict) or not _check_types(unit, REQUIRED_UNIT, where, report):
        return
    start, end = unit["start"], unit["end"]
    if not 0 <= start < end <= len(text):
        report.errors.append(f"{where}: offsets {start}:{end} outside the text ({len(text)} chars)")
    elif text[start:end] != unit["text"]:
        report.errors.append(f"{where}: text[{start}:{end}] is {text[start:end]!r}, not the unit text")
    if unit["kind"] not in KINDS:
        report.errors.append(f"{where}: kind {unit['kind']!r} is not one of {KINDS}")
    if unit["stance"] not in STANCES:
        report.errors.append(f"{where}: stance {unit['stance']!r} is not one of {STANCES}")
    if not unit["speaker"].strip():
        report.errors.append(f"{where}: empty speaker")
    if "tiebreak" in unit and unit["tiebreak"] not in range(1, 7):
        report.errors.append(f"{where}: tiebreak {unit['tiebreak']!r} must be 1 to 6")
    if "hard" in unit and not isinstance(unit["hard"], bool):
        report.errors.append(f"{where}: hard must be true or false")
    if unit.get("tiebreak") == 6 and unit["stance"] != "neutral":
        report.errors.append(f"{where}: tiebreak 6 sends undecidable units to neutral, but the stance "
                             f"is {unit['stance']!r}: label it neutral, or name the rule that decided it")


def check_article(record: dict, report: Report) -> None:
    """Schema of one article and of each of its units; units sorted and not overlapping."""
    where = record["_where"]
    if not _check_types(record, REQUIRED_ARTICLE, where, report):
        return
    if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", record["date"]):
        report.errors.append(f"{where}: date {record['date']!r} is not YYYY-MM-DD")
    previous_end = -1
    for index, unit in enumerate(record["quotes"]):
        unit_where = f"{where} ({record['id']} unit {index})"
        check_unit(unit, record["text"], unit_where, report)
        if isinstance(unit, dict) and isinstance(unit.get("start"), int):
            if unit["start"] < previous_end:
                report.errors.append(f"{unit_where}: overlaps or precedes the unit before it")
            previous_end = max(previous_end, unit.get("end", 0))


def check_ids_and_splits(splits: dict[str, list[dict]], report: Report) -> None:
    """Unique ids; unseen disputes only in ``unseen``; no dispute of ``unseen`` elsewhere."""
    seen: dict[str, str] = {}
    for records in splits.values():
        for record in records:
            article_id = record.get("id")
            if article_id in seen:
                report.errors.append(f"{record['_where']}: id {article_id!r} also in {seen[article_id]}")
            seen[article_id] = record["_where"]
    unseen = {record.get("dispute") for record in splits.get("unseen", [])}
    for name in ("train", "dev", "test"):
        for record in splits.get(name, []):
            if record.get("dispute") in unseen | set(UNSEEN_DISPUTES):
                report.errors.append(
                    f"{record['_where']}: dispute {record['dispute']!r} belongs to the unseen split"
                )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _shingles(words: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def check_near_duplicates(records: list[dict], report: Report) -> list[tuple[str, str]]:
    """Units whose word 3-shingles overlap by Jaccard >= 0.8 with another unit's."""
    units = []
    for record in records:
        for unit in record.get("quotes", []):
            words = _words(unit.get("text", ""))
            if len(words) >= MIN_WORDS_FOR_DUPLICATE:
                units.append((f"{record['id']}@{unit['start']}", _shingles(words, 3)))
    index: dict[tuple[str, ...], list[int]] = {}
    for position, (_, shingles) in enumerate(units):
        for shingle in shingles:
            index.setdefault(shingle, []).append(position)
    pairs = []
    for position, (name, shingles) in enumerate(units):
        counts: dict[int, int] = {}
        for shingle in shingles:
            for other in index[shingle]:
                if other > position:
                    counts[other] = counts.get(other, 0) + 1
        for other, shared in counts.items():
            union = len(shingles) + len(units[other][1]) - shared
            if shared / union >= NEAR_DUPLICATE_JACCARD:
                pairs.append((name, units[other][0]))
    return pairs


def check_leakage(records: list[dict], shared_dir: Path, report: Report) -> None:
    """No 12-word passage of the evaluation-only texts in ``shared_dir`` may appear in the corpus."""
    files = list(shared_dir.glob("realnews/*.jsonl")) + list(shared_dir.glob("external/*.jsonl"))
    if not files:
        report.warnings.append(f"{shared_dir}: no evaluation texts found; leakage not checked")
        return
    forbidden: set[tuple[str, ...]] = set()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                forbidden |= _shingles(json.loads(line)["text"].lower().split(), SHINGLE_WORDS)
    for record in records:
        hits = _shingles(record.get("text", "").lower().split(), SHINGLE_WORDS) & forbidden
        if hits:
            sample = " ".join(next(iter(hits)))
            report.errors.append(
                f"{record['_where']}: shares {len(hits)} 12-word passages with evaluation-only "
                f"text in {shared_dir} (e.g. {sample!r}); rewrite it"
            )


def check_sync(seeds_dir: Path, report: Report) -> None:
    """The JSON Lines files must be exactly what ``build`` makes from ``seeds/src``."""
    for name, records in build_splits(seeds_dir).items():
        path = seeds_dir / f"{name}.jsonl"
        if not path.exists() or path.read_text(encoding="utf-8") != dump_jsonl(records):
            report.errors.append(
                f"{path}: out of date with seeds/src; run `python -m training.corpus build`"
            )


def validate(seeds_dir: Path, shared_dir: Path | None) -> tuple[Report, dict[str, list[dict]]]:
    """Run every check; return the report and the records per split."""
    report = Report()
    splits = {}
    for name in SPLITS:
        path = seeds_dir / f"{name}.jsonl"
        if not path.exists():
            report.errors.append(f"{path}: missing; run `python -m training.corpus build`")
            splits[name] = []
            continue
        splits[name] = read_split(path, report)
        for record in splits[name]:
            check_article(record, report)
    records = [record for name in SPLITS for record in splits[name]]
    check_ids_and_splits(splits, report)
    report.near_duplicates = check_near_duplicates(records, report)
    for first, second in report.near_duplicates:
        report.warnings.append(f"near-duplicate units: {first} and {second}")
    if shared_dir is not None and shared_dir.exists():
        check_leakage(records, shared_dir, report)
    check_sync(seeds_dir, report)
    return report, splits
