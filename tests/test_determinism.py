"""The same input gives the same output: across repeated calls, across fresh processes (with
different hash seeds) and across threads (eight threads calling ``classify`` at once get exactly
the sequential results)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import stance.api
from stance import StanceClassifier, classify
from tests.conftest import ROOT

HOSTILE = [
    '"We want talks, not war," Foreign Minister Sergey Lavrov said. «Nous refusons», he added.',
    "\u202e“نريد الحوار” قال الوزير.\u202c 😀 “Sanctions stay,” 👨‍👩‍👧 the envoy said.\x00",
    '"Unclosed quotation at the start of a paragraph\n"Another " stray " mark," he said.',
    "",
]


def _articles(n: int = 10) -> list[str]:
    lines = (ROOT / "seeds" / "test.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines[:n]] + HOSTILE


def _dump(results) -> list[str]:
    return [r.to_json(sort_keys=True) for r in results]


SCRIPT = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {root!r})
    from stance import StanceClassifier, classify
    from tests.test_determinism import _articles, _dump
    model = StanceClassifier.from_pretrained({model!r}, device="cpu")
    results = classify(_articles(), model=model, all_scores=True)
    singles = [classify(a, model=model, all_scores=True) for a in _articles()[:3]]
    print(json.dumps({{"backend": model.backend, "batch": _dump(results), "single": _dump(singles)}}))
""")


def _in_fresh_process(model_dir: Path, hash_seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(root=str(ROOT), model=str(model_dir))],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_repeated_calls_give_the_same_output(tiny_classifier):
    articles = _articles()
    first = _dump(classify(articles, model=tiny_classifier, all_scores=True))
    classify(["Something else entirely, \"he said\"."] * 3, model=tiny_classifier)  # no state leaks
    assert _dump(classify(articles, model=tiny_classifier, all_scores=True)) == first
    single = classify(articles[0], model=tiny_classifier, all_scores=True).to_json(sort_keys=True)
    for _ in range(3):
        assert classify(articles[0], model=tiny_classifier, all_scores=True).to_json(sort_keys=True) == single


def test_fresh_processes_give_the_same_output(tiny_model_dir):
    here = StanceClassifier.from_pretrained(tiny_model_dir, device="cpu")
    expected = {
        "backend": here.backend,
        "batch": _dump(classify(_articles(), model=here, all_scores=True)),
        "single": _dump([classify(a, model=here, all_scores=True) for a in _articles()[:3]]),
    }
    assert any(json.loads(r)["units"] for r in expected["batch"])  # not vacuous
    # Two interpreters with different hash seeds (set and dict order must not matter).
    assert _in_fresh_process(tiny_model_dir, "1") == expected
    assert _in_fresh_process(tiny_model_dir, "2") == expected


def test_eight_threads_classifying_articles_get_the_sequential_results(tiny_classifier):
    articles = _articles()
    # Each thread makes its own calls: a rotated list of articles, then articles one by one.
    def calls(index: int) -> list[str]:
        rotated = articles[index:] + articles[:index]
        out = _dump(classify(rotated, model=tiny_classifier, all_scores=True))
        out += [classify(a, model=tiny_classifier, all_scores=True).to_json(sort_keys=True)
                for a in rotated[:4]]
        return out

    expected = {i: calls(i) for i in range(8)}
    got: dict[int, list[str]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(index: int) -> None:
        try:
            barrier.wait()
            got[index] = calls(index)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert got == expected


def test_eight_threads_share_one_lazily_loaded_default_model(tiny_model_dir, monkeypatch):
    monkeypatch.setenv("STANCE_MODEL", str(tiny_model_dir))
    monkeypatch.setattr(stance.api, "_default", None)
    loads: list[Path] = []
    original = StanceClassifier.from_pretrained.__func__

    def counting(cls, path, **kwargs):
        loads.append(Path(path))
        return original(cls, path, **kwargs)

    monkeypatch.setattr(StanceClassifier, "from_pretrained", classmethod(counting))
    article = _articles(1)[0]
    results: list[str] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        results.append(classify(article, all_scores=True).to_json(sort_keys=True))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert loads == [tiny_model_dir]  # loaded once, not once per thread
    assert len(results) == 8 and len(set(results)) == 1
    assert results[0] == classify(article, all_scores=True).to_json(sort_keys=True)


@pytest.mark.slow
def test_fresh_processes_with_the_real_model_agree():
    from stance.api import default_model_path

    path = default_model_path()
    if not (path / "stance_model.json").exists():
        pytest.skip(f"no default model at {path}")
    assert _in_fresh_process(path, "1") == _in_fresh_process(path, "2")
