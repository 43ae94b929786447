"""The public API: classify and classify_statements (stance.api)."""

import json

import pytest

import stance
from stance import ArticleResult, classify, classify_statements

ARTICLE = (
    "GENEVA (Reuters) - The foreign minister said on Monday that his government was ready to "
    "resume talks without preconditions.\n"
    '"We will not negotiate under threat," the rebel commander told reporters.\n'
    "Sanctions were imposed in 2019."
)


def test_one_article_gives_one_result(tiny_classifier):
    result = classify(ARTICLE, model=tiny_classifier)
    assert isinstance(result, ArticleResult)
    assert len(result.units) >= 2
    for unit in result.units:
        assert ARTICLE[unit.start:unit.end] == unit.text
        assert unit.label in tiny_classifier.labels
        assert 0.0 <= unit.score <= 1.0
        assert unit.scores is None


def test_list_gives_list_in_order(tiny_classifier):
    results = classify([ARTICLE, "No quotes here at all.", ARTICLE], model=tiny_classifier)
    assert isinstance(results, list) and len(results) == 3
    assert results[1].units == []
    assert [u.text for u in results[0].units] == [u.text for u in results[2].units]


def test_all_scores_on_request(tiny_classifier):
    unit = classify(ARTICLE, model=tiny_classifier, all_scores=True).units[0]
    assert set(unit.scores) == set(tiny_classifier.labels)
    assert sum(unit.scores.values()) == pytest.approx(1.0, abs=1e-4)
    assert unit.score == max(unit.scores.values())


def test_result_converts_to_json(tiny_classifier):
    data = json.loads(classify(ARTICLE, model=tiny_classifier).to_json())
    assert set(data) == {"units", "speakers", "summary"}
    assert data["summary"]["units"] == len(data["units"])


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_gives_empty_result_without_loading_a_model(text, monkeypatch):
    monkeypatch.setattr(stance.api, "default_classifier",
                        lambda: pytest.fail("the model must not load for empty input"))
    assert classify(text).units == []


def test_bytes_raise_type_error_suggesting_decode():
    with pytest.raises(TypeError, match=r"not bytes.*decode"):
        classify(b"some bytes")


@pytest.mark.parametrize("bad", [None, 42, {"text": "x"}])
def test_non_strings_raise_type_error_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        classify(bad)


def test_non_string_inside_a_list_is_named():
    with pytest.raises(TypeError, match=r"text\[1\] must be str, not int"):
        classify(["fine", 3])


def test_huge_input_names_the_limit(monkeypatch):
    monkeypatch.setattr(stance.api, "MAX_ARTICLE_CHARS", 100)
    with pytest.raises(ValueError, match="the limit is 100"):
        classify("x" * 101)


def test_statements_follow_the_pipeline_shape(tiny_classifier):
    one = classify_statements("We urge restraint.", model=tiny_classifier)
    assert set(one) == {"label", "score"}
    many = classify_statements(["a", "b"], ["ctx a", "ctx b"], model=tiny_classifier)
    assert [set(row) for row in many] == [{"label", "score"}] * 2
    every = classify_statements("We urge restraint.", model=tiny_classifier, top_k=None)
    assert [row["label"] for row in every] != [] and len(every) == 3
    assert every[0]["score"] >= every[1]["score"] >= every[2]["score"]
    assert every[0] == one


def test_statements_reject_bad_top_k(tiny_classifier):
    with pytest.raises(ValueError, match="top_k"):
        classify_statements("x", model=tiny_classifier, top_k=0)


def test_default_model_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STANCE_MODEL", str(tmp_path))
    assert stance.default_model_path() == tmp_path


def test_import_loads_no_model():
    assert stance.api._default is None or isinstance(stance.api._default, stance.StanceClassifier)
