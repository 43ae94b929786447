"""Build the corpus JSON Lines files from the authoring sources in ``seeds/src/``.

Articles are split at article level: the disputes named in ``UNSEEN_DISPUTES`` go whole to the
``unseen`` split; every other dispute is split train/dev/test 70/15/15 by the rank of a stable
hash of the article id within the dispute: the same articles always give the same splits, but
adding articles to a dispute can move a few older ones between splits. The user's seed article
goes to test.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from fnmatch import fnmatch
from pathlib import Path

from training.corpus.markup import parse_file

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
SPLITS = ("train", "dev", "test", "unseen")
UNSEEN_DISPUTES = ("cyprus", "western-sahara", "colombia-farc")
SEED_GOLD = "seed-000.gold.jsonl"
SPLIT_SHARES = (("train", 0.70), ("dev", 0.15), ("test", 0.15))


def _stable_key(article_id: str) -> str:
    return hashlib.sha256(article_id.encode("utf-8")).hexdigest()


def assign_splits(records: list[dict]) -> dict[str, list[dict]]:
    """Split records by article, stratified by dispute; unseen disputes go whole to ``unseen``."""
    by_dispute: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_dispute[record["dispute"]].append(record)
    splits: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for dispute, group in sorted(by_dispute.items()):
        if dispute in UNSEEN_DISPUTES:
            splits["unseen"].extend(group)
            continue
        group = sorted(group, key=lambda record: _stable_key(record["id"]))
        n_dev = round(len(group) * SPLIT_SHARES[1][1])
        n_test = round(len(group) * SPLIT_SHARES[2][1])
        splits["dev"].extend(group[:n_dev])
        splits["test"].extend(group[n_dev : n_dev + n_test])
        splits["train"].extend(group[n_dev + n_test :])
    for name in SPLITS:
        splits[name].sort(key=lambda record: record["id"])
        for record in splits[name]:
            record["split"] = name
    return splits


def load_sources(src_dir: Path) -> list[dict]:
    """Parse every ``*.txt`` source file in ``src_dir`` into article records."""
    records = []
    for path in sorted(src_dir.glob("*.txt")):
        for article in parse_file(path):
            record = article.to_record()
            record["file"] = f"src/{path.name}"
            records.append(record)
    return records


def load_seed(seeds_dir: Path) -> list[dict]:
    """The user's seed article with its gold annotation."""
    path = seeds_dir / SEED_GOLD
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def build_splits(seeds_dir: Path = SEEDS_DIR) -> dict[str, list[dict]]:
    """Return the split files' contents as the sources and seed define them."""
    splits = assign_splits(load_sources(seeds_dir / "src"))
    for record in load_seed(seeds_dir):
        splits["test"].insert(0, {**record, "split": "test"})
    return splits


def dump_jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def write_splits(seeds_dir: Path = SEEDS_DIR, out_dir: Path | None = None,
                 drop_from_train: str | None = None) -> dict[str, int]:
    """Write ``<split>.jsonl`` for every split into ``out_dir`` (default: ``seeds_dir``); return
    article counts. ``drop_from_train`` (a glob on article ids, e.g. ``z*``) leaves those
    articles out of the train split only, for ablations that keep dev and test unchanged."""
    splits = build_splits(seeds_dir)
    if drop_from_train:
        splits["train"] = [r for r in splits["train"] if not fnmatch(r["id"], drop_from_train)]
    out_dir = out_dir or seeds_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, records in splits.items():
        (out_dir / f"{name}.jsonl").write_text(dump_jsonl(records), encoding="utf-8")
    return {name: len(records) for name, records in splits.items()}
