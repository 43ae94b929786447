"""The short CI version of ``scripts/fuzz.py``: ~200 generated and mutated articles through
``classify`` with the tiny model; zero crashes, invariant violations or timeouts allowed. The full
run (10,000 articles) and its figures are in docs/reliability.md."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
import warnings

import pytest

from stance import StatementTooLongWarning
from tests.conftest import ROOT


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("stance_fuzz", ROOT / "scripts" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


def test_articles_are_reproducible_and_varied():
    corpus = fuzz.load_corpus()
    assert corpus, "no seed articles"
    first = list(fuzz.make_articles(250, 3, corpus))
    assert first == list(fuzz.make_articles(250, 3, corpus))
    assert first != list(fuzz.make_articles(250, 4, corpus))
    steps = {step.split(":")[0] for _, recipe in first for step in recipe}
    assert {"edge", "seed", "generated", *fuzz.MUTATIONS} <= steps


@pytest.mark.parametrize("name", sorted(fuzz.MUTATIONS))
def test_every_mutation_returns_a_string(name):
    rng = random.Random(0)
    for text in ["", "x", fuzz.generate_article(random.Random(1))]:
        assert isinstance(fuzz.MUTATIONS[name](rng, text), str)


def test_two_hundred_articles_do_not_crash(tiny_classifier, tmp_path):
    articles = fuzz.make_articles(200, 12345, fuzz.load_corpus())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatementTooLongWarning)
        report = fuzz.fuzz(articles, tiny_classifier, timeout=120, crash_dir=tmp_path)
    assert report.articles == 200
    assert report.units > 200  # the articles do hold quotations
    messages = [f"{c.kind} at {c.index} ({' + '.join(c.recipe)}): {c.message}" for c in report.crashes]
    assert not report.crashes, "\n".join(messages) + f"\nreproducers in {tmp_path}"


def test_a_crash_is_reported_and_saved(tmp_path):
    class Broken:
        labels = ("dialogue", "pressure", "neutral")
        context_chars = 400

        def predict_proba(self, quotes, contexts=None, progress=False):
            raise RuntimeError("boom")

    article = '"We want talks \ud800," the minister said.'
    report = fuzz.fuzz(iter([(article, ["test"])]), Broken(), crash_dir=tmp_path)
    assert [c.kind for c in report.crashes] == ["exception"]
    saved = json.loads((tmp_path / "crash-0001.json").read_text(encoding="utf-8"))
    assert saved["article"] == article and "boom" in saved["message"]
    assert (tmp_path / "crash-0001.txt").read_bytes() == article.encode("utf-8", "surrogatepass")
    assert any("crash" in line for line in report.lines())


def test_violations_are_caught():
    from stance.results import ArticleResult, ScoredUnit

    unit = ScoredUnit(text="talks", start=0, end=4, kind="direct", speaker=None, cue=None,
                      cue_start=None, cue_end=None, context="", label="war", score=0.9,
                      scores={"dialogue": 0.9, "pressure": 0.3, "neutral": 0.0})
    found = fuzz.violations("talks now", ArticleResult(units=[unit, unit], counts={"war": 2}),
                            ("dialogue", "pressure", "neutral"))
    text = " | ".join(found)
    for expected in ("text != article", "overlaps", "label 'war'", "do not sum to 1"):
        assert expected in text


def test_command_line_replays_a_reproducer(tiny_model_dir, tmp_path, capsys):
    case = tmp_path / "crash-0001.json"
    case.write_text(json.dumps({"article": '"We want talks," he said.'}), encoding="utf-8")
    assert fuzz.main(["--model", str(tiny_model_dir), "--replay", str(case)]) == 0
    assert "crashes: 0" in capsys.readouterr().out
