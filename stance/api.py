"""The public entry points: :func:`classify` for articles, :func:`classify_statements` for
statements the caller already has, and the lazily loaded default model."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import overload

from stance.context import unit_context
from stance.model import BACKENDS, DEFAULT_BACKEND, StanceClassifier
from stance.quotes import Quote, extract_quotes
from stance.results import ArticleResult, ScoredUnit, summarise

logger = logging.getLogger(__name__)

MODEL_ENV = "STANCE_MODEL"
BACKEND_ENV = "STANCE_BACKEND"
MAX_ARTICLE_CHARS = 5_000_000
_default: StanceClassifier | None = None  # the default model on the default backend
_by_backend: dict[str, StanceClassifier] = {}
_default_lock = threading.Lock()


def default_model_path() -> Path:
    """``$STANCE_MODEL`` if set; else the model bundled in the installed package, else the
    repository's ``models/default`` (when running from a source checkout)."""
    if os.environ.get(MODEL_ENV):
        return Path(os.environ[MODEL_ENV])
    bundled = resources.files("stance") / "default_model"
    if bundled.is_dir():
        return Path(str(bundled))
    return Path(__file__).resolve().parents[1] / "models" / "default"


def default_backend() -> str:
    """``$STANCE_BACKEND`` if set, else ``"auto"`` (see :meth:`StanceClassifier.from_pretrained`)."""
    backend = os.environ.get(BACKEND_ENV) or DEFAULT_BACKEND
    if backend not in BACKENDS:
        raise ValueError(f"${BACKEND_ENV}={backend!r} is not one of {', '.join(BACKENDS)}")
    return backend


def default_classifier(backend: str | None = None) -> StanceClassifier:
    """The default model on ``backend`` (default: :func:`default_backend`), loaded once on first
    use (thread-safe)."""
    global _default
    chosen = backend or default_backend()
    if chosen not in BACKENDS:
        raise ValueError(f"backend {chosen!r} is not one of {', '.join(BACKENDS)}")
    with _default_lock:
        if chosen not in _by_backend:
            _by_backend[chosen] = StanceClassifier.from_pretrained(default_model_path(), backend=chosen)
        if backend is None:
            _default = _by_backend[chosen]
        return _by_backend[chosen]


def _check_backend(model: StanceClassifier | None, backend: str | None) -> None:
    if backend is None:
        return
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    if model is not None:
        raise ValueError("pass model or backend, not both (a loaded model has its backend)")


def _pick_classifier(model: StanceClassifier | None, backend: str | None) -> StanceClassifier:
    if model is not None:
        return model
    return default_classifier(backend) if backend is not None else default_classifier()


def _type_error(value: object, what: str) -> TypeError:
    hint = " Decode it first, e.g. text.decode('utf-8')." if isinstance(value, bytes | bytearray) else ""
    return TypeError(f"{what} must be str, not {type(value).__name__}.{hint}")


def _check_text(text: object, what: str = "text") -> str:
    if not isinstance(text, str):
        raise _type_error(text, what)
    if len(text) > MAX_ARTICLE_CHARS:
        raise ValueError(
            f"{what} has {len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}. "
            "Split it into articles and pass a list."
        )
    return text


def _scored(quote: Quote, context: str, probs, labels: tuple[str, ...],
            all_scores: bool) -> tuple[ScoredUnit, dict[str, float]]:
    row = {label: round(float(p), 6) for label, p in zip(labels, probs, strict=True)}
    best = max(row, key=row.get)
    unit = ScoredUnit(
        text=quote.text, start=quote.start, end=quote.end, kind=quote.kind, speaker=quote.speaker,
        cue=quote.cue, cue_start=quote.cue_start, cue_end=quote.cue_end, context=context,
        label=best, score=row[best], scores=row if all_scores else None,
    )
    return unit, row


