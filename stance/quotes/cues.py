"""Reported-speech cues: finding cue verbs in a sentence and reading their frame.

For every cue outside quotation marks this module decides who speaks (the noun phrase before
the cue, after it in an inverted ``..., said Lavrov``, the subject of the main clause for a
participle ``..., saying ...``, or ``according to X``) and where the reported content lies:

* forward: ``X said (on Monday) (that) CLAUSE`` / ``X told reporters that CLAUSE`` /
  ``X urged Y to ...`` / ``X called for NP`` -- the content runs from after the cue (and its
  addressee, adverbials and ``that``) to the end of the sentence;
* inverted: ``CLAUSE, X said.`` -- the content is the clause before the comma;
* parenthetical: ``The girls, he added, had all been freed`` -- the whole sentence;
* according: ``According to X, CLAUSE`` or ``CLAUSE, according to X``.
"""

from __future__ import annotations

import re

from .clauses import Frame, _skip_ws, _strip_end, cut_clauses
from .lexicon import (
    ADDRESSEE_CUES,
    AUX_WORDS,
    CLAUSE_CUES,
    INVERTED_CUES,
    IRREGULAR_PAST,
    NOUN_LIKE,
    OBJECT_CUES,
    PASSIVE,
)
from .speakers import (
    mute_subject,
    named_subject,
    pick_speaker,
    sentence_subject,
    subject_with_appositive,
)

_ALL = {**OBJECT_CUES, **CLAUSE_CUES}
# sentence-initial participles: "Stressing the need for talks, the minister said ..."
_CAPITALISED = {k[0].upper() + k[1:]: v for k, v in _ALL.items() if k.split()[0].endswith("ing")}
_CUE_RE = re.compile(
    r"(?<![-\w])(?:[Aa]ccording to|(?:"
    + "|".join(re.escape(c) for c in sorted({**_ALL, **_CAPITALISED}, key=len, reverse=True))
    + r"))\b"
)
_AUX_TAIL = re.compile(r"(?:\s+(?:" + "|".join(sorted(AUX_WORDS)) + r"))+\s*$", re.I)
_DAYS = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|"
    r"tonight|last\s+\w+|this\s+(?:week|month|year|morning|afternoon|evening)|"
    r"earlier|later|recently|previously|again|also|repeatedly|on\s+(?:[A-Z]\w+|\d+)(?:\s+\d+)?|"
    r"in\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?:\s+\d+)?)"
)
_ADVERBIAL = re.compile(
    r"\s*,?\s*(?:" + _DAYS + r"|(?:in|at|during|on|via|through|after|before|while|from|with|"
    r"to|over|via|ahead\s+of|following|by|under|amid|without|for)\s+(?:a|an|the|his|her|its|"
    r"their|this|state|condition|\w+ing\b)"
    r"(?:[\s-]+(?!that\b)[\w’'.-]+){0,12}?(?=\s*(?:[,.;:!?]|that\b|$))|"
    r"(?:in|at|from|to|via|on)\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}(?:’s|'s)?"
    r"(?:\s+(?:news\s+agency|newspaper|daily|television|channel|radio|agency))?|"
    r"(?:in|on)\s+(?:Twitter|Facebook|Instagram|state\s+television|television|TV|radio))"
    r"\s*,?",
    re.S,
)
_THAT = re.compile(r"\s*,?\s*that\b\s*")
_ADDRESSEE = re.compile(
    r"\s*(?:reporters|journalists|lawmakers|parliament|(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:"
    r"[A-Z][\w’'.-]*|of|the|and)){0,5}(?:\s+(?:news\s+agency|news\s+network|newspaper|daily|"
    r"broadcaster|television|channel|network|agency|website|magazine|radio))?|"
    r"the\s+[\w’'-]+(?:\s+[\w’'-]+){0,5}?|an?\s+[\w’'-]+(?:\s+[\w’'-]+){0,5}?|"
    r"him|her|them|us|me|his\s+\w+(?:\s+\w+)?|their\s+\w+(?:\s+\w+)?)"
    r"(?=\s*(?:[,.;:!?]|that\b|$|\s+(?:he|she|they|it|we|I|the|a|Iran|[A-Z]\w+|on|in|at|"
    r"during|after|before|ahead|while|via|from|with|by|following|last|this|earlier)\b))"
)


def _inside(pos: int, quotes: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in quotes)


def find_frames(text: str, ss: int, se: int, quotes: list[tuple[int, int]]) -> list[Frame]:
    """Return the cue frames of the sentence ``text[ss:se]``; ``quotes`` are inner spans."""
    frames: list[Frame] = []
    for m in _CUE_RE.finditer(text, ss, se):
        if _inside(m.start(), quotes):
            continue
        f = _frame(text, ss, se, m, quotes, frames)
        if f is not None:
            frames.append(f)
    cut_clauses(text, frames, se)
    return frames


