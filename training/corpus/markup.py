"""The authoring format of the corpus: articles with their units marked inline.

Writers annotate an article where they write it. A source file in ``seeds/src/`` holds
several articles; each starts with a header block and is followed by its body::

    ### id: nk-0001
    source: wire story (Reuters style)
    date: 1994-06-15
    dispute: north-korea

    SEOUL, June 15 (Reuters) - ... "[[We will never bow to pressure||direct|pressure|Kang Sok-ju]],"
    the vice foreign minister said.

A unit is ``[[SPAN||KIND|STANCE|SPEAKER]]`` with optional trailing fields ``tb=N`` (the
guidelines' tie-break it exercises), ``hard`` (real doubt) and ``note=free text``. The markup is
removed from the text and the unit's character offsets are computed, so
``text[start:end] == span`` holds by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("direct", "indirect", "mixed")
STANCES = ("dialogue", "pressure", "neutral")
HEADER_FIELDS = ("id", "source", "date", "dispute")
_KIND_ALIASES = {"d": "direct", "i": "indirect", "m": "mixed"}
_UNIT = re.compile(r"\[\[(?P<span>.*?)\|\|(?P<attrs>[^\[\]]*?)\]\]", re.DOTALL)
_ARTICLE_START = re.compile(r"^### id:\s*(?P<id>\S+)\s*$", re.MULTILINE)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class MarkupError(ValueError):
    """A source file breaks the authoring format; the message names file and line."""


@dataclass
class SourceArticle:
    """One article parsed from a source file, markup removed."""

    meta: dict[str, str]
    text: str
    quotes: list[dict] = field(default_factory=list)

    def to_record(self) -> dict:
        record = {key: self.meta[key] for key in HEADER_FIELDS}
        for key, value in self.meta.items():
            if key not in record:
                record[key] = value
        record["text"] = self.text
        record["quotes"] = self.quotes
        return record


def _line_of(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def _parse_attrs(attrs: str, where: str) -> dict:
    parts = [part.strip() for part in attrs.split("|")]
    if len(parts) < 3:
        raise MarkupError(f"{where}: unit needs KIND|STANCE|SPEAKER after '||', got {attrs!r}")
    kind = _KIND_ALIASES.get(parts[0], parts[0])
    stance = parts[1]
    speaker = parts[2]
    if kind not in KINDS:
        raise MarkupError(f"{where}: kind {parts[0]!r} is not one of {', '.join(KINDS)}")
    if stance not in STANCES:
        raise MarkupError(f"{where}: stance {stance!r} is not one of {', '.join(STANCES)}")
    if not speaker:
        raise MarkupError(f"{where}: the speaker is empty; name who said it")
    unit: dict = {"kind": kind, "speaker": speaker, "stance": stance}
    for extra in parts[3:]:
        if extra == "hard":
            unit["hard"] = True
        elif extra.startswith("tb="):
            value = extra[3:]
            if value not in {"1", "2", "3", "4", "5", "6"}:
                raise MarkupError(f"{where}: tie-break {value!r} must be 1 to 6")
            unit["tiebreak"] = int(value)
        elif extra.startswith("note="):
            unit["note"] = extra[5:].strip()
        elif extra:
            raise MarkupError(f"{where}: unknown field {extra!r}; use tb=N, hard or note=...")
    return unit


def _parse_body(body: str, body_offset: int, source: str, path: str) -> tuple[str, list[dict]]:
    pieces: list[str] = []
    quotes: list[dict] = []
    cursor = 0
    length = 0
    for match in _UNIT.finditer(body):
        where = f"{path}:{_line_of(source, body_offset + match.start())}"
        span = match.group("span")
        if "[[" in span or "||" in span:
            raise MarkupError(f"{where}: units cannot nest; close the first with ']]'")
        if not span.strip() or span != span.strip():
            raise MarkupError(f"{where}: span {span!r} is empty or has outer spaces")
        pieces.append(body[cursor : match.start()])
        length += match.start() - cursor
        unit = _parse_attrs(match.group("attrs"), where)
        quotes.append({"start": length, "end": length + len(span), "text": span, **unit})
        pieces.append(span)
        length += len(span)
        cursor = match.end()
    pieces.append(body[cursor:])
    text = "".join(pieces)
    leftover = re.search(r"\[\[|\]\]|\|\|", text)
    if leftover:
        near = text[max(0, leftover.start() - 40) : leftover.start() + 40]
        raise MarkupError(f"{path}: unbalanced unit markup near {near!r}")
    return text, quotes


def _parse_header(lines: list[str], where: str, article_id: str) -> dict[str, str]:
    meta: dict[str, str] = {"id": article_id}
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep:
            raise MarkupError(f"{where}: header line {line!r} is not 'key: value'")
        meta[key.strip()] = value.strip()
    missing = [key for key in HEADER_FIELDS if not meta.get(key)]
    if missing:
        raise MarkupError(f"{where}: header lacks {', '.join(missing)}")
    if not _DATE.match(meta["date"]):
        raise MarkupError(f"{where}: date {meta['date']!r} is not YYYY-MM-DD")
    return meta


def parse_source(source: str, path: str = "<string>") -> list[SourceArticle]:
    """Parse every article of one source file; raise MarkupError naming file and line."""
    starts = list(_ARTICLE_START.finditer(source))
    if not starts:
        raise MarkupError(f"{path}: no article found; each starts with a '### id: ...' line")
    articles = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(source)
        block = source[start.start() : end]
        where = f"{path}:{_line_of(source, start.start())}"
        head, sep, body = block.partition("\n\n")
        if not sep:
            raise MarkupError(f"{where}: the header must be followed by a blank line and the body")
        head_lines = head.split("\n")[1:]
        lines = [line for line in head_lines if line.strip()]
        meta = _parse_header(lines, where, start.group("id"))
        stripped = body.strip()
        body_offset = start.start() + len(head) + 2 + body.index(stripped[:1] or "")
        text, quotes = _parse_body(stripped, body_offset, source, path)
        articles.append(SourceArticle(meta=meta, text=text, quotes=quotes))
    return articles


def parse_file(path: Path) -> list[SourceArticle]:
    """Parse one source file from disk."""
    return parse_source(path.read_text(encoding="utf-8"), str(path))
