"""Baselines (training.baselines) on tiny known cases."""

import numpy as np

from training.baselines import lexicon, majority, tfidf_lr
from training.data import Example

LABELS = ["dialogue", "pressure", "neutral"]


def ex(quote: str, label: str) -> Example:
    return Example(quote=quote, context=quote, label=label, article_id="a", dispute="d",
                   kind="direct", hard=False, start=0, end=len(quote))


def test_majority_predicts_the_most_frequent_training_label():
    train = [ex("a", "neutral"), ex("b", "neutral"), ex("c", "pressure")]
    probs = majority(train, LABELS)([ex("x", "dialogue"), ex("y", "pressure")])
    assert probs.argmax(axis=1).tolist() == [2, 2]


def test_lexicon_counts_keywords_and_ties_go_neutral():
    predict = lexicon([], LABELS)
    probs = predict([ex("We want talks and a peaceful solution", "dialogue"),
                     ex("New sanctions and a military strike", "pressure"),
                     ex("The meeting was held on Monday", "neutral"),
                     ex("talks about sanctions", "neutral")])
    # "talks", "peaceful", "solution" -> dialogue; "sanctions", "military", "strike" -> pressure;
    # no keywords -> neutral; one of each -> tie -> neutral.
    assert [LABELS[i] for i in probs.argmax(axis=1)] == ["dialogue", "pressure", "neutral", "neutral"]


def test_tfidf_learns_a_separable_toy_task():
    train = [ex(f"we call for talks and dialogue number {i}", "dialogue") for i in range(10)]
    train += [ex(f"we impose sanctions and threats number {i}", "pressure") for i in range(10)]
    train += [ex(f"the meeting was on monday number {i}", "neutral") for i in range(10)]
    probs = tfidf_lr(train, LABELS)([ex("call for dialogue", "dialogue"),
                                     ex("impose sanctions", "pressure")])
    assert probs.shape == (2, 3) and np.allclose(probs.sum(axis=1), 1.0)
    assert probs.argmax(axis=1).tolist() == [0, 1]