def _left_limit(text: str, ss: int, pos: int, quotes: list[tuple[int, int]]) -> int:
    """Start of the text left of a cue: after the last quotation closed before it."""
    lim = ss
    for _a, b in quotes:
        if b <= pos:
            lim = max(lim, b)
    while lim < pos and text[lim] in "'\"”’`":
        lim += 1
    return min(lim, pos)


def _frame(
    text: str, ss: int, se: int, m: re.Match, quotes: list[tuple[int, int]], prev: list[Frame]
) -> Frame | None:
    cue = m.group(0)
    cs, ce = m.start(), m.end()
    low = cue.lower()
    if low == "according to":
        return _according(text, ss, se, cs, ce)
    base = _ALL.get(low, low)
    left_full = text[max(ss, cs - 300) : cs]
    lim = _left_limit(text, ss, cs, quotes)
    left = text[max(lim, cs - 300) : cs]  # a speaker phrase is never longer
    off = max(0, len(left) - 120)  # auxiliaries and adverbs before a cue are a few words
    aux = _AUX_TAIL.search(left, off)
    core_left = left[: aux.start()] if aux else left
    words_before = core_left.split()
    prev_word = words_before[-1].lower().strip(",") if words_before else ""
    aux_words = aux.group(0).lower().split() if aux else []
    right = text[ce:se]
    # "was cited as saying" / "quoted Varga as saying"
    if low in ("saying", "stating") and left.rstrip().endswith(" as"):
        return _as_saying(text, ss, se, cs, ce, left_full)
    passive = bool(aux_words) and aux_words[-1] in ("was", "were", "is", "are", "been", "be")
    if passive and not low.endswith("ing"):
        return None  # "is thought to", "was told": not a speaker's own statement
    if base == "agree" and not re.match(r"\s+(?:\w+\s+){0,3}that\b", text[ce:se]):
        return None  # "agreed to put limits", "agreed a truce": an act, not speech
    conjoined = bool(re.search(r"(?:,|\b(?:and|but|while))\s*$", core_left))
    past = low.endswith("ed") or low.split()[0] in IRREGULAR_PAST
    if low.endswith("ing") and not left.strip() and lim == ss:
        return _opening_participle(text, ss, se, cs, ce, base)
    if (low.endswith("ing") and ((not left.strip() and lim > ss) or conjoined)) or (
        conjoined and not low.endswith("ing") and prev_word in ("and", "but")
        and (prev or past)
    ):
        spk = prev[0].speaker_np if prev else None
        start, colon = _content_start(text, ce, se, base)
        return Frame(cs, ce, base, "participle", spk, None, start, se, colon)
    rel = re.search(r"\s(?:who|that|which)\s*$", core_left)
    if rel:  # "the envoy, who has said ...": the speaker stands before the relative pronoun
        core_left = core_left[: rel.start()].rstrip(" ,")
        last_np = re.search(r"(?:^|[,;]|\b(?:to|of|in|on|at|for|with|from|by|about|against|after|"
                            r"before|was|is|were|are|has|had|have)\s)\s*([^,;]*)$", core_left)
        if last_np:
            core_left = last_np.group(1)
        words_before = core_left.split()
        prev_word = words_before[-1].lower().strip(",") if words_before else ""
    went = re.search(r"\s(?:went|goes|go|continued|proceeded)\s+(?:on\s+)?to\s*$", core_left)
    if went and low in ("say", "add", "stress", "note", "explain", "warn", "urge", "state"):
        core_left = core_left[: went.start()]
        prev_word = ""
    progressive = bool(aux_words) and aux_words[-1] in ("was", "were", "is", "are", "been")
    if low.endswith("ing") and not progressive and not re.match(r"\s+that\b", text[ce:se]):
        return None
    if prev_word in PASSIVE or (
        aux_words
        and aux_words[-1] in {"was", "were", "is", "are", "been", "be"}
        and not low.endswith("ing")
    ):
        return None
    stripped = left.rstrip()
    # inverted: '..., he said.' / '...,” Lavrov added' / '..., said Lavrov.'
    np = pick_speaker(core_left)
    seg_before = core_left[: len(core_left) - len(core_left.lstrip()) or None]
    tail = _after_cue_tail(text, ce, se, base)
    if np is not None and tail is not None:
        np_pos = text.rfind(np, max(lim, cs - 300), cs)
        before_np = text[lim:np_pos].rstrip() if np_pos >= 0 else ""
        if np_pos > ss and (
            before_np.endswith((",", "”", '"', "''", "’", ":"))
            or (not text[lim:np_pos].strip() and lim > ss)
        ):
            clause_end = len(before_np) + lim
            if _adverbial_only(text[ss:clause_end]):
                return None  # "In Pristina, the minister said ...": not an inverted clause
            if tail == "comma":
                return Frame(cs, ce, base, "parenthetical", np, np_pos, ss, se)
            return Frame(cs, ce, base, "inverted", np, np_pos, ss, clause_end)
    if base in INVERTED_CUES and not subject_with_appositive(text[ss:cs]) and (
        stripped.endswith((",", "”", '"', "''")) or (lim > ss and not stripped)
    ):
        mm = re.match(
            r"\s+(?!that\b)((?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|St|Jr)\.|"
            r"[^,.;:“”\"]){2,90}?)\s*(?:[.,;!?]|$)",
            right,
        )
        if mm and (mm.end() >= len(right.rstrip()) or right[mm.end() - 1] == ","):
            np2 = pick_speaker(mm.group(1))
            if np2 and _TIME_WORD.fullmatch(np2.split()[-1]):
                np2 = None  # "said Sunday": a date, not a speaker
            if (
                np2
                and np2.split()[0][:1].isupper()
                or (np2 or "").lower() in {"he", "she", "they"}
                or (np2 or "").lower().startswith(("the ", "a "))
            ):
                clause_end = lim + len(stripped) if stripped else lim
                return Frame(
                    cs,
                    ce,
                    base,
                    "inverted",
                    np2,
                    ce + mm.start(1),
                    ss,
                    _strip_end(text, ss, clause_end),
                )
    del seg_before
    if np is None or _bad_subject(np, low) or mute_subject(np, base):
        return None
    if low in NOUN_LIKE and not named_subject(np):
        return None  # "Coastal states like ...", "repeated claims against ...": nouns
    if re.match(r"\s+[^,.;]{1,80}?\s+as\s+(?:saying|stating)\b", right):
        return None  # "the agency reported Lind as saying": the 'saying' frame carries it
    np_pos = text.rfind(np, max(lim, cs - 300), cs)
    start, colon = _content_start(text, ce, se, base)
    return Frame(cs, ce, base, "forward", np, np_pos if np_pos >= 0 else None, start, se, colon)


