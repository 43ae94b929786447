"""The quote extractor stays a small, model-free package."""

from __future__ import annotations

import ast
from pathlib import Path

import stance.quotes

PACKAGE = Path(stance.quotes.__file__).parent


def test_no_model_or_third_party_imports():
    # Only the standard library and the package itself: no torch, transformers or spaCy.
    allowed = {"__future__", "re", "bisect", "dataclasses"}
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside the package
                    continue
                names = [(node.module or "").split(".")[0]]
            else:
                continue
            assert set(names) <= allowed, f"{path.name} imports {names}"


def test_modules_stay_small():
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name


def test_public_api():
    assert stance.quotes.__all__ == ["Quote", "extract_quotes"]
    fields = list(stance.quotes.Quote.__dataclass_fields__)
    assert fields == [
        "text", "start", "end", "kind", "speaker", "cue", "cue_start", "cue_end",
        "context", "context_start", "context_end",
    ]
