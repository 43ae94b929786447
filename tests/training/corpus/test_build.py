"""Building the split files elsewhere, with part of the train split left out (ablations)."""

import json

from training.corpus.__main__ import main
from training.corpus.build import SEEDS_DIR


def _ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_drop_from_train_leaves_dev_and_test_unchanged(tmp_path, capsys):
    before = (SEEDS_DIR / "train.jsonl").read_text(encoding="utf-8")
    assert main(["build", "--out", str(tmp_path), "--drop-from-train", "z*"]) == 0
    assert "train:" in capsys.readouterr().out
    train = _ids(tmp_path / "train.jsonl")
    full = _ids(SEEDS_DIR / "train.jsonl")
    # only the matching articles leave, in the same order; the committed seeds are not touched
    assert train == [i for i in full if not i.startswith("z")] and len(train) < len(full)
    for split in ("dev", "test", "unseen"):
        assert (tmp_path / f"{split}.jsonl").read_bytes() == (SEEDS_DIR / f"{split}.jsonl").read_bytes()
    assert (SEEDS_DIR / "train.jsonl").read_text(encoding="utf-8") == before
