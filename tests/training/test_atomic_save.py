"""Saving a model is atomic: a kill at any point of ``write_model_dir`` leaves the previous model
directory intact and loadable by ``StanceClassifier.from_pretrained`` (and the next save works).

Two ways of killing the save:

* in-process, a fault injected before every line that ``write_model_dir`` and ``replace_dir``
  execute (a trace function raises an exception that nothing in the save catches, so the disk is
  left exactly as a kill at that line would leave it); every such point is tried;
* a real ``SIGKILL``: a subprocess that kills itself at a chosen line of the save, including the
  worst moment, between the two renames of ``replace_dir``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from stance import StanceClassifier
from tests.conftest import ROOT, write_tiny_model

TEXTS = ["We want talks without preconditions.", "Sanctions will follow.", "The meeting was held."]


class InjectedCrash(BaseException):
    """Raised by the trace function: not an Exception, so no ``except Exception`` swallows it."""


def digest(folder: Path) -> str:
    """A hash of every file's name and bytes in ``folder``."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _predict(folder: Path) -> np.ndarray:
    return StanceClassifier.from_pretrained(folder, device="cpu", backend="torch").predict_proba(TEXTS)


def _new_model(seed: int = 7):
    """What ``write_model_dir`` needs: a (different) tiny model, tokenizer, config and metrics."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from stance.artifact import PACKAGED_BASE, resolve_base_model
    from training.config import TrainConfig

    tokenizer = AutoTokenizer.from_pretrained(resolve_base_model(PACKAGED_BASE))
    labels = ["dialogue", "pressure", "neutral"]
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, num_labels=3,
                        id2label=dict(enumerate(labels)), label2id={x: i for i, x in enumerate(labels)})
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config).eval()
    train_config = TrainConfig(method="full", max_length=64, labels=labels)
    metrics = {"eval": {}, "train_seconds": 1.0, "device": "cpu"}
    return model, tokenizer, train_config, metrics


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """The previous model (its hash and predictions) and the new one (complete, saved once)."""
    from training.save import write_model_dir

    base = tmp_path_factory.mktemp("atomic")
    previous = write_tiny_model(base / "previous")
    model, tokenizer, config, metrics = _new_model()
    reference = write_model_dir(model, tokenizer, config, metrics, 0.5, base / "reference")
    return {
        "previous": previous, "previous_digest": digest(previous), "previous_probs": _predict(previous),
        "reference_probs": _predict(reference), "new": (model, tokenizer, config, metrics),
    }


def _tracer(crash_at: int, counter: list[int], only_replace: bool = False):
    """A trace function that raises InjectedCrash at the ``crash_at``-th line of the save (of
    its final ``replace_dir`` only, with ``only_replace``)."""
    from training.checkpoint import replace_dir
    from training.save import write_model_dir

    targets = {replace_dir.__code__} if only_replace else {write_model_dir.__code__, replace_dir.__code__}

    def local(frame, event, arg):
        if event == "line":
            counter[0] += 1
            if counter[0] == crash_at:
                raise InjectedCrash
        return local

    def global_trace(frame, event, arg):
        return local if frame.f_code in targets else None

    return global_trace


def _save_with_crash(setup, output: Path, crash_at: int, only_replace: bool = False) -> bool:
    """Run write_model_dir, crashing at line ``crash_at``; True if the crash happened."""
    from training.save import write_model_dir

    model, tokenizer, config, metrics = setup["new"]
    counter = [0]
    sys.settrace(_tracer(crash_at, counter, only_replace))
    try:
        write_model_dir(model, tokenizer, config, metrics, 0.5, output)
    except InjectedCrash:
        return True
    finally:
        sys.settrace(None)
    return False


def _check_loads_old_or_new(setup, output: Path) -> str:
    """The model at ``output`` must load and be exactly the previous one or the complete new one."""
    probs = _predict(output)
    if np.array_equal(probs, setup["previous_probs"]):
        loaded = StanceClassifier.from_pretrained(output, device="cpu", backend="torch").path
        assert digest(loaded) == setup["previous_digest"], "previous model directory was modified"
        return "previous"
    assert np.array_equal(probs, setup["reference_probs"]), "loaded a model that is neither"
    return "new"


@pytest.mark.parametrize(("before", "lines"), [
    ("intact", "all"),
    ("after-an-interrupted-save", "replace_dir"),
    pytest.param("after-an-interrupted-save", "all", marks=pytest.mark.slow),
])
def test_a_crash_at_any_line_of_the_save_leaves_a_loadable_model(setup, tmp_path, before, lines):
    # "after-an-interrupted-save": an earlier save was killed between its renames, so only
    # model.old holds the previous model; this save must not lose it either.
    from training.save import write_model_dir

    output = tmp_path / "model"
    outcomes: list[str] = []
    crash_at = 0
    while True:
        crash_at += 1
        for leftover in (output, output.with_name("model.tmp"), output.with_name("model.old")):
            shutil.rmtree(leftover, ignore_errors=True)
        shutil.copytree(setup["previous"], output if before == "intact" else output.with_name("model.old"))
        if not _save_with_crash(setup, output, crash_at, only_replace=lines == "replace_dir"):
            break  # the save ran to its end: every line has been a crash point
        outcomes.append(_check_loads_old_or_new(setup, output))
        if crash_at % 5 == 0:  # and the next save recovers and completes
            model, tokenizer, config, metrics = setup["new"]
            write_model_dir(model, tokenizer, config, metrics, 0.5, output)
            assert np.array_equal(_predict(output), setup["reference_probs"])
            assert not output.with_name("model.old").exists()
            assert not output.with_name("model.tmp").exists()
    assert crash_at > (5 if lines == "replace_dir" else 20), "the tracer did not see the save's lines"
    # Early crashes keep the previous model, late ones (after the swap) give the new one.
    assert outcomes[0] == "previous" and outcomes[-1] == "new"
    assert np.array_equal(_predict(output), setup["reference_probs"])  # the uncrashed save


def test_after_a_kill_between_the_renames_the_old_model_loads_until_the_next_save(setup, tmp_path):
    # After a kill between the renames only model.old exists: it loads at the model's path, and
    # the next replace_dir leaves just the new model (no model.old, no model.tmp).
    from training.checkpoint import replace_dir

    output = tmp_path / "model"
    shutil.copytree(setup["previous"], output.with_name("model.old"))
    assert np.array_equal(_predict(output), setup["previous_probs"])  # loads from model.old
    tmp = write_tiny_model(tmp_path / "model.tmp", seed=3)
    replace_dir(tmp, output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    assert not np.array_equal(_predict(output), setup["previous_probs"])


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from tests.training.test_atomic_save import _new_model
    from training.checkpoint import replace_dir
    from training.save import write_model_dir

    marker = {marker!r}
    targets = {{write_model_dir.__code__, replace_dir.__code__}}

    def local(frame, event, arg):
        if event == "line":
            import linecache
            line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
            if line.startswith(marker):
                os.kill(os.getpid(), signal.SIGKILL)
        return local

    model, tokenizer, config, metrics = _new_model()
    sys.settrace(lambda frame, event, arg: local if frame.f_code in targets else None)
    write_model_dir(model, tokenizer, config, metrics, 0.5, Path({output!r}))
    sys.exit("the marker line was never reached")
""")