_TIME_WORD = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|today|yesterday|"
    r"night|morning|evening|afternoon|week|month|year|\d+)",
    re.I,
)


def _adverbial_only(clause: str) -> bool:
    """A short introductory phrase ('Following the vote on Friday') rather than a clause."""
    words = clause.split()
    if not words or len(words) >= 8:
        return not words
    first = words[0].lower().strip("“\"")
    return first.endswith("ing") or first in {
        "in", "on", "at", "after", "before", "during", "following", "from", "for", "with",
        "by", "under", "amid", "despite", "asked", "meanwhile", "however", "earlier", "later",
        "separately", "elsewhere", "also", "speaking", "writing", "responding", "as", "since",
    }


def _bad_subject(np: str, cue: str = "") -> bool:
    """A 'subject' that is really a clause or a possessive ('Lind praised Norway’s'), or
    the determiner of a noun ('Her rather surprising comments')."""
    words = np.lower().split()
    if cue.endswith("s") and words[0] in ("his", "her", "their", "its", "our", "my", "your"):
        return True
    if words[-1].endswith(("’s", "'s")) or words[-1] in ("i", "we", "you"):
        return True
    return any(w in _ALL and (w.endswith("ed") or w in ("said", "told", "wrote")) for w in words)


def _skip_adverbials(text: str, pos: int, se: int) -> int:
    """Skip up to three adverbials ("on Monday", "in a statement") after a cue."""
    for _ in range(3):
        mm = _ADVERBIAL.match(text, pos, se)
        if not mm or mm.end() == pos:
            break
        pos = mm.end()
    return pos


def _after_cue_tail(text: str, ce: int, se: int, base: str) -> str | None:
    """'end' when the cue (with addressee/adverbials) ends the sentence, 'comma' before a comma
    that continues the clause (parenthetical), else None."""
    pos = ce
    am = _ADDRESSEE.match(text, pos, se) if base in ADDRESSEE_CUES else None
    if am and am.end() > pos:
        pos = am.end()
    pos = _skip_adverbials(text, pos, se)
    rest = text[pos:se].strip()
    if not rest or re.fullmatch(r"[.!?\"”’']*", rest):
        return "end"
    if rest.startswith(","):
        after = rest[1:].lstrip()
        if not after or after[0] in "“\"'‘`":
            return None  # "said, “...”": the quotation follows the cue
        if re.match(
            r"(?:and|but|while|as|who|which|whose|when|because|although|though|after|before|"
            r"since|even|adding|saying|noting|stressing|describing|calling|urging|warning|"
            r"according|citing|referring|explaining|insisting|arguing|pointing)\b",
            after,
        ):
            return "end"
        if after[:1].islower():
            return "comma"
        if re.match(r"(?:[A-Z][\w.]*\s+)*(?:reported|said|says|added)\b", after):
            return "end"
    return None


