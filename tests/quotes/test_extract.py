"""Known-answer tests for ``stance.quotes.extract_quotes`` on short invented articles.

Every article here was written for these tests; each test says why the expected units, kinds
and speakers follow from ``shared/annotation/GUIDELINES.md`` section 1.
"""

from __future__ import annotations

import pytest

from stance.quotes import Quote, extract_quotes


def units(text: str) -> list[tuple[str, str, str | None]]:
    """(kind, text, speaker) of every unit, after checking the invariants."""
    out = extract_quotes(text)
    check_invariants(text, out)
    return [(q.kind, q.text, q.speaker) for q in out]


def check_invariants(text: str, quotes: list[Quote]) -> None:
    last_end = -1
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert text[q.context_start : q.context_end] == q.context
        assert q.kind in ("direct", "indirect", "mixed")
        assert q.start >= last_end, "units overlap or are unsorted"
        if q.cue is not None:
            assert text[q.cue_start : q.cue_end] == q.cue
        last_end = q.end


def test_straight_quotes_and_title_stripped_speaker():
    # A full quoted sentence followed by "<title> <name> said": one direct unit, the span is
    # the text inside the marks (with its comma), the speaker the name without the title.
    text = (
        "GENEVA (Wire) - Talks on the fishing dispute resumed on Tuesday.\n\n"
        '"We are ready to sign a deal this week," Foreign Minister Elena Varga said.\n'
    )
    assert units(text) == [("direct", "We are ready to sign a deal this week,", "Elena Varga")]


def test_curly_quotes_multi_sentence_and_inverted_cue():
    # "said <name>" after the quote attributes it; a second quote in the same paragraph with
    # no attribution keeps that speaker (one unit per quoted sentence).
    text = (
        "Officials met in Oslo.\n\n"
        "“There is no alternative to dialogue,” said Prime Minister Tomas Berg. "
        "“The door remains open. We will wait.”\n"
    )
    assert units(text) == [
        ("direct", "There is no alternative to dialogue,", "Tomas Berg"),
        ("direct", "The door remains open.", "Tomas Berg"),
        ("direct", "We will wait.", "Tomas Berg"),
    ]


def test_split_quote_gives_two_units():
    # A sentence split by its attribution is two units sharing the speaker.
    text = "“The time for threats,” Senator Ruth Okafor said, “is over.”\n"
    assert units(text) == [
        ("direct", "The time for threats,", "Ruth Okafor"),
        ("direct", "is over.", "Ruth Okafor"),
    ]


def test_floating_quote_keeps_previous_speaker():
    # The second paragraph opens a quote with no attribution: it keeps the speaker of the
    # quote before it, who was attributed by "she said".
    text = (
        "“We will not accept new tariffs,” Deputy Minister Karla Lind said.\n\n"
        "“Our answer will be measured but firm.”\n\n"
        "The vote was twelve to three.\n"
    )
    assert units(text) == [
        ("direct", "We will not accept new tariffs,", "Karla Lind"),
        ("direct", "Our answer will be measured but firm.", "Karla Lind"),
    ]


def test_pronoun_and_title_resolution():
    # "She" and "the minister" resolve to the last named person (the fullest name).
    text = (
        "Interior Minister Sofia Marchetti arrived in Rome on Monday. She said that the "
        "government would open talks with the unions.\n\n"
        "The minister added that no date had been set.\n"
    )
    assert units(text) == [
        ("indirect", "the government would open talks with the unions", "Sofia Marchetti"),
        ("indirect", "no date had been set", "Sofia Marchetti"),
    ]


def test_inverted_attribution_institution():
    # "..., the ministry said." - the clause before the comma, the institution speaks.
    assert units("The blockade must end immediately, the ministry said.\n") == [
        ("indirect", "The blockade must end immediately", "the ministry")
    ]


def test_reported_speech_with_several_cues():
    # urged X to ... (span: the object with its infinitive), warned that ..., and a
    # coordinated "and insisted that ..." that keeps the subject.
    text = (
        "President Ana Duarte urged both sides to return to the negotiating table. She warned "
        "that sanctions would only deepen the crisis, and insisted that mediation was the only "
        "way forward.\n"
    )
    assert units(text) == [
        ("indirect", "both sides to return to the negotiating table", "Ana Duarte"),
        ("indirect", "sanctions would only deepen the crisis", "Ana Duarte"),
        ("indirect", "mediation was the only way forward", "Ana Duarte"),
    ]


def test_according_to():
    # "According to X, CLAUSE": the clause is the unit, X the speaker.
    text = (
        "Mayor Lucas Ferrant opened the session. According to the mayor, the bridge will "
        "reopen next week.\n"
    )
    assert units(text) == [("indirect", "the bridge will reopen next week", "Lucas Ferrant")]


def test_noun_phrase_object_and_bare_topic():
    # "called for <negotiations without preconditions>" carries a position; "discussed
    # bilateral ties" names a topic with no cue and is not a unit.
    text = (
        "The alliance called for negotiations without preconditions. Its leaders also "
        "discussed bilateral ties.\n"
    )
    assert units(text) == [("indirect", "negotiations without preconditions", "The alliance")]


