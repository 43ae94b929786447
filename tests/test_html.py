"""The HTML page of an article (stance.html): self-contained, every unit highlighted, escaped."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stance import classify
from stance.html import BORDERS, COLOURS, FALLBACK, render_html
from stance.results import ArticleResult, ScoredUnit, summarise

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_a41ec2105ae844da.txt"
LABELS = ("dialogue", "pressure", "neutral")


class Page(HTMLParser):
    """Collects the unit spans (text, tip text, attributes), the tags and the table cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.units: list[dict] = []
        self.cells: list[str] = []
        self._stack: list[str] = []  # "unit", "tip" or "" for each open span
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "span":
            kind = attributes.get("class") or ""
            if kind == "unit":
                self.units.append({"attrs": attributes, "text": "", "tip": ""})
            self._stack.append(kind)
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._stack.pop()
        elif tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if "tip" in self._stack:
            self.units[-1]["tip"] += data
        elif "unit" in self._stack:
            self.units[-1]["text"] += data
        if self._cell is not None:
            self._cell.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def style_of(attrs: dict[str, str | None]) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in (attrs.get("style") or "").split(";") if ":" in item)
    return {key.strip(): value.strip() for key, value in pairs}


def make_unit(text: str, article: str, *, label: str = "dialogue", speaker: str | None = "Envoy",
              scores: dict[str, float] | None = None) -> ScoredUnit:
    start = article.index(text)
    return ScoredUnit(text=text, start=start, end=start + len(text), kind="direct", speaker=speaker,
                      cue="said", cue_start=None, cue_end=None, context=article, label=label,
                      score=0.8, scores=scores)


def result_of(units: list[ScoredUnit], labels: tuple[str, ...] = LABELS) -> ArticleResult:
    rows = [u.scores or {label: (u.score if label == u.label else (1 - u.score) / (len(labels) - 1))
                         for label in labels} for u in units]
    return summarise(units, rows, labels)


@pytest.fixture(scope="module")
def seed_page(tiny_classifier) -> tuple[str, ArticleResult, str]:
    text = SEED.read_text(encoding="utf-8")
    result = classify(text, model=tiny_classifier, all_scores=True)
    return text, result, render_html(text, result, title=SEED.name)


def test_page_is_one_self_contained_document(seed_page):
    _, _, page = seed_page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count("<html") == 1 and page.count("</html>") == 1
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", page, re.IGNORECASE)
    tags = parse(page).tags
    names = {tag for tag, _ in tags}
    assert not names & {"script", "link", "iframe", "img", "object", "embed", "frame"}
    assert not [a for _, a in tags if {"src", "href"} & set(a)]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    assert '<meta charset="utf-8">' in page


def test_every_unit_is_a_highlighted_span(seed_page):
    text, result, page = seed_page
    assert len(result.units) >= 5
    spans = parse(page).units
    assert len(spans) == len(result.units)
    for unit, span in zip(sorted(result.units, key=lambda u: u.start), spans, strict=True):
        assert span["text"] == text[unit.start:unit.end]
        assert span["attrs"]["data-label"] == unit.label
        style = style_of(span["attrs"])
        assert style["background"] == COLOURS[unit.label]
        assert style["border-color"] == BORDERS[unit.label]
        assert (unit.speaker or "unknown speaker") in span["tip"]
        assert f"stance: {unit.label} {unit.score:.2f}" in span["tip"]
        for label, value in unit.scores.items():
            assert f"{label}: {value:.2f}" in span["tip"]
        if unit.cue:
            assert f"cue: {unit.cue}" in span["tip"]


def test_article_text_survives_between_the_units(seed_page):
    text, _, page = seed_page
    article = re.search(r'<div class="article">(.*?)</div>', page, re.DOTALL).group(1)
    without_tips = re.sub(r'<span class="tip">.*?</span></span>', "", article, flags=re.DOTALL)
    assert unescape(re.sub(r"<[^>]+>", "", without_tips)) == text


def test_speaker_table_lists_every_speaker(seed_page):
    _, result, page = seed_page
    cells = parse(page).cells
    for speaker in result.speakers:
        assert speaker.speaker in cells
        row = cells.index(speaker.speaker)
        assert cells[row + 1] == str(speaker.units)
        assert cells[row + 2:row + 2 + len(result.counts)] == [
            str(speaker.counts[label]) for label in result.counts]
    assert "<th>dialogue</th><th>pressure</th><th>neutral</th>" in page


def test_markup_and_ampersands_are_escaped():
    article = ('Tom & Jerry <b>News</b>: "Talks <script>alert(1)</script> & more now," '
               'said <Envoy & Co>. "Sanctions work," said R&D.')
    units = [make_unit('Talks <script>alert(1)</script> & more now,', article,
                       speaker="<Envoy & Co>"),
             make_unit("Sanctions work,", article, label="pressure", speaker="R&D")]
    page = render_html(article, result_of(units), title="<title> & </title>")
    assert "<script" not in page.lower() and "<b>News" not in page and "<Envoy" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more now," in page
    assert "Tom &amp; Jerry &lt;b&gt;News&lt;/b&gt;" in page
    assert "<title>&lt;title&gt; &amp; &lt;/title&gt;</title>" in page
    parsed = parse(page)
    assert [s["text"] for s in parsed.units] == [u.text for u in units]
    assert "<Envoy & Co>" in parsed.units[0]["tip"] and "R&D" in parsed.units[1]["tip"]
    assert {"<Envoy & Co>", "R&D"} <= set(parsed.cells)


def test_unknown_speaker_and_unscored_units():
    article = '"We will talk," someone said.'
    unit = make_unit("We will talk,", article, speaker=None)
    span = parse(render_html(article, result_of([unit]))).units[0]
    assert "unknown speaker" in span["tip"]
    assert "dialogue: 0.80" in span["tip"]


def test_labels_without_a_colour_get_the_fallback():
    article = '"Maybe," he said.'
    unit = make_unit("Maybe,", article, label="other")
    page = render_html(article, result_of([unit], labels=("other", "neutral")))
    style = style_of(parse(page).units[0]["attrs"])
    assert (style["background"], style["border-color"]) == FALLBACK


def test_article_without_units_still_renders():
    page = render_html("No quotes here & nothing else.", ArticleResult())
    assert "No quotes here &amp; nothing else." in page
    assert ": 0 quoted statements" in page
    assert parse(page).units == []
