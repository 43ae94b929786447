"""Packaging hook (the rest is in pyproject.toml): ship the trained model of ``models/default``
inside the wheel as the data-only package ``stance.default_model``.

A plain ``package-dir`` entry in pyproject.toml would do the same but fails every build, editable
installs included, while ``models/default`` does not exist (a fresh clone before training);
here the model is added only when it is there.
"""

from pathlib import Path

from setuptools import find_packages, setup

MODEL_DIR = "models/default"  # relative to this file, as setuptools wants
HERE = Path(__file__).resolve().parent

packages = find_packages(include=["stance", "stance.*"])
package_dir: dict[str, str] = {}
package_data = {"stance": ["py.typed"]}
if (HERE / MODEL_DIR / "stance_model.json").is_file():
    packages.append("stance.default_model")
    package_dir["stance.default_model"] = MODEL_DIR
    package_data["stance.default_model"] = ["*"]

setup(packages=packages, package_dir=package_dir, package_data=package_data)
