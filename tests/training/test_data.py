"""Reading training data with errors that name file and line (training.data)."""

import json

import pytest

from training.data import DataError, article_examples, read_articles

LABELS = ["dialogue", "pressure", "neutral"]


def write(tmp_path, records):
    path = tmp_path / "split.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return path


def article(**unit):
    text = "He said that talks should resume."
    base = {"start": 13, "end": 32, "text": "talks should resume", "stance": "dialogue"}
    return {"id": "a1", "text": text, "quotes": [{**base, **unit}]}


def test_good_file_reads(tmp_path):
    articles = read_articles(write(tmp_path, [article()]), LABELS)
    (example,) = article_examples(articles[0])
    assert example.quote == "talks should resume" and example.label == "dialogue"
    assert example.context == "He said that talks should resume."


def test_unknown_label_names_file_line_and_valid_labels(tmp_path):
    path = write(tmp_path, [article(), article(stance="hostile")])
    with pytest.raises(DataError, match=r"split.jsonl:2 unit 0: unknown label 'hostile'.*dialogue"):
        read_articles(path, LABELS)


def test_offsets_that_do_not_match(tmp_path):
    with pytest.raises(DataError, match=r"split.jsonl:1 unit 0: offsets 13:32 give"):
        read_articles(write(tmp_path, [article(text="talks must resume")]), LABELS)


def test_missing_field_and_bad_json(tmp_path):
    bad = article()
    del bad["quotes"][0]["stance"]
    with pytest.raises(DataError, match=r":1 unit 0: unit lacks 'stance'"):
        read_articles(write(tmp_path, [bad]), LABELS)
    with pytest.raises(DataError, match=r"split.jsonl:2: not valid JSON"):
        read_articles(write(tmp_path, [article(), "{oops"]), LABELS)