def classify_articles(texts: Sequence[str], classifier: StanceClassifier, *,
                      all_scores: bool = False, progress: bool = False) -> list[ArticleResult]:
    """Extract and classify the units of many articles in one batched pass."""
    found = [extract_quotes(text) for text in texts]
    budget = classifier.context_chars
    contexts = [[unit_context(text, q.start, q.end, budget) for q in quotes]
                for text, quotes in zip(texts, found, strict=True)]
    flat_quotes = [q.text for quotes in found for q in quotes]
    flat_contexts = [c for group in contexts for c in group]
    probs = classifier.predict_proba(flat_quotes, flat_contexts, progress=progress)
    results, offset = [], 0
    for quotes, group in zip(found, contexts, strict=True):
        pairs = [_scored(q, c, probs[offset + i], classifier.labels, all_scores)
                 for i, (q, c) in enumerate(zip(quotes, group, strict=True))]
        offset += len(quotes)
        results.append(summarise([u for u, _ in pairs], [r for _, r in pairs], classifier.labels))
    return results


@overload
def classify(text: str, *, model: StanceClassifier | None = ..., all_scores: bool = ...,
             progress: bool = ..., backend: str | None = ...) -> ArticleResult: ...
@overload
def classify(text: Sequence[str], *, model: StanceClassifier | None = ..., all_scores: bool = ...,
             progress: bool = ..., backend: str | None = ...) -> list[ArticleResult]: ...
def classify(text, *, model=None, all_scores=False, progress=False, backend=None):
    """Find every quoted statement in an article and classify its stance.

    ``text`` is one article (returns an :class:`ArticleResult`) or a list of articles (returns a
    list of results, in order). ``all_scores=True`` adds every label's probability to each unit.
    ``model`` is a :class:`StanceClassifier`; by default the bundled model (or ``$STANCE_MODEL``)
    on ``backend``: ``"auto"`` (the default, or ``$STANCE_BACKEND``) runs it in ONNX Runtime
    with int8 weights on the CPU when onnxruntime is installed, else in torch; ``"torch"``,
    ``"int8"``, ``"onnx"`` and ``"onnx-int8"`` pick one (see docs/performance.md).
    """
    _check_backend(model, backend)
    single = isinstance(text, str)
    if single:
        texts = [_check_text(text)]
    elif isinstance(text, list | tuple):
        texts = [_check_text(t, f"text[{i}]") for i, t in enumerate(text)]
    else:
        raise _type_error(text, "text (an article or a list of articles)")
    if not any(t.strip() for t in texts):
        empty = [ArticleResult() for _ in texts]
        return empty[0] if single else empty
    classifier = _pick_classifier(model, backend)
    results = classify_articles(texts, classifier, all_scores=all_scores, progress=progress)
    return results[0] if single else results


def _pipeline_rows(probs, labels: tuple[str, ...], top_k: int | None) -> list[dict]:
    rows = sorted(({"label": label, "score": round(float(p), 6)}
                   for label, p in zip(labels, probs, strict=True)), key=lambda r: -r["score"])
    return rows if top_k is None else rows[:top_k]


def classify_statements(statements: str | Sequence[str],
                        contexts: str | Sequence[str | None] | None = None, *,
                        model: StanceClassifier | None = None, top_k: int | None = 1,
                        backend: str | None = None):
    """Classify statements the caller already has, in the transformers pipeline's shape.

    A string gives ``{"label", "score"}``; a list gives a list of those. ``top_k=None`` returns
    every label's score (sorted, best first) instead: a list per statement. ``contexts`` are the
    sentences or paragraphs the statements come from (optional, one per statement).
    ``model`` and ``backend`` are as in :func:`classify`.
    """
    _check_backend(model, backend)
    single = isinstance(statements, str)
    if not single and not isinstance(statements, list | tuple):
        raise _type_error(statements, "statements (a string or a list of strings)")
    items = [statements] if single else list(statements)
    for index, item in enumerate(items):
        _check_text(item, "statement" if single else f"statements[{index}]")
    if contexts is not None:
        contexts = [contexts] if isinstance(contexts, str) else list(contexts)
        for index, context in enumerate(contexts):
            if context is not None:
                _check_text(context, f"contexts[{index}]")
    if top_k is not None and (not isinstance(top_k, int) or top_k < 1):
        raise ValueError(f"top_k must be a positive int or None, got {top_k!r}")
    classifier = _pick_classifier(model, backend)
    probs = classifier.predict_proba(items, contexts)
    rows = [_pipeline_rows(p, classifier.labels, top_k) for p in probs]
    shaped = [r[0] if top_k == 1 else r for r in rows]
    return shaped[0] if single else shaped
