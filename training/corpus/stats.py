"""Statistics of the corpus and the targets it must meet, printed as Markdown tables."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from training.corpus.build import SPLITS


@dataclass(frozen=True)
class Target:
    """One requirement of the corpus: a name, the measured value and whether it holds."""

    name: str
    value: str
    ok: bool


def _units(records: list[dict]) -> list[dict]:
    return [unit for record in records for unit in record.get("quotes", [])]


def _share(counter: Counter, key: str, total: int) -> float:
    return counter.get(key, 0) / total if total else 0.0


def targets(splits: dict[str, list[dict]], near_duplicates: int) -> list[Target]:
    """Measure every size and balance target of the corpus."""
    records = [record for name in SPLITS for record in splits.get(name, [])]
    written = [record for record in records if not record["id"].startswith("seed-")]
    units = _units(records)
    total = len(units)
    kinds = Counter(unit["kind"] for unit in units)
    stances = Counter(unit["stance"] for unit in units)
    tiebreaks = sum(1 for unit in units if "tiebreak" in unit)
    disputes = {record["dispute"] for record in records}
    speakers = {unit["speaker"].casefold() for unit in units}
    unseen = splits.get("unseen", [])
    unseen_disputes = {record["dispute"] for record in unseen}
    words = [len(record["text"].split()) for record in written]
    seed_in_test = any(record["id"].startswith("seed-") for record in splits.get("test", []))
    shares = {name: len(splits.get(name, [])) / max(len(records) - len(unseen), 1) for name in SPLITS}
    return [
        Target("articles written for the project >= 300", str(len(written)), len(written) >= 300),
        Target("annotated units >= 3,000", f"{total:,}", total >= 3000),
        Target("direct >= 35%", f"{_share(kinds, 'direct', total):.1%}",
               _share(kinds, "direct", total) >= 0.35),
        Target("indirect >= 25%", f"{_share(kinds, 'indirect', total):.1%}",
               _share(kinds, "indirect", total) >= 0.25),
        Target("mixed >= 5%", f"{_share(kinds, 'mixed', total):.1%}",
               _share(kinds, "mixed", total) >= 0.05),
        *[
            Target(f"{label} >= 20%", f"{_share(stances, label, total):.1%}",
                   _share(stances, label, total) >= 0.20)
            for label in ("dialogue", "pressure", "neutral")
        ],
        Target("tie-break cases >= 10%", f"{tiebreaks / max(total, 1):.1%}",
               tiebreaks >= 0.10 * total),
        Target("disputes >= 20", str(len(disputes)), len(disputes) >= 20),
        Target("distinct speakers >= 150", str(len(speakers)), len(speakers) >= 150),
        Target("article length 150-1,000 words", f"{min(words, default=0)}-{max(words, default=0)}",
               bool(words) and min(words) >= 150 and max(words) <= 1000),
        Target("unseen split: >= 3 disputes, >= 30 articles",
               f"{len(unseen_disputes)} disputes, {len(unseen)} articles",
               len(unseen_disputes) >= 3 and len(unseen) >= 30),
        Target("train/dev/test about 70/15/15",
               "/".join(f"{shares[name]:.0%}" for name in ("train", "dev", "test")),
               abs(shares["train"] - 0.70) <= 0.05 and abs(shares["dev"] - 0.15) <= 0.04),
        Target("seed article in test", "yes" if seed_in_test else "no", seed_in_test),
        Target("near-duplicate unit pairs <= 1% of units", str(near_duplicates),
               near_duplicates <= 0.01 * max(total, 1)),
    ]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def split_table(splits: dict[str, list[dict]]) -> str:
    """Articles, units, and label and kind counts per split."""
    rows = []
    for name in (*SPLITS, "all"):
        records = (
            [r for n in SPLITS for r in splits.get(n, [])] if name == "all" else splits.get(name, [])
        )
        units = _units(records)
        stances = Counter(unit["stance"] for unit in units)
        kinds = Counter(unit["kind"] for unit in units)
        rows.append(
            [name, str(len(records)), str(len(units))]
            + [str(stances.get(label, 0)) for label in ("dialogue", "pressure", "neutral")]
            + [str(kinds.get(kind, 0)) for kind in ("direct", "indirect", "mixed")]
            + [str(sum(1 for unit in units if "tiebreak" in unit))]
            + [str(sum(1 for unit in units if unit.get("hard")))]
        )
    header = ["split", "articles", "units", "dialogue", "pressure", "neutral",
              "direct", "indirect", "mixed", "tie-break", "hard"]
    return _table(header, rows)


def dispute_table(splits: dict[str, list[dict]]) -> str:
    """Articles and labels per dispute, with the split(s) each dispute is in."""
    per: dict[str, dict] = {}
    for name in SPLITS:
        for record in splits.get(name, []):
            row = per.setdefault(record["dispute"], {"articles": 0, "splits": set(),
                                                     "labels": Counter(), "speakers": set()})
            row["articles"] += 1
            row["splits"].add(name)
            row["labels"].update(unit["stance"] for unit in record.get("quotes", []))
            row["speakers"].update(unit["speaker"].casefold() for unit in record.get("quotes", []))
    rows = [
        [dispute, str(row["articles"]), str(sum(row["labels"].values()))]
        + [str(row["labels"].get(label, 0)) for label in ("dialogue", "pressure", "neutral")]
        + [str(len(row["speakers"])), "unseen" if row["splits"] == {"unseen"} else "train/dev/test"]
        for dispute, row in sorted(per.items())
    ]
    header = ["dispute", "articles", "units", "dialogue", "pressure", "neutral", "speakers", "split"]
    return _table(header, rows)


def tiebreak_table(splits: dict[str, list[dict]]) -> str:
    """Boundary cases per tie-break rule and label."""
    counts: Counter = Counter()
    for unit in _units([r for n in SPLITS for r in splits.get(n, [])]):
        if "tiebreak" in unit:
            counts[(unit["tiebreak"], unit["stance"])] += 1
    rows = [
        [str(rule)] + [str(counts.get((rule, label), 0)) for label in ("dialogue", "pressure", "neutral")]
        for rule in range(1, 7)
    ]
    return _table(["tie-break", "dialogue", "pressure", "neutral"], rows)


def targets_table(items: list[Target]) -> str:
    return _table(["target", "measured", "status"],
                  [[t.name, t.value, "PASS" if t.ok else "FAIL"] for t in items])
