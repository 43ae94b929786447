"""Speaker phrases: picking the subject out of the words before a cue, and resolving it.

``pick_speaker`` finds the speaker noun phrase in the text left of a cue (skipping appositives
and leading adverbials). ``SpeakerTracker`` keeps the article's memory: every named person (so a
bare surname or ``Mr. Obama`` becomes the fullest form the article gives), and the last
speakers, so that pronouns (``he``, ``she``, ``they``) and definite descriptions (``the
minister``, ``the spokeswoman``, ``the official``) resolve to the last compatible speaker.
"""

from __future__ import annotations

import re

from .lexicon import (
    DEMONYMS,
    DOCUMENT_CUES,
    DOCUMENT_HEADS,
    INSTITUTION_HEADS,
    MUTE_HEADS,
    PLACES,
    PRONOUNS,
    TITLE_WORDS,
)

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F.'’-]*|\d[\d,.]*")
_BOUNDARY_WORDS = re.compile(
    r"\b(?:that|after|when|while|as|because|since|before|although|though|but|and then|if|"
    r"where|whereas|so|which|who|whom|until|once|meanwhile|however|moreover|also|then|"
    r"here|there)\s+(?=\S)",
    re.I,
)
_LEADING = re.compile(
    r"^(?:(?:and|but|so|yet|meanwhile|however|also|instead|still|now|then|later|earlier|"
    r"separately|indeed|moreover|further|furthermore|finally|similarly|likewise|elsewhere)\b"
    r"[\s,]*)+",
    re.I,
)
_PREP_CUT = re.compile(
    r"\s+(?:at|in|on|during|from|with|for|via|through|after|before|over|to|by|under|"
    r"about|of\s+the\s+(?:meeting|conference|summit))\s+(?:a|an|the|his|her|its|their|this|"
    r"last|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|\d|[a-z])",
    re.S,
)
_TIME_TAIL = re.compile(
    r"(?:\s+(?:on|last|this|early|late|earlier|later)?\s*(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|week|month|year|night|morning|afternoon|evening|today|"
    r"yesterday)(?:\s+(?:morning|afternoon|evening|night))?)+\s*$"
)
_TIME_HEAD = re.compile(
    r"^(?:(?:on|last|this|early|late|earlier|later)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|week|month|year|night|today|yesterday)\s+(?=\S)",
    re.I,
)
_DETERMINERS = {
    "the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those",
    "some", "many", "several", "two", "three", "both", "one", "another", "other", "nearly",
    "about", "more", "most", "all", "any",
}
_NOT_SPEAKER = {
    "it", "this", "that", "there", "which", "what", "who", "one", "nobody", "nothing",
    "something", "anyone", "everyone", "someone", "time", "report", "reports", "statement", "he",
    "she", "they", "we", "i",
}
_PERSON_NOUNS = {
    "minister", "official", "spokesman", "spokeswoman", "spokesperson", "president", "diplomat",
    "envoy", "ambassador", "leader", "chief", "secretary", "senator", "lawmaker", "general",
    "commander", "adviser", "advisor", "negotiator", "premier", "chancellor", "king", "prince",
    "emir", "director", "head", "chairman", "mayor", "governor", "expert", "analyst",
    "researcher", "professor", "source", "aide", "man", "woman", "candidate", "nominee",
    "representative", "deputy", "judge", "lawyer", "cleric", "ayatollah", "officer", "colonel",
    "coordinator", "member",
}


def _is_cap(word: str) -> bool:
    return word[:1].isupper() or bool(re.match(r"(?:al|el|ad|as|ash|at|az|ul)-[A-Z]", word))


