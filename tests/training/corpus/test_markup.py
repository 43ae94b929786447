"""The corpus authoring format (training.corpus.markup)."""

import pytest

from training.corpus.markup import MarkupError, parse_source

HEADER = "### id: t-001\nsource: wire story\ndate: 2019-05-02\ndispute: north-korea\n\n"


def test_offsets_are_computed_from_the_markup():
    body = ('He said [[talks would resume||indirect|dialogue|Kim Il|tb=3|note=offer]]. '
            '"[[No.||d|neutral|Kim Il|hard]]"')
    (article,) = parse_source(HEADER + body)
    assert article.text == 'He said talks would resume. "No."'
    first, second = article.quotes
    assert article.text[first["start"]:first["end"]] == "talks would resume"
    assert first == {"start": 8, "end": 26, "text": "talks would resume", "kind": "indirect",
                     "speaker": "Kim Il", "stance": "dialogue", "tiebreak": 3, "note": "offer"}
    assert second["kind"] == "direct" and second["hard"] is True


@pytest.mark.parametrize("body, message", [
    ("x [[a||direct|angry|S]]", "stance 'angry'"),
    ("x [[a||speech|neutral|S]]", "kind 'speech'"),
    ("x [[a||direct|neutral|]]", "speaker is empty"),
    ("x [[a||direct|neutral|S|tb=9]]", "tie-break '9'"),
    ("x [[ a||direct|neutral|S]]", "outer spaces"),
    ("x [[a||direct|neutral|S]] and [[b", "unbalanced"),
])
def test_errors_name_the_problem(body, message):
    with pytest.raises(MarkupError, match=message):
        parse_source(HEADER + body, "f.txt")


def test_missing_header_field_is_named():
    with pytest.raises(MarkupError, match="lacks dispute"):
        parse_source("### id: t-1\nsource: s\ndate: 2001-01-01\n\nbody")