def _content_start(text: str, ce: int, se: int, base: str) -> tuple[int, bool]:
    """Where the reported content begins after a cue; and whether ':' or ',' introduces it."""
    pos = ce
    window = text[ce : min(se, ce + 160)]
    m_that = re.search(r"\bthat\b", window)
    if m_that:
        between = window[: m_that.start()]
        if (
            (not between.strip(" ,") or _skippable(between, base))
            and "“" not in between
            and '"' not in between
        ):
            return _skip_ws(text, ce + m_that.end(), se), False
    if base in ADDRESSEE_CUES and base not in {
        "urge", "call on", "call upon", "ask", "press", "invite", "encourage", "implore",
        "exhort", "order", "warn", "caution", "appeal to",
    }:
        am = _ADDRESSEE.match(text, pos, se)
        if am:
            pos = am.end()
    pos = _skip_adverbials(text, pos, se)
    colon = bool(re.match(r"\s*[:,]?\s*(?:[“\"‘]|``|'')", text[pos:se]))
    pos = _skip_ws(text, pos, se)
    while pos < se and text[pos] in ",:":
        pos = _skip_ws(text, pos + 1, se)
    return pos, colon


def _skippable(between: str, base: str) -> bool:
    """True when the words between a cue and 'that' are an addressee or adverbials."""
    words = between.split()
    if len(words) > 14:
        return False
    if re.search(r"\b(?:is|was|are|were|has|have|had|will|would|can|could)\b", between):
        return False
    first = words[0].lower() if words else ""
    # an addressee with its adverbials (no verb among them) may be long: "told the state-run
    # news agency in a written interview on Monday that ..."
    return first in {
        "on", "in", "at", "during", "to", "after", "before", "while", "via", "through", "last",
        "this", "earlier", "late", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "today", "yesterday", "also", "repeatedly", "again", "recently",
        "from", "over", "with", "publicly", "separately", "further", "previously",
    } or (
        base in ADDRESSEE_CUES
        and not re.search(r"\b(?:he|she|they|we|I|it)\b", between)
    )


def _opening_participle(text: str, ss: int, se: int, cs: int, ce: int, base: str) -> Frame | None:
    """'Emphasizing the need for talks, the minister said ...': the participle's content runs to
    the first comma and its speaker is the subject of the main clause."""
    comma = text.find(",", ce, se)
    if comma < 0 or comma - ce > 250:
        return None
    np = sentence_subject(text[comma + 1 : se])
    if np is None:
        return None
    start, colon = _content_start(text, ce, comma, base)
    return Frame(cs, ce, base, "participle", np, None, start, _strip_end(text, start, comma),
                 colon)


def _according(text: str, ss: int, se: int, cs: int, ce: int) -> Frame | None:
    m = re.match(r"\s+([^,;]{2,120}?)\s*(?:,|$|\.$)", text[ce:se])
    if not m or re.match(r"\s*(?:which|whom|what|this|that|it)\b", m.group(1)):
        return None
    if text[ss:cs].strip() and text[ce + m.end() : se].strip(" .!?\"”’"):
        # "CLAUSE, according to X, CLAUSE": X's statement is the whole sentence
        return Frame(cs, ce, "according to", "according", m.group(1).strip(), ce + m.start(1),
                     ss, _strip_end(text, ss, se))
    np = m.group(1).strip()
    np_start = ce + m.start(1)
    if text[ss:cs].strip():  # "CLAUSE, according to X."
        end = _strip_end(text, ss, cs)
        return Frame(cs, ce, "according to", "according", np, np_start, ss, end)
    start = _skip_ws(text, ce + m.end(), se)
    if start >= se:
        return None
    return Frame(cs, ce, "according to", "according", np, np_start, start, se)


def _as_saying(text: str, ss: int, se: int, cs: int, ce: int, left: str) -> Frame | None:
    m = re.search(r"(?:quoted|cited|reported)\s+(?!by\b)(.{2,80}?)\s+as\s*$", left)
    if m:
        np = m.group(1)
        np_start = ss + m.start(1)
    else:
        m = re.search(
            r"(.{2,120}?)\s+(?:was|were|has\s+been|had\s+been|is)\s+(?:quoted|cited)"
            r"(?:\s+by\s+[^,]{1,60})?\s+as\s*$",
            left,
        )
        if not m:
            return None
        np = pick_speaker(m.group(1))
        if not np:
            return None
        np_start = text.rfind(np, ss, cs)
    start, colon = _content_start(text, ce, se, "say")
    return Frame(cs, ce, "say", "forward", np, np_start, start, se, colon)
