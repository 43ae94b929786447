"""Per-speaker and article summaries (stance.results)."""

import json

from stance.results import ScoredUnit, summarise

LABELS = ("dialogue", "pressure", "neutral")


def unit(speaker, label, score):
    return ScoredUnit(text="t", start=0, end=1, kind="direct", speaker=speaker, cue=None,
                      cue_start=None, cue_end=None, context="t", label=label, score=score)


def test_speaker_balance_is_mean_dialogue_minus_pressure():
    # A: (0.8 - 0.1) and (0.2 - 0.7) -> mean (0.7 - 0.5) / 2 = 0.1; B: (0.0 - 0.9) = -0.9.
    units = [unit("A", "dialogue", 0.8), unit("A", "pressure", 0.7), unit("B", "pressure", 0.9)]
    probs = [{"dialogue": 0.8, "pressure": 0.1, "neutral": 0.1},
             {"dialogue": 0.2, "pressure": 0.7, "neutral": 0.1},
             {"dialogue": 0.0, "pressure": 0.9, "neutral": 0.1}]
    result = summarise(units, probs, LABELS)
    by_name = {s.speaker: s for s in result.speakers}
    assert by_name["A"].balance == 0.1
    assert by_name["A"].counts == {"dialogue": 1, "pressure": 1, "neutral": 0}
    assert by_name["B"].balance == -0.9
    assert result.counts == {"dialogue": 1, "pressure": 2, "neutral": 0}
    # Article balance: (0.7 - 0.5 - 0.9) / 3 = -0.2333
    assert result.balance == round(-0.7 / 3, 4)
    assert result.speakers[0].speaker == "A"  # most units first


def test_balance_is_none_without_dialogue_and_pressure_labels():
    result = summarise([unit("A", "pro", 0.6)], [{"pro": 0.6, "con": 0.4}], ("pro", "con"))
    assert result.balance is None
    assert result.speakers[0].balance is None


def test_result_round_trips_through_json():
    result = summarise([unit("A", "neutral", 0.5)],
                       [{"dialogue": 0.2, "pressure": 0.3, "neutral": 0.5}], LABELS)
    data = json.loads(result.to_json())
    assert data["summary"] == {"units": 1, "counts": {"dialogue": 0, "pressure": 0, "neutral": 1},
                               "balance": -0.1}
    assert "scores" not in data["units"][0]
