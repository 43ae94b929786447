"""Checkpoints during training, written atomically, and ``--resume`` from the last one.

A checkpoint is a folder holding the trainable weights (``weights.safetensors``), the best weights
so far (``best.safetensors``), the optimizer and scheduler state (``optimizer.pt``, read back with
``weights_only=True``), the random-number states (``rng.safetensors`` and ``state.json``) and the
loop's position (``state.json``). It is written to a temporary folder and renamed into place, so a
kill at any moment leaves either the previous checkpoint or the new one, never half of one.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from training.modeling import load_trainable_state, trainable_state

logger = logging.getLogger(__name__)


@dataclass
class LoopState:
    """Where training is: epoch, step within it, best dev score so far."""

    epoch: int = 0
    step_in_epoch: int = 0
    global_step: int = 0
    best_f1: float = -1.0
    best_epoch: int = 0
    bad_epochs: int = 0
    done: bool = False
    seconds: float = 0.0
    started: float = field(default=0.0, repr=False)
    history: list[dict] = field(default_factory=list)
    best: dict[str, torch.Tensor] | None = field(default=None, repr=False)

    def finished(self, config) -> bool:
        return self.done or self.epoch >= config.epochs

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("best")
        data.pop("started")
        return data


def replace_dir(tmp: Path, final: Path) -> None:
    """Move ``tmp`` to ``final``, replacing it; ``final`` is never missing for long or half-written."""
    recover_dir(final)  # an earlier kill between the renames: ``.old`` is the only good copy
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    if old.exists():
        shutil.rmtree(old)


def recover_dir(final: Path) -> None:
    """After a kill between the two renames of :func:`replace_dir`, put the old folder back."""
    old = final.with_name(final.name + ".old")
    if old.exists() and not final.exists():
        old.rename(final)


def _contiguous(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {key: value.contiguous() for key, value in state.items()}


class Checkpoint:
    """The checkpoint folder of one training run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def exists(self) -> bool:
        recover_dir(self.folder)
        return (self.folder / "state.json").exists()

    def save(self, accelerator, model, optimizer, scheduler, state: LoopState) -> None:
        accelerator.wait_for_everyone()
        if not accelerator.is_main_process:
            return
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        save_file(_contiguous(trainable_state(accelerator.unwrap_model(model))),
                  str(tmp / "weights.safetensors"))
        if state.best is not None:
            save_file(_contiguous(state.best), str(tmp / "best.safetensors"))
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()},
                   tmp / "optimizer.pt")
        rng = {"torch": torch.get_rng_state()}
        if torch.cuda.is_available():
            rng["cuda"] = torch.cuda.get_rng_state()
        save_file(rng, str(tmp / "rng.safetensors"))
        state.seconds = round(time.perf_counter() - state.started, 3)
        py_state = random.getstate()
        np_state = np.random.get_state()
        extra = {"python_rng": [py_state[0], list(py_state[1]), py_state[2]],
                 "numpy_rng": [np_state[0], np_state[1].tolist(), *np_state[2:]]}
        (tmp / "state.json").write_text(json.dumps({**state.to_json(), **extra}), encoding="utf-8")
        replace_dir(tmp, self.folder)
        logger.debug("checkpoint at step %d", state.global_step)

    def load(self, model, optimizer, scheduler) -> LoopState:
        data = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
        py_rng, np_rng = data.pop("python_rng"), data.pop("numpy_rng")
        state = LoopState(**data)
        load_trainable_state(model, load_file(str(self.folder / "weights.safetensors")))
        best = self.folder / "best.safetensors"
        state.best = load_file(str(best)) if best.exists() else None
        saved = torch.load(self.folder / "optimizer.pt", weights_only=True)
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        rng = load_file(str(self.folder / "rng.safetensors"))
        torch.set_rng_state(rng["torch"])
        if "cuda" in rng and torch.cuda.is_available():
            torch.cuda.set_rng_state(rng["cuda"])
        random.setstate((py_rng[0], tuple(py_rng[1]), py_rng[2]))
        np.random.set_state((np_rng[0], np.asarray(np_rng[1], dtype=np.uint32), *np_rng[2:]))
        logger.info("resumed from %s at epoch %d, step %d", self.folder, state.epoch + 1,
                    state.global_step)
        return state

    def best_weights(self, state: LoopState) -> dict[str, torch.Tensor] | None:
        return state.best
