"""``pip install .`` (not editable) into a clean virtual environment, then use the installed
package and its bundled default model from outside the repository.

Skips when ``models/default`` holds no model (it is shipped as ``stance/default_model``). The tree
is copied to a temporary folder first, so that the build leaves no ``build/`` or ``*.egg-info``
in the repository and runs beside other work in it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_a41ec2105ae844da.txt"
MODEL = ROOT / "models" / "default"
TORCH = "torch==2.13.0"  # the local CPU wheel (pip's find-links); never a plain ``torch``
NOT_COPIED = (".git", ".venv", "venv", "runs", "reports", "checkpoints", "build", "dist", "*.egg-info",
              "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.checkpoint")

CLASSIFY = """
import json, sys
import stance
from stance import classify, default_model_path
result = classify(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"file": stance.__file__, "model": str(default_model_path()),
                  "units": [[u.label, u.score, u.speaker, u.text] for u in result.units]}))
"""


def clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "STANCE_MODEL")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def sh(command: list[str | Path], *, cwd: Path, env: dict[str, str], timeout: int = 600,
       check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} exited {done.returncode}:\n"
                    f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def copy_tree(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*NOT_COPIED))
    return target


def make_venv(folder: Path) -> Path:
    """A clean venv (no system site-packages) with torch from the local wheel."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=300)
    sh([folder / "bin" / "python", "-m", "pip", "install", "-q", TORCH], cwd=folder.parent,
       env=clean_env(folder))
    return folder


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(venv, a work folder outside the repository) with the repository pip-installed."""
    if not (MODEL / "stance_model.json").is_file():
        pytest.skip(f"{MODEL} holds no model yet (train it: python -m training.train)")
    base = tmp_path_factory.mktemp("install")
    source = copy_tree(base / "source")
    venv = make_venv(base / "venv")
    sh([venv / "bin" / "python", "-m", "pip", "install", "-q", source], cwd=base, env=clean_env(venv),
       timeout=900)
    work = base / "work"
    work.mkdir()
    return venv, work


def site_packages(venv: Path) -> Path:
    (folder,) = (venv / "lib").glob("python3*/site-packages")
    return folder


def test_installed_package_ships_the_default_model(installed):
    venv, _ = installed
    package = site_packages(venv) / "stance"
    assert not (site_packages(venv) / "__editable__.stance-0.1.0.pth").exists()
    assert (package / "default_model" / "stance_model.json").is_file()
    shipped = {p.name for p in (package / "default_model").iterdir()}
    assert {p.name for p in MODEL.iterdir() if p.is_file()} <= shipped
    for init in (ROOT / "stance").rglob("__init__.py"):
        assert (package / init.parent.relative_to(ROOT / "stance") / "__init__.py").is_file(), init


def test_classify_with_the_bundled_model_outside_the_repo(installed):
    venv, work = installed
    done = sh([venv / "bin" / "python", "-c", CLASSIFY, SEED], cwd=work, env=clean_env(venv))
    report = json.loads(done.stdout.strip().splitlines()[-1])
    package = site_packages(venv) / "stance"
    assert Path(report["file"]).resolve() == (package / "__init__.py").resolve()
    assert Path(report["model"]).resolve() == (package / "default_model").resolve()
    labels = json.loads((MODEL / "stance_model.json").read_text(encoding="utf-8"))["labels"]
    units = report["units"]
    assert len(units) >= 5
    text = SEED.read_text(encoding="utf-8")
    for label, score, _, quoted in units:
        assert label in labels and 0.0 <= score <= 1.0 and quoted in text
    assert any(speaker for _, _, speaker, _ in units)


def test_console_script_classifies_the_seed_article(installed):
    venv, work = installed
    stance = venv / "bin" / "stance"
    table = sh([stance, "classify", SEED], cwd=work, env=clean_env(venv)).stdout
    header = table.splitlines()[0]
    assert header.startswith(f"== {SEED}: ") and header.endswith(" units")
    assert int(header.rsplit(": ", 1)[1].split()[0]) >= 5
    assert "-- speakers" in table
    labels = json.loads((MODEL / "stance_model.json").read_text(encoding="utf-8"))["labels"]
    units = table.splitlines()[1:int(header.rsplit(": ", 1)[1].split()[0]) + 1]
    assert all(line.split()[0] in labels for line in units)


def test_console_script_html_and_training_hint(installed):
    venv, work = installed
    stance = venv / "bin" / "stance"
    sh([stance, "html", SEED, "-o", work / "page.html"], cwd=work, env=clean_env(venv))
    assert 'class="unit"' in (work / "page.html").read_text(encoding="utf-8")
    done = sh([stance, "train", "--help"], cwd=work, env=clean_env(venv), check=False)
    assert done.returncode == 2 and "pip install" in done.stderr
