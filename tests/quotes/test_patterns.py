"""Known-answer tests for general patterns found in error analysis of the seed article.

Every article here was invented for these tests; each test says why the expected units and
speakers follow from ``shared/annotation/GUIDELINES.md`` section 1.
"""

from __future__ import annotations

from stance.quotes import extract_quotes


def units(text: str) -> list[tuple[str, str, str | None]]:
    out = extract_quotes(text)
    for q in out:
        assert text[q.start : q.end] == q.text
    return [(q.kind, q.text, q.speaker) for q in out]


def test_measures_described_by_narration_do_not_speak():
    # "The new rules order ..." is narration about what the measures contain (an act, not a
    # statement): no unit. The minister's call in the same article is a unit.
    text = (
        "The council adopted a new package of fishing limits on Friday.\n"
        "The measures order all trawlers to leave the northern zone within a month and ban "
        "night fishing near the coast.\n"
        "Minister Lena Strand called for talks with the fishing fleets before the limits take "
        "effect.\n"
    )
    assert units(text) == [
        ("indirect", "talks with the fishing fleets before the limits take effect",
         "Lena Strand"),
    ]


def test_law_orders_is_not_a_unit_but_a_document_may_emphasize():
    # A law that "orders" something is narration about its content; a document that
    # "emphasizes" a point states a position (the guidelines allow documents as speakers
    # with cues such as call for / demand / emphasize).
    text = (
        "The law orders every port to close to foreign ships by the end of the year.\n"
        "The joint declaration emphasizes that the dispute must be settled through dialogue.\n"
    )
    got = units(text)
    assert [u[1] for u in got] == ["the dispute must be settled through dialogue"]


def test_multi_word_country_names_stay_whole():
    # The speaker is the name at its fullest: "South Korea", "the European Union",
    # "Saudi Arabia", not their last word.
    text = (
        "South Korea said on Tuesday that the drills would go ahead as planned.\n"
        "The European Union warned that new tariffs would hurt both economies.\n"
        "Saudi Arabia insisted that the pipeline deal was still on track.\n"
    )
    assert [u[2] for u in units(text)] == ["South Korea", "European Union", "Saudi Arabia"]


def test_surname_alone_resolves_to_the_full_name():
    # A name written family name first ("Mei Lanfang") is later cited by the family name
    # alone ("Mei said"); the speaker is the fullest form the article gives. The same holds
    # for title + surname ("Mr. Osei") after "Kwame Osei".
    text = (
        "Foreign Ministry spokeswoman Mei Lanfang said on Monday that both sides should keep "
        "talking.\n"
        "Mei said the new agreement would protect the fishing rights of both countries.\n"
        "Trade Minister Kwame Osei met the delegation in Accra.\n"
        "Mr. Osei said the tariffs would be lifted if the talks succeed.\n"
    )
    assert [u[2] for u in units(text)] == ["Mei Lanfang", "Mei Lanfang", "Kwame Osei",
                                           ]


def test_told_addressee_with_adverbials_then_that():
    # "told <addressee> in <adverbials> that <clause>": the span is the clause after "that",
    # not the addressee.
    text = (
        "Minister Arno Vik told the state-run NTB news agency in a written interview on "
        "Monday that there is a need to reopen the border talks.\n"
    )
    assert units(text) == [
        ("indirect", "there is a need to reopen the border talks", "Arno Vik"),
    ]


def test_object_that_names_a_feeling_is_not_a_unit():
    # "reiterated Oslo's concern over ..." and "expressed its deep regret at ..." name a
    # feeling, not a position: no unit. "but vowed to keep talking" is a unit.
    text = (
        "The envoy reiterated Oslo's concern over the rising number of incidents at sea, but "
        "vowed to keep the channels of dialogue open.\n"
        "The ministry also expressed its deep regret at the loss of life.\n"
    )
    got = units(text)
    assert [u[1] for u in got] == ["to keep the channels of dialogue open"]