KILL_POINTS = {
    "mid-save": "tokenizer.save_pretrained(tmp)",  # weights written, the rest not yet
    "between-renames": "tmp.rename(final)",  # the old model renamed away, the new not yet in place
}


def _kill_during_save(previous: Path, output: Path, marker: str) -> subprocess.Popen:
    shutil.copytree(previous, output)
    script = KILL_SCRIPT.format(root=str(ROOT), marker=marker, output=str(output))
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_sigkill_during_the_save_leaves_the_previous_model(setup, tmp_path):
    # Both kill points run at once (each is a fresh interpreter that imports torch).
    procs = {name: _kill_during_save(setup["previous"], tmp_path / name / "model", marker)
             for name, marker in KILL_POINTS.items()}
    for name, proc in procs.items():
        output, _ = proc.communicate(timeout=300)
        assert proc.returncode == -signal.SIGKILL, f"{name}: not killed:\n{output[-2000:]}"
        model_dir = tmp_path / name / "model"
        assert _check_loads_old_or_new(setup, model_dir) == "previous"
        # The next save recovers from whatever was left and puts the new model in place.
        from training.save import write_model_dir

        model, tokenizer, config, metrics = setup["new"]
        write_model_dir(model, tokenizer, config, metrics, 0.5, model_dir)
        assert np.array_equal(_predict(model_dir), setup["reference_probs"])
        assert sorted(p.name for p in model_dir.parent.iterdir()) == ["model"]
