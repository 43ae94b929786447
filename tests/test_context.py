"""The context a unit is classified with (stance.context)."""

from stance.context import context_bounds, unit_context


def test_short_paragraph_is_whole_context():
    # The unit's paragraph is shorter than the budget, so the context is that paragraph only:
    # neither the previous nor the next line may leak in.
    text = "First line.\nHe said that talks would resume.\nLast line."
    start = text.index("talks")
    end = text.index(" would") + len(" would resume")
    assert unit_context(text, start, end) == "He said that talks would resume."


def test_long_paragraph_is_trimmed_at_sentence_boundaries():
    # 40 filler sentences on each side; the window must contain the unit, stay near the
    # budget and start and end at sentence boundaries.
    filler = "The meeting lasted an hour. " * 40
    text = filler + "Officials said the talks were over. " + filler.strip()
    start = text.index("the talks")
    end = start + len("the talks were over")
    lower, upper = context_bounds(text, start, end, budget=200)
    window = text[lower:upper]
    assert "the talks were over" in window
    assert len(window) <= 260
    assert window.startswith("The meeting") or window.startswith("Officials")
    assert window.rstrip().endswith(".")


def test_unit_longer_than_budget_is_its_own_context():
    text = "x " * 10 + "A" * 500 + " y"
    start = text.index("A")
    assert unit_context(text, start, start + 500, budget=100) == "A" * 500
