"""A self-contained HTML page of an article with its units highlighted by stance."""

from __future__ import annotations

from html import escape

from stance.results import ArticleResult

COLOURS = {"dialogue": "#cfe8cf", "pressure": "#f6c9c4", "neutral": "#e4e4e4"}
BORDERS = {"dialogue": "#2e7d32", "pressure": "#c62828", "neutral": "#757575"}
FALLBACK = ("#fff3c4", "#b58900")

_STYLE = """
body { font: 16px/1.6 Georgia, serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; }
h1 { font: 600 1.3rem system-ui, sans-serif; }
.legend span, .unit { padding: 0 .15em; border-bottom: 2px solid; border-radius: 2px; }
.unit { position: relative; cursor: help; }
.unit .tip { display: none; position: absolute; left: 0; top: 1.6em; z-index: 2; width: 20rem;
             background: #fff; border: 1px solid #999; padding: .4rem .6rem; white-space: normal;
             font: 13px/1.4 system-ui, sans-serif; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
.unit:hover .tip, .unit:focus .tip { display: block; }
.article { white-space: pre-wrap; }
table { border-collapse: collapse; font: 14px system-ui, sans-serif; margin-top: 1rem; }
td, th { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; }
"""


def _colours(label: str) -> tuple[str, str]:
    return (COLOURS[label], BORDERS[label]) if label in COLOURS else FALLBACK


def _unit_html(text: str, unit, index: int) -> str:
    background, border = _colours(unit.label)
    scores = unit.scores or {unit.label: unit.score}
    score_lines = "".join(f"<br>{escape(k)}: {v:.2f}" for k, v in scores.items())
    tip = (f"<b>{escape(unit.speaker or 'unknown speaker')}</b> ({escape(unit.kind)}"
           f"{', cue: ' + escape(unit.cue) if unit.cue else ''})<br>"
           f"stance: <b>{escape(unit.label)}</b> {unit.score:.2f}{score_lines}")
    return (f'<span class="unit" id="u{index}" tabindex="0" data-label="{escape(unit.label)}" '
            f'style="background:{background};border-color:{border}">'
            f'{escape(text[unit.start:unit.end])}<span class="tip">{tip}</span></span>')


def _article_html(text: str, result: ArticleResult) -> str:
    pieces, cursor = [], 0
    for index, unit in enumerate(sorted(result.units, key=lambda u: u.start)):
        if unit.start < cursor:
            continue
        pieces.append(escape(text[cursor:unit.start]))
        pieces.append(_unit_html(text, unit, index))
        cursor = unit.end
    pieces.append(escape(text[cursor:]))
    return "".join(pieces)


def _speaker_table(result: ArticleResult) -> str:
    labels = list(result.counts)
    head = "".join(f"<th>{escape(label)}</th>" for label in labels)
    rows = []
    for speaker in result.speakers:
        cells = "".join(f"<td>{speaker.counts.get(label, 0)}</td>" for label in labels)
        balance = "n/a" if speaker.balance is None else f"{speaker.balance:+.2f}"
        rows.append(f"<tr><td>{escape(speaker.speaker)}</td><td>{speaker.units}</td>{cells}"
                    f"<td>{balance}</td></tr>")
    return (f"<table><tr><th>speaker</th><th>units</th>{head}<th>dialogue − pressure</th></tr>"
            + "".join(rows) + "</table>")


def render_html(text: str, result: ArticleResult, *, title: str = "stance") -> str:
    """The article as one HTML document with inline CSS and no external resources."""
    legend = " ".join(
        f'<span style="background:{COLOURS[k]};border-color:{BORDERS[k]}">{k}</span>'
        for k in result.counts if k in COLOURS
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_STYLE}</style></head>
<body>
<h1>{escape(title)}: {len(result.units)} quoted statements</h1>
<p class="legend">{legend} &nbsp; hover or focus a statement for its speaker and scores</p>
<div class="article">{_article_html(text, result)}</div>
<h1>Speakers</h1>
{_speaker_table(result)}
</body></html>
"""
