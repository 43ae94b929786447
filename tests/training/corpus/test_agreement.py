"""Agreement with a second annotator: known answers for kappa, and errors that name the line."""

import json

import pytest

from training.corpus.agreement import Pair, agreement, pair_labels, read_second, report


def _pairs(first: list[str], second: list[str]) -> list[Pair]:
    return [Pair("a", i, f, s, False, None) for i, (f, s) in enumerate(zip(first, second, strict=True))]


def test_kappa_known_answer():
    # corpus d d p n, second d p p n: observed agreement 3/4; chance agreement from the marginals
    # (corpus d .5 p .25 n .25; second d .25 p .5 n .25) = .125 + .125 + .0625 = .3125;
    # kappa = (.75 - .3125) / (1 - .3125) = 0.63636...
    result = agreement(_pairs(["dialogue", "dialogue", "pressure", "neutral"],
                              ["dialogue", "pressure", "pressure", "neutral"]))
    assert result["kappa"] == pytest.approx(0.4375 / 0.6875)
    assert result["accuracy"] == 0.75
    # rows are the corpus label: one corpus dialogue became pressure
    assert result["confusion"] == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]


def test_perfect_agreement_and_report_tables():
    pairs = _pairs(["dialogue", "pressure", "neutral"], ["dialogue", "pressure", "neutral"])
    assert agreement(pairs)["kappa"] == 1.0
    text = report(pairs)
    assert "| all units | 3 | 1.000 | 1.000 | 1.000 |" in text


def test_bad_rows_name_the_file_and_line(tmp_path):
    path = tmp_path / "second.jsonl"
    path.write_text(json.dumps({"id": "a", "n": 0, "stance": "angry"}) + "\n")
    with pytest.raises(ValueError, match=r"second.jsonl:1: stance 'angry'"):
        read_second(path)
    path.write_text(json.dumps({"id": "a", "n": 5, "stance": "neutral"}) + "\n")
    rows = read_second(path)
    articles = {"a": {"quotes": [{"stance": "neutral"}]}}
    with pytest.raises(ValueError, match=r"second.jsonl:1: article a has units 0-0, not 5"):
        pair_labels(articles, rows)
    with pytest.raises(ValueError, match="no article 'b'"):
        pair_labels({}, [{"id": "b", "n": 0, "stance": "neutral", "_where": "x:1"}])


def test_committed_second_annotation_fits_the_corpus(capsys):
    # Every committed second label names an existing article and unit (units are never renumbered
    # silently: a changed article would fail here), and the command prints the tables.
    from training.corpus.__main__ import main

    assert main(["agreement"]) == 0
    assert "| all units | 616 |" in capsys.readouterr().out


def test_against_realnews_gold_uses_the_gold_as_reference(tmp_path, capsys):
    # A made-up gold file of one article with three units (gold d p n) and our blind labels
    # d n n: accuracy 2/3, and the confusion's rows are the gold's labels.
    from training.corpus.__main__ import main

    gold = tmp_path / "gold.jsonl"
    units = [{"stance": label, **({"hard": True} if label == "pressure" else {})}
             for label in ("dialogue", "pressure", "neutral")]
    gold.write_text(json.dumps({"id": "rn-x", "quotes": units}) + "\n")
    blind = tmp_path / "blind.jsonl"
    blind.write_text("".join(json.dumps({"id": "rn-x", "n": n, "stance": s}) + "\n"
                             for n, s in enumerate(["dialogue", "neutral", "neutral"])))
    assert main(["agreement", "--realnews", str(gold), "--second", str(blind)]) == 0
    out = capsys.readouterr().out
    assert "reference: real-news gold" in out
    assert "| all units | 3 |" in out and "| 0.667 |" in out
    assert "| units the gold's annotators disagreed on | 1 |" in out
    assert "| pressure | 0 | 0 | 1 |" in out


def test_against_realnews_skips_when_the_gold_is_absent(tmp_path, capsys):
    from training.corpus.__main__ import main

    assert main(["agreement", "--realnews", str(tmp_path / "missing.jsonl")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_committed_realnews_blind_labels_fit_the_gold(capsys):
    # Our blind labels of the real-news units: every row names a gold article and unit.
    from training.corpus.__main__ import DEFAULT_SHARED, main

    gold = DEFAULT_SHARED / "realnews" / "realnews-dev.jsonl"
    if not gold.exists():
        pytest.skip("../shared/realnews is absent")
    assert main(["agreement", "--realnews"]) == 0
    assert "| all units | 634 |" in capsys.readouterr().out