def clean_np(np: str) -> str:
    """Trim punctuation, leading connectives and trailing adverbials from a speaker phrase."""
    np = np.strip(" \t,;:—–-\u00a0\"“”'’‘`()")
    np = _LEADING.sub("", np)
    np = re.sub(r"^[A-Z]{3,}[A-Z ,.]*(?:\([^)]*\))?\s*[—–:-]+\s*", "", np)  # dateline
    np = _TIME_TAIL.sub("", np)
    np = _TIME_HEAD.sub("", np)
    m = re.match(r"((?:[A-Z][\w.'’-]*\s+){1,4}[A-Z][\w'’-]+)\s+(?:of|at|from|with|for|in)\s", np)
    if (
        m
        and len(m.group(1).split()) >= 2
        and m.group(1).split()[-1].lower() not in TITLE_WORDS
        and name_core(m.group(1))[1]
    ):
        np = m.group(1)  # "William Davison of the International Crisis Group"
    m = _PREP_CUT.search(np)
    words = np.split()
    keep_name = bool(words) and _is_cap(words[-1]) and words[0].lower() not in _DETERMINERS
    if words and words[0].lower() in ("a", "an", "the") and not m:
        m = re.search(r"\s+(?:at|of|from|with|for|in)\s+(?=[A-Z])", np)  # "A researcher at X"
    if m and m.start() > 0 and not keep_name:
        np = np[: m.start()]
    return np.strip(" ,;:\u00a0")


def pick_speaker(left: str) -> str | None:
    """Return the speaker phrase at the end of ``left`` (the words before a cue), or None."""
    left = re.sub(r"\s*\([^()]{0,60}\)", "", left.rstrip()).rstrip()  # "Wang Ting-yu (王定宇)"
    if not left:
        return None
    # cut at the last clause boundary word ("The vote came after President Varga")
    segs = re.split(r"[;:()\[\]]|\s[-]\s|[—–]|[“”\"]", left)
    seg = segs[-1]
    parts = seg.split(",")
    if len(parts) > 1 and not parts[-1].strip():
        # "Lind, the deputy trade minister for the north, said": skip appositives
        cands = [
            p
            for p in parts[:-1]
            if p.strip() and not p.split()[0].lower().endswith("ing")
            and p.split()[0].lower() not in ("who", "which", "whose", "where")
        ]
        named = [
            p
            for p in cands
            if _has_name(p)
            and not _DESCRIPTION.match(p)
            and not re.search(r"\b(?:is|was|are|were|has|have|had)\b", p)
        ]
        pure = [p for p in named if all(_is_cap(w) for w in p.split())]
        pick = pure[0] if pure else named[0] if named else (cands[0] if cands else "")
        if re.match(r"\s*(?:who|which)\b", pick):
            pick = cands[0] if cands else ""
        seg = pick
    else:
        seg = parts[-1]
    if re.search(r"\b(?:and|but|or|then)\s*$", seg):
        return None  # coordination: "... and claimed that" (the subject is the earlier one)
    last = None
    for m in _BOUNDARY_WORDS.finditer(seg):
        last = m
    if (
        last is not None
        and last.group(0).split()[0].lower() == "who"
        and last.start() > 0
        and seg[last.end() :][:1].islower()
    ):
        seg = seg[: last.start()]  # "A Gulf diplomat who attended said": the subject
    elif last is not None:
        seg = seg[last.end() :]
    np = clean_np(seg)
    words = np.split()
    if not words or len(words) > 14:
        return None
    low = np.lower()
    if low in PRONOUNS:
        return np
    if low in _NOT_SPEAKER - {"he", "she", "they", "we", "i"}:
        return None
    if words[-1].lower() in PRONOUNS:
        return words[-1]
    if words[0].lower() in {"to", "not", "be", "is", "was", "were", "are", "has", "have"}:
        return None
    if _VERBISH.search(np) or words[0].lower().endswith("ing") or words[0].lower() in _NOT_START:
        return None
    last = words[-1].lower().strip(".,’'")
    if not (
        _is_cap(words[-1])
        or (words[0].lower() in _DETERMINERS and len(words) >= 2)
        or (words[0].endswith(("'s", "’s")) and len(words) in (2, 3))  # "Jordan's monarch"
        or last in _SPEAKER_NOUNS
        or last.rstrip("s") in _SPEAKER_NOUNS
        or last.endswith(("ers", "ists", "ians", "ants", "ents"))
    ):
        return None
    return np


