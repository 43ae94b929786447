"""Training killed at any point resumes with ``--resume`` and ends exactly where an uninterrupted
run ends: the same evaluation figures in ``metrics.json`` and the same saved weights.

Every run is ``python -m training.train --config configs/smoke.yaml --output_dir <tmp>`` in a
fresh process, with one torch thread (``--num_threads 1``, the same for every run, so that two
runs fit the two cores of a small CI machine at once). Interruptions:

* ``SIGKILL`` once a checkpoint exists (the fast test; the slow one kills at several steps, in
  the end-of-epoch evaluation and while the model directory is being written);
* ``--stop-after-steps N`` (a clean stop after step N), then ``--resume``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SMOKE = ROOT / "configs" / "smoke.yaml"
TIMEOUT = 300
# Everything a run's metrics.json reports about the model (not its timings or machine).
COMPARED = ("eval", "temperature", "history", "best_epoch", "epochs_run", "train_units", "dev_units")


def start(output: Path, *extra: str) -> subprocess.Popen:
    """Start a smoke run writing to ``output``; its log goes to ``<output>.<n>.log``."""
    command = [sys.executable, "-m", "training.train", "--config", str(SMOKE), "--output_dir",
               str(output), "--no-progress", "--num_threads", "1", *extra]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    log = output.with_name(f"{output.name}.{len(list(output.parent.glob(output.name + '.*.log')))}.log")
    with log.open("w") as sink:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    proc.log = log  # type: ignore[attr-defined]
    return proc


def finish(proc: subprocess.Popen) -> None:
    proc.wait(timeout=TIMEOUT)
    assert proc.returncode == 0, f"training failed ({proc.returncode}):\n{proc.log.read_text()[-3000:]}"


def checkpoint_step(output: Path) -> int:
    """The global step of the run's last complete checkpoint (-1: none yet)."""
    try:
        state = json.loads((output.with_name(output.name + ".checkpoint") / "state.json").read_text())
    except (OSError, ValueError):
        return -1
    return int(state["global_step"])


def kill_when(proc: subprocess.Popen, ready, what: str) -> None:
    """SIGKILL ``proc`` as soon as ``ready()`` holds."""
    deadline = time.monotonic() + TIMEOUT
    while not ready():
        assert proc.poll() is None, f"the run ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, f"the run ended before it was killed ({what})"


def outcome(output: Path) -> tuple[dict, dict]:
    """The compared metrics and the saved weights of a finished run."""
    from safetensors.numpy import load_file

    metrics = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
    # a resumed run's whole-run time includes the training time of its earlier processes
    assert metrics["run_seconds"] >= metrics["train_seconds"] > 0
    weights = load_file(str(output / "model.safetensors"))
    assert not output.with_name(output.name + ".checkpoint").exists(), "checkpoint not cleaned up"
    return {key: metrics[key] for key in COMPARED}, weights


def assert_same(resumed: Path, reference: tuple[dict, dict]) -> None:
    metrics, weights = outcome(resumed)
    assert metrics == reference[0]
    assert weights.keys() == reference[1].keys()
    for name, tensor in weights.items():
        assert (tensor == reference[1][name]).all(), f"weight {name} differs"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("resume")


def test_killed_and_stopped_runs_resume_to_the_same_model(runs):
    reference_dir, killed, stopped = runs / "reference", runs / "killed", runs / "stopped"
    # Phase 1, all at once: the uninterrupted run, a run killed after its first checkpoint (step
    # 4 of 16) and a run that stops cleanly after step 6.
    reference = start(reference_dir)
    victim = start(killed)
    stopper = start(stopped, "--stop-after-steps", "6")
    kill_when(victim, lambda: checkpoint_step(killed) >= 4, "the first checkpoint")
    assert not killed.exists()
    finish(stopper)
    assert not stopped.exists() and checkpoint_step(stopped) == 6
    # Phase 2: both resume while the reference finishes.
    resumed = [start(killed, "--resume"), start(stopped, "--resume")]
    for proc in [reference, *resumed]:
        finish(proc)
    expected = outcome(reference_dir)
    assert_same(killed, expected)
    assert_same(stopped, expected)


def _log(output: Path) -> str:
    return "".join(p.read_text() for p in output.parent.glob(output.name + ".*.log"))


def _saving(output: Path) -> bool:
    return output.with_name(output.name + ".tmp").exists()


# Where the slow test kills: at a checkpoint step (the kill lands somewhere after it), in the
# end-of-epoch evaluation (steps 8 and 16) or while the model directory is written.
KILL_POINTS = {
    "before-any-checkpoint": lambda out: "trainable of" in _log(out),
    "step-4": lambda out: checkpoint_step(out) >= 4,
    "epoch-1-eval": lambda out: checkpoint_step(out) >= 8,
    "step-12": lambda out: checkpoint_step(out) >= 12,
    "final-eval": lambda out: checkpoint_step(out) >= 16,
    "saving": _saving,
}


@pytest.mark.slow
def test_killed_at_many_points_resumes_to_the_same_model(runs):
    reference_dir = runs / "slow-reference"
    finish(start(reference_dir))
    expected = outcome(reference_dir)
    for name, ready in KILL_POINTS.items():
        output = runs / f"slow-{name}"
        kill_when(start(output), lambda output=output, ready=ready: ready(output), name)
        finish(start(output, "--resume"))
        assert_same(output, expected)


@pytest.mark.slow
@pytest.mark.parametrize("steps", [1, 3, 8, 15])
def test_stop_after_any_step_then_resume(runs, steps):
    output = runs / f"stop-{steps}"
    finish(start(output, "--stop-after-steps", str(steps)))
    finish(start(output, "--resume"))
    reference_dir = runs / "slow-reference"
    if not reference_dir.exists():
        finish(start(reference_dir))
    assert_same(output, outcome(reference_dir))
