"""The classifier itself (stance.model)."""

import threading

import numpy as np
import pytest

from stance import StanceClassifier, StatementTooLongWarning


def test_probabilities_have_one_row_per_statement_and_sum_to_one(tiny_classifier):
    probs = tiny_classifier.predict_proba(["We want talks.", "They must withdraw now.", "Hi"],
                                          ["ctx", None, "ctx"])
    assert probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_order_is_kept_despite_length_sorting(tiny_classifier):
    # Batches are length-sorted internally; results must come back in input order, so the
    # same statement scores the same wherever it stands in the list.
    texts = ["a much longer statement about the talks in Geneva " * 3, "short", "medium one"]
    forward = tiny_classifier.predict_proba(texts, None)
    backward = tiny_classifier.predict_proba(texts[::-1], None)
    assert np.allclose(forward, backward[::-1], atol=1e-6)


def test_empty_input_gives_empty_array(tiny_classifier):
    assert tiny_classifier.predict_proba([], None).shape == (0, 3)


def test_contexts_must_match_statements(tiny_classifier):
    with pytest.raises(ValueError, match="2 statements but 1 contexts"):
        tiny_classifier.predict_proba(["a", "b"], ["c"])


def test_long_statement_is_truncated_with_a_warning(tiny_classifier):
    with pytest.warns(StatementTooLongWarning, match="window of 64 tokens"):
        probs = tiny_classifier.predict_proba(["talks " * 500], None)
    assert probs.shape == (1, 3)


def test_bad_options_are_named(tiny_model_dir):
    with pytest.raises(ValueError, match="backend 'gpu'"):
        StanceClassifier.from_pretrained(tiny_model_dir, backend="gpu")
    with pytest.raises(ValueError, match="device 'tpu'"):
        StanceClassifier.from_pretrained(tiny_model_dir, device="tpu")
    with pytest.raises(ValueError, match="batch_size"):
        StanceClassifier.from_pretrained(tiny_model_dir, batch_size=0)


def test_temperature_softens_scores(tmp_path):
    # The same weights with T = 5 must give flatter (higher-entropy) probabilities than T = 1.
    from tests.conftest import write_tiny_model

    sharp = StanceClassifier.from_pretrained(write_tiny_model(tmp_path / "a", temperature=1.0))
    soft = StanceClassifier.from_pretrained(write_tiny_model(tmp_path / "b", temperature=5.0))
    texts = ["We will respond with force.", "Talks resume Monday."]
    p1, p5 = sharp.predict_proba(texts, None), soft.predict_proba(texts, None)
    assert np.all(p5.max(axis=1) <= p1.max(axis=1) + 1e-6)


def test_int8_backend_agrees_with_fp32(tiny_model_dir):
    fp32 = StanceClassifier.from_pretrained(tiny_model_dir)
    int8 = StanceClassifier.from_pretrained(tiny_model_dir, backend="int8")
    texts = ["We urge restraint.", "Sanctions will follow.", "The meeting was held."]
    assert np.abs(fp32.predict_proba(texts, None) - int8.predict_proba(texts, None)).max() < 0.05


def test_eight_threads_get_the_sequential_results(tiny_classifier):
    texts = [f"Statement number {i} about the talks and the sanctions." for i in range(40)]
    expected = tiny_classifier.predict_proba(texts, texts)
    results: dict[int, np.ndarray] = {}

    def work(index: int) -> None:
        results[index] = tiny_classifier.predict_proba(texts, texts)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    for value in results.values():
        assert np.array_equal(value, expected)