_DESCRIPTION = re.compile(
    r"\s*(?:a|an|the|his|her|its|their|who|which|whose|speaking|"
    r"one|also|former)\b",
    re.I,
)
_VERBISH = re.compile(
    r"\b(?:is|was|are|were|has|have|had|will|would|can|could|should|did|"
    r"does|do|made|make|makes|came|comes|took|said|says|told|called|"
    r"noted|added|led|went|got|gave|put|puts|found|asked|shows|showed|"
    r"ruled|included|expressed|pointed|referring|quoted|cited)\b",
    re.I,
)
_NOT_START = {
    "elsewhere", "meanwhile", "however", "having", "making", "referring", "speaking", "asked",
    "according", "commenting", "regarding", "despite", "during", "following", "after", "in",
    "on", "at", "for", "with", "by", "from", "far", "as", "while", "when", "if", "instead",
    "still", "yet", "earlier", "later", "then", "thus", "therefore", "also", "so", "such",
    "even", "now", "but", "and", "last", "certainly", "strange", "indeed", "here", "there",
    "this", "that", "these", "those", "it", "what", "why", "how", "since",
}
_SPEAKER_NOUNS = (
    _PERSON_NOUNS
    | INSTITUTION_HEADS
    | {
        "officials", "leaders", "experts", "sources", "critics", "analysts", "lawmakers",
        "diplomats", "ministers", "countries", "nations", "states", "members", "groups",
        "activists", "residents", "people", "observers", "scientists", "investigators",
        "prosecutors", "police", "protesters", "militants", "rebels", "insurgents", "allies",
        "partners", "powers", "side", "sides", "participants", "delegates", "voters",
        "campaigners", "supporters", "opponents", "candidates", "senators", "governments",
        "economists", "owners", "inspectors", "monitors", "watchdog", "regulator", "court",
        "tribunal", "judges", "panel", "jury", "report", "study", "survey", "poll", "document",
        "letter", "spokesperson", "authorities", "administration", "officer", "commentator",
        "columnist", "editor", "journalist", "reporter", "correspondent", "rapporteur", "fellow",
        "scholar", "lawyer", "attorney", "worker", "workers", "doctor", "doctors", "president",
        "leader", "statement", "media", "outlet", "outlets", "agency", "newspaper", "daily",
        "website", "broadcaster", "minister", "chief", "team", "camp", "both", "two", "all",
        "others", "many", "some", "mother", "father", "wife", "husband", "son", "daughter",
        "family", "friend", "colleague", "counterpart", "host", "pastor", "bishop", "sheikh",
        "emir", "king", "premier", "vice", "founder", "owner", "ceo", "executive", "manager",
        "chairman", "adviser", "advisor", "advisors", "advisers", "spokesmen", "spokeswomen",
        "secretary-general", "envoy", "ambassador",
    }
)


_SPEAKER_NOUNS |= {
    "percent", "paper", "commentary", "editorial", "resolution", "communique", "declaration",
    "ruling", "commission", "study", "article", "op-ed", "briefing", "blog", "tweet", "post",
}


def _has_name(seg: str) -> bool:
    words = _WORD.findall(seg)
    return any(
        _is_cap(w) and w.lower() not in TITLE_WORDS and w.lower() not in DEMONYMS
        for w in words[1:] or words
    )


