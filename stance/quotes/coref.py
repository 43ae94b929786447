"""Per-article speaker memory: fullest names, pronouns and definite descriptions.

``SpeakerTracker`` keeps every named person of an article (so a bare surname or ``Mr. Obama``
becomes the fullest form the article gives, ``Sergey Lavrov``), the titles each one carries,
the last speakers and the last person who was the subject of a sentence. A pronoun (``he``,
``she``, ``they``, ``it``) or a definite description (``the minister``, ``the spokeswoman``,
``the official``) resolves to the last compatible speaker; ``the statement`` resolves to
whoever issued it.
"""

from __future__ import annotations

import re

from .lexicon import PRONOUNS, TITLE_WORDS
from .speakers import _NOT_START, _PERSON_NOUNS, _is_cap, name_core

_NAME_RUN = re.compile(
    r"(?:(?:[A-Z]|(?:al|el)-[A-Z])[\w.'’-]*\s+(?:of\s+(?:the\s+)?)?){1,8}"
    r"(?:[A-Z]|(?:al|el)-[A-Z])[\w'’-]+"
)


_ANONYMOUS = {"source", "sources", "witness", "witnesses", "resident", "residents"}


class SpeakerTracker:
    """Per-article memory for resolving speaker phrases to their fullest form."""

    def __init__(self) -> None:
        self.people: list[str] = []  # full names, in order of mention
        self.titles: dict[str, set[str]] = {}
        self.last_person: str | None = None
        self.last_any: str | None = None
        self.last_institution: str | None = None
        self.subject: str | None = None
        self.subject_tick = -1
        self.person_tick = -1
        self.tick = 0

    def note_names(self, sentence: str) -> None:
        """Register the titled or multi-word person names of a sentence (not speakers yet),
        and remember a person who is the sentence's subject (a later 'he' may be them)."""
        for m in _NAME_RUN.finditer(sentence):
            name, person = name_core(m.group(0))
            if name and person and len(name.split()) >= 2:
                self._register(name, m.group(0))
        sentence = re.sub(
            r"^(?:In|At|From|On)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*,\s+", "", sentence
        )  # "In Beijing, ..."
        m = re.match(
            r"(?:[A-Z][\w.'’-]*\s+){0,6}(?:[A-Z]|(?:al|el)-)[\w'’-]+(?=,|\s+(?:has|had|was|is|"
            r"also|made|said|told|met|went|took|gave|spoke|wrote|held|put|sent|left|[a-z]+ed)\b)",
            sentence,
        )
        if m:
            name, person = name_core(m.group(0))
            known = bool(name) and self.fullest(name) != name
            if name and person and name.lower() not in _NOT_START and (
                len(name.split()) >= 2 or known
            ):
                self.subject = self.fullest(name)
                self.subject_tick = self.tick
                self.tick += 1

    def _register(self, name: str, phrase: str) -> str:
        surname = name.split()[-1]
        for i, full in enumerate(self.people):
            if full.split()[-1] == surname:
                if len(name) > len(full) and name.endswith(full.split()[-1]):
                    self.people[i] = name
                    full = name
                self.titles.setdefault(full, set()).update(_title_words(phrase))
                return full
        self.people.append(name)
        self.titles.setdefault(name, set()).update(_title_words(phrase))
        return name

    def fullest(self, name: str) -> str:
        """Expand a surname or short form to the fullest registered name."""
        surname = name.split()[-1]
        for full in reversed(self.people):
            if full.split()[-1] == surname and len(full) >= len(name):
                return full
        if " " not in name:
            # family name first ("Hua Chunying" -> "Hua", "Kim Jong-un" -> "Kim")
            for full in reversed(self.people):
                if full.split()[0] == name and len(full.split()) >= 2:
                    return full
        return name

    def resolve(self, np: str | None) -> str | None:
        """Resolve a speaker phrase, update the memory and return the speaker string."""
        if not np:
            return self.last_any
        low = np.lower()
        if low in PRONOUNS:
            kind = PRONOUNS[low]
            if kind in ("m", "f", "s"):
                if self.subject and self.subject_tick > self.person_tick:
                    return self.subject
                return self.last_person or self.last_any
            if kind == "n":
                return self.last_institution or self.last_any
            return self.last_any
        name, person = name_core(np)
        if name and person and " " not in name and self.fullest(name) == name:
            # a lone capitalised plural is a group, not a person ("Democrats", "Palestinians")
            person = not name.lower().endswith(("ans", "ists", "crats", "cans", "ians", "ers"))
        if name:
            if person:
                full = self._register(name, np) if len(name.split()) > 1 else self.fullest(name)
                self.last_person = full
                self.last_any = full
                self.person_tick = self.tick
                self.tick += 1
                return full
            spk = np if "'" in np or "’" in np else name
            spk = _strip_det(spk) if spk == np else spk
            self.last_institution = spk
            self.last_any = spk
            return spk
        # a description: "the minister", "a French official", "North Korea's foreign ministry"
        words = low.split(" of ")[0].split()
        head = words[-1]
        if words[0] == "the" and len(words) <= 3 and head in {"statement", "communique",
                                                              "letter", "declaration"}:
            return self.last_any or np  # "the statement said": whoever issued it
        if words[0] == "the" and len(words) <= 5 and head in _PERSON_NOUNS:
            for full in reversed(self.people):
                if head in self.titles.get(full, set()):
                    self.last_person = full
                    self.last_any = full
                    return full
            if head in _ANONYMOUS:
                return np  # "the source said": an unnamed source stays unnamed
            if self.subject and self.subject_tick > self.person_tick:
                return self.subject
            if self.last_person:
                self.last_any = self.last_person
                return self.last_person
        if head in _PERSON_NOUNS or head.endswith(("man", "woman", "person")):
            self.last_person = np
        else:
            self.last_institution = np
        self.last_any = np
        return np


def _strip_det(np: str) -> str:
    words = np.split()
    if words and words[0].lower() in {"the"} and len(words) > 1:
        return " ".join(words[1:]) if _is_cap(words[1]) else np
    return np


def _title_words(phrase: str) -> set[str]:
    return {w.lower().strip(".,") for w in phrase.split()} & (TITLE_WORDS | _PERSON_NOUNS)