def test_mixed_unit_includes_quoted_fragment():
    # A reported clause holding a quoted fragment of three or more words is one mixed unit.
    text = (
        "Union leader Paolo Marchetti said the employers should \"stop the lockouts and come "
        'back to the table" before Friday.\n'
    )
    got = units(text)
    assert len(got) == 1
    kind, span, speaker = got[0]
    assert kind == "mixed" and speaker == "Paolo Marchetti"
    assert span.startswith("the employers should") and "come back to the table" in span


def test_scare_quotes_are_not_units():
    # One- and two-word quotations are scare quotes, not units; the reported clause of the
    # second sentence is.
    text = (
        "The group's \"peaceful\" rallies drew large crowds. General Omar Haddad said the army "
        "would stay in its barracks.\n"
    )
    assert units(text) == [("indirect", "the army would stay in its barracks", "Omar Haddad")]


def test_unbalanced_mark_does_not_swallow_the_rest():
    # The first paragraph has an odd number of marks: the stray one must not pair with a mark
    # in the next paragraph; the following paragraphs are read normally.
    text = (
        'Lind said the plan was "a disaster.\n\n'
        '"We reject it completely," Varga said.\n\n'
        "The ministry said that talks would resume in May.\n"
    )
    got = units(text)
    assert ("direct", "We reject it completely,", "Varga") in got
    assert ("indirect", "talks would resume in May", "The ministry") in got
    assert all("We reject" not in span for kind, span, _ in got if kind != "direct")


def test_wire_copy_backtick_quotes():
    # Old wire copy opens with `` and closes with ''.
    assert units("``We are not going anywhere,'' Haddad told reporters.\n") == [
        ("direct", "We are not going anywhere,", "Haddad")
    ]


def test_page_furniture_is_skipped():
    text = (
        "Advertisement\n\n"
        "Read more: Minister says talks will resume\n\n"
        "“The talks will resume in June,” the spokesman said.\n"
    )
    assert [u[1] for u in units(text)] == ["The talks will resume in June,"]


def test_offsets_and_context_are_exact():
    text = "Intro line.\n\n  “Peace is possible now,” Lind said.  \n"
    (q,) = extract_quotes(text)
    assert text[q.start : q.end] == q.text == "Peace is possible now,"
    assert q.context == text[q.context_start : q.context_end]
    assert q.cue == "said" and text[q.cue_start : q.cue_end] == "said"
    assert q.to_dict()["speaker"] == "Lind"


@pytest.mark.parametrize("bad", [b"bytes text", None, 42, ["a list"]])
def test_non_str_raises_type_error(bad):
    with pytest.raises(TypeError) as err:
        extract_quotes(bad)
    assert type(bad).__name__ in str(err.value)
    if isinstance(bad, bytes):
        assert ".decode(" in str(err.value)


@pytest.mark.parametrize("blank", ["", "   ", "\n\n\t"])
def test_blank_text_returns_empty(blank):
    assert extract_quotes(blank) == []


def test_long_text_is_consistent():
    # About 0.6 MB of article text (with stray marks): every repetition yields its units and the
    # invariants hold. (Speed is measured by benchmarks/bench.py, not by a timed test.)
    para = (
        "“We call for an immediate ceasefire,” said Foreign Minister Elena Varga. She warned "
        'that the sanctions would only deepen the crisis. The "so-called" plan was dropped. '
        'An odd " mark stands here.\n\n'
    )
    text = para * 3000
    quotes = extract_quotes(text)
    check_invariants(text, quotes)
    assert len(quotes) >= 6000


def test_run_on_text_without_breaks():
    text = "word " * 100_000 + '"unclosed'
    assert extract_quotes(text) == []


def test_and_that_splits_two_statements():
    # "said A and that B" reports two statements with the same speaker.
    text = (
        "Foreign Minister Omar Haddad said the border would reopen on Monday and that trucks "
        "would be inspected.\n"
    )
    assert units(text) == [
        ("indirect", "the border would reopen on Monday", "Omar Haddad"),
        ("indirect", "trucks would be inspected", "Omar Haddad"),
    ]


def test_relaying_source_is_not_the_speaker():
    # The agency only relays what the minister said; "urged restraint": the object is the span.
    text = "Minister Karla Lind has urged restraint, the state news agency reported.\n"
    assert units(text) == [("indirect", "restraint", "Karla Lind")]


def test_opening_participle_takes_the_main_subject():
    # "Stressing X, <subject> said Y": both X and Y are the subject's statements; the
    # appositive gives the name.
    text = (
        "Stressing the need for restraint, the mediator, Ines Carvalho, said both sides had "
        "agreed to a pause.\n"
    )
    assert units(text) == [
        ("indirect", "the need for restraint", "Ines Carvalho"),
        ("indirect", "both sides had agreed to a pause", "Ines Carvalho"),
    ]


def test_said_name_with_initial_after_quote():
    # "said Maria T. Okoro, ..." - the initial's period does not end the speaker's name.
    text = '"We will not retreat," said Maria T. Okoro, a former envoy. "Talks are the only way."\n'
    assert units(text) == [
        ("direct", "We will not retreat,", "Maria T. Okoro"),
        ("direct", "Talks are the only way.", "Maria T. Okoro"),
    ]