def name_core(np: str) -> tuple[str | None, bool]:
    """Return ``(name, is_person)`` for a phrase: the title-stripped proper name, if any."""
    words = np.split()
    if not words:
        return None, False
    if " of " in np:  # "the Head of the Supreme Council": the head is before "of"
        head_part = np.split(" of ", 1)[0].split()
        if head_part and head_part[-1].lower() in TITLE_WORDS | _PERSON_NOUNS:
            return None, False
    for i, w in enumerate(words[:-1]):  # "The Observer’s Jane Roe"
        if w.endswith(("’s", "'s")) and all(_is_cap(x) for x in words[i + 1 :]):
            words = words[i + 1 :]
            break
    # the head: last word; a lower-case head means a description ("a UN human rights expert")
    head = words[-1].strip(".,'’")
    if not _is_cap(head) or head.lower() in PRONOUNS:
        return None, False
    # last run of capitalised words (allowing lower-case particles inside names)
    run: list[str] = []
    for w in reversed(words):
        if _is_cap(w) or (
            run
            and w.lower()
            in {
                "bin", "al", "al-", "de", "van", "von", "der", "ibn", "el", "la", "le", "du",
                "da", "di",
            }
        ):
            run.insert(0, w)
        else:
            break
    run_low = [w.lower().strip(".,'’") for w in run]
    if run_low and (run_low[-1] in INSTITUTION_HEADS or run_low[-1] in PLACES):
        # an institution or a place keeps its whole name: "North Korea", "the European
        # Union", "the UN Security Council" (not "Korea", "Union", "Council")
        while run and run[0].lower() in ("the", "a", "an"):
            run = run[1:]
        if run and not (len(run) == 1 and run[0].endswith(("’s", "'s"))):
            return " ".join(run).strip(","), False
    core: list[str] = []
    for w in reversed(run):
        lw = w.lower().strip(",")
        if lw in TITLE_WORDS or lw.strip(".") in TITLE_WORDS or lw in DEMONYMS:
            if core:
                break
            continue
        core.insert(0, w)
    if len(core) == 1 and core[0].endswith(("’s", "'s")):
        return None, False
    # keep titles that are part of a name ("Sheikh", "Sir", "Lord")
    while core and core[0].lower() in {"bin", "al", "de", "ibn"}:
        core.pop(0)
    if not core:
        return None, False
    name = " ".join(core).strip(",")
    low = [w.lower().strip(".,") for w in core]
    institution = (
        low[-1] in INSTITUTION_HEADS
        or all(w in PLACES for w in low)
        or " ".join(low) in PLACES
        or any(w in INSTITUTION_HEADS for w in low)
    )
    person = not institution and (len(run) > len(core) or len(core) >= 2 or len(core) == 1)
    return name, person


_LEAD_ADVERBIAL = re.compile(r"^[^,]{0,80},\s+")
_MAIN_VERB = re.compile(
    r"\s+(?:(?:has|had|have|was|is|were|are|will|would|also|then|later|"
    r"even|further|again|on\s+\w+day)\s+)*(?:[a-z]+(?:ed|ied)|[a-z]+s|"
    r"said|told|made|met|went|took|gave|spoke|wrote|sought|held|"
    r"threw|drew)\b"
)


def sentence_subject(sentence: str) -> str | None:
    """The subject of a sentence's main clause ('Elsewhere, Lind pointed ...')."""
    text = sentence.lstrip(' “"')
    m = _LEAD_ADVERBIAL.match(text)
    if m:
        first = text.split()[0].lower().strip(",")
        if first in _NOT_START or first.endswith("ing") or first in _DETERMINERS:
            text = text[m.end() :]
    v = _MAIN_VERB.search(text)
    if not v or v.start() == 0:
        return None
    return pick_speaker(text[: v.start()])

def named_subject(np: str) -> bool:
    """True for a subject that can speak on its own: a name, a pronoun or a speaker noun."""
    last = np.split()[-1]
    return _is_cap(last) or last.lower() in ("he", "she", "they", "it", "we") or \
        last.lower().rstrip("s") in _SPEAKER_NOUNS or last.lower() in _SPEAKER_NOUNS


def mute_subject(np: str, base: str) -> bool:
    """Measures, votes and laws described by the narration do not speak ('The measures order
    ...', 'the ban requires ...'); a document may, with a cue that states a content ('the
    resolution emphasizes ...', 'the text calls for ...')."""
    head_part = re.split(r"\s(?:of|against|on|for|by|from|in|to|with|at)\s", np.lower(), maxsplit=1)[0]
    words = head_part.split()
    if not words:
        return False
    head = words[-1].strip(".,'’")
    if head in MUTE_HEADS:
        return True
    return head in DOCUMENT_HEADS and base not in DOCUMENT_CUES

def subject_with_appositive(left: str) -> bool:
    """'President Ana Ruiz, in a televised address, said ...': the words before the first
    comma are the subject (a name, no verb), so the cue is forward, not '..., said X.'"""
    if left.count(",") < 2 or not left.rstrip().endswith(","):
        return False
    first = left.split(",", 1)[0].strip()
    words = first.split()
    return (
        0 < len(words) <= 6
        and _is_cap(words[-1])
        and not _VERBISH.search(first)
        and pick_speaker(first) == first
    )
