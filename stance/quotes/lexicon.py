"""Word lists the rules use: cue verbs, titles, pronouns, institutions, abbreviations.

Everything here is plain data; the regular expressions built from it live in the modules that
use them.
"""

from __future__ import annotations


def _forms(
    base: str, third: str | None = None, past: str | None = None, ing: str | None = None
) -> set[str]:
    """Return the inflected forms of an English verb (regular rules unless given)."""
    if third is None:
        if base.endswith(("s", "sh", "ch", "x", "z")):
            third = base + "es"
        elif base.endswith("y") and base[-2:-1] not in "aeiou":
            third = base[:-1] + "ies"
        else:
            third = base + "s"
    if past is None:
        if base.endswith("e"):
            past = base + "d"
        elif base.endswith("y") and base[-2:-1] not in "aeiou":
            past = base[:-1] + "ied"
        else:
            past = base + "ed"
    if ing is None:
        ing = base[:-1] + "ing" if base.endswith("e") and not base.endswith("ee") else base + "ing"
    return {base, third, past, ing}


# Speech verbs that take a content clause ("said that ...", "said Russia was ready ...").
_CLAUSE_VERBS = {
    "say": ("says", "said", "saying"), "tell": ("tells", "told", "telling"), "add": None,
    "note": None, "stress": None, "emphasize": None, "emphasise": None, "warn": None,
    "insist": None, "argue": None, "claim": None, "announce": None, "declare": None,
    "state": None, "explain": None, "remark": None, "assert": None, "reiterate": None,
    "underline": None, "underscore": None, "maintain": None, "vow": None, "pledge": None,
    "promise": None, "acknowledge": None, "admit": ("admits", "admitted", "admitting"),
    "confirm": None, "suggest": None, "predict": None, "write": ("writes", "wrote", "writing"),
    "tweet": None, "complain": None, "concede": None, "contend": None, "reply": None,
    "threaten": None, "allege": None, "affirm": None, "reaffirm": None, "observe": None,
    "recall": None, "comment": None, "assure": None, "reveal": None, "disclose": None,
    "caution": None, "agree": ("agrees", "agreed", "agreeing"), "estimate": None,
    "proclaim": None, "report": None, "point out": ("points out", "pointed out", "pointing out"),
    "hint": None, "lament": None, "retort": None, "believe": None,
    "think": ("thinks", "thought", "thinking"), "deny": None, "clarify": None, "highlight": None,
    "mention": None, "conclude": None, "boast": None, "demand": None,
    "propose": None, "recommend": None, "urge": None, "ask": None, "inform": None,
    "advise": None, "testify": None, "elaborate": None,
    "concur": ("concurs", "concurred", "concurring"), "opine": None, "voice hope": None,
    "express hope": None, "express confidence": None, "posit": None, "surmise": None,
    "speculate": None, "joke": None, "quip": ("quips", "quipped", "quipping"),
}

# Position verbs whose noun-phrase or infinitival object can carry a stance.
_OBJECT_VERBS = {
    "urge": None, "call for": ("calls for", "called for", "calling for"),
    "call on": ("calls on", "called on", "calling on"),
    "call upon": ("calls upon", "called upon", "calling upon"), "demand": None, "reject": None,
    "dismiss": None, "announce": None, "warn against": None, "warn of": None,
    "rule out": ("rules out", "ruled out", "ruling out"), "condemn": None, "denounce": None,
    "welcome": None, "praise": None, "hail": None, "criticize": None, "criticise": None,
    "slam": ("slams", "slammed", "slamming"), "blast": None, "accuse": None, "describe": None,
    "brand": None, "label": ("labels", "labelled", "labelling"), "term": None, "deem": None,
    "class": None, "call": None, "oppose": None, "support": None, "endorse": None, "back": None,
    "propose": None, "suggest": None, "recommend": None, "advocate": None,
    "threaten": None, "vow": None, "pledge": None,
    "promise": None, "offer": None, "stress": None, "emphasize": None, "emphasise": None,
    "underline": None, "underscore": None, "reaffirm": None, "reiterate": None, "ask": None,
    "press": None, "invite": None, "assail": None, "reassert": None, "justify": None,
    "defend": None, "appeal for": None, "appeal to": None, "push for": None, "press for": None,
    "insist on": None, "argue for": None, "plead for": None, "encourage": None, "implore": None,
    "exhort": None, "advise": None, "order": None, "blame": None, "request": None, "decry": None,
    "deplore": None, "lambast": None, "castigate": None, "applaud": None, "commend": None,
    "favor": None, "favour": None, "express support for": None,
    "voice support for": None, "express opposition to": None,
}


def _expand(table: dict[str, tuple[str, str, str] | None]) -> dict[str, str]:
    """Map every inflected form (lower case) to its base form."""
    out: dict[str, str] = {}
    for base, forms in table.items():
        words = base.split()
        head, rest = words[0], " ".join(words[1:])
        if forms is None:
            variants = _forms(head)
            if rest:
                variants = {f"{v} {rest}" for v in variants}
        else:
            variants = {base, *forms}
        for v in variants:
            out[v] = base
    return out


CLAUSE_CUES: dict[str, str] = _expand(_CLAUSE_VERBS)
OBJECT_CUES: dict[str, str] = _expand(_OBJECT_VERBS)

# Cues after which the object names the addressee, then "that"/"to" ("told reporters that").
ADDRESSEE_CUES = {
    "tell", "inform", "assure", "remind", "warn", "urge", "ask", "advise", "call on",
    "call upon", "press", "invite", "encourage", "implore", "exhort", "order", "appeal to",
    "caution",
}

# Cue bases whose bare noun-phrase object is too weak to be a unit unless it is a clause.
WEAK_OBJECT_CUES = {
    "support", "back", "offer", "seek", "order", "refuse", "defend", "reiterate", "stress",
    "emphasize", "emphasise", "underline", "underscore", "reaffirm", "announce", "praise",
    "welcome", "hail", "applaud", "commend", "endorse", "oppose", "favor", "favour", "ask",
    "request", "invite", "accuse", "call", "justify", "deny",
    "threaten", "vow", "pledge", "promise", "propose", "suggest", "recommend", "advocate",
    "press", "encourage",
}

# Objects that name only a topic or a feeling (not units after a position verb).
BARE_OBJECT_HEADS = {
    "concern", "concerns", "ties", "relations", "issue", "issues", "matter", "situation",
    "allegations", "allegation", "report", "reports", "claims", "remarks", "comments",
    "statement", "question", "questions", "meeting", "visit", "hope", "regret", "condolences",
    "sympathy", "gratitude", "thanks", "appreciation", "surprise", "dismay", "readiness", "it",
    "satisfaction", "disappointment", "frustration", "anger", "outrage", "displeasure", "shock",
    "sadness", "sorrow", "grief", "alarm", "worry", "worries", "unease", "indignation",
    "fears", "fear", "anxiety", "optimism", "pessimism", "skepticism", "scepticism",
    "this", "that", "them", "him", "her", "us", "me", "you",
}

# Words that may stand between subject and cue ("has also repeatedly said").
AUX_WORDS = {
    "has", "have", "had", "was", "were", "is", "are", "be", "been", "will", "would", "could",
    "should", "may", "might", "must", "can", "did", "does", "do", "also", "again", "later",
    "earlier", "then", "further", "reportedly", "allegedly", "repeatedly", "publicly",
    "previously", "once", "recently", "just", "already", "now", "still", "yet", "firmly",
    "strongly", "explicitly", "openly", "separately", "similarly", "likewise", "however", "not",
    "never", "frequently", "often", "always", "today", "yesterday", "formally", "officially",
    "privately", "clearly", "specifically", "directly", "flatly", "categorically", "angrily",
    "bluntly", "sharply", "loudly", "quickly", "immediately", "subsequently", "originally",
    "initially", "first", "finally", "personally", "jointly", "together", "both", "all", "only",
    "even", "long", "consistently", "constantly", "vehemently", "fiercely", "sternly",
}

PRONOUNS = {
    "he": "m",
    "she": "f",
    "they": "p",
    "it": "n",
    "we": "p",
    "i": "s",
    "him": "m",
    "her": "f",
    "them": "p",
}

# Title words stripped from a named person ("Russian Foreign Minister Sergey Lavrov").
TITLE_WORDS = {
    "under", "assistant", "undersecretary", "under-secretary", "secretary-general", "high",
    "commissioner", "rapporteur", "permanent", "president", "vice", "prime", "minister",
    "foreign", "deputy", "secretary", "general", "senator", "sen", "sen.", "rep", "rep.",
    "representative", "gov", "gov.", "governor", "gen", "gen.", "lt", "lt.", "col", "col.",
    "maj", "maj.", "capt", "capt.", "adm", "adm.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr",
    "dr.", "prof", "prof.", "professor", "spokesman", "spokeswoman", "spokesperson",
    "ambassador", "chancellor", "king", "queen", "leader", "chief", "director", "commander",
    "envoy", "former", "supreme", "defense", "defence", "interior", "finance", "economy",
    "trade", "energy", "justice", "state", "ministry", "senior", "top", "acting", "executive",
    "head", "chairman", "chairwoman", "chair", "speaker", "mayor", "judge", "pope", "ayatollah",
    "emir", "crown", "cardinal", "bishop", "rev", "rev.", "reverend", "lawmaker", "congressman",
    "congresswoman", "mp", "member", "parliament", "national", "security", "adviser", "advisor",
    "advisers", "special", "coordinator", "negotiator", "nuclear", "navy", "army", "official",
    "officials", "diplomat", "the", "a", "an", "u.s.", "us", "u.n.", "un", "eu", "nato", "white",
    "house", "press", "attorney", "first", "lady", "sgt", "sgt.", "field", "marshal", "brig",
    "brig.", "colonel", "major", "captain", "admiral", "lieutenant", "presidential", "candidate",
    "nominee", "democratic", "republican", "democrat", "legal", "affairs", "international",
    "political", "military", "staff", "joint", "chiefs", "parliamentary", "majority", "minority",
    "whip", "premier", "hojatoleslam", "grand", "imam", "cleric", "analyst", "expert",
    "researcher", "analysts", "sheikh_",
}

# Nationality adjectives commonly printed before titles ("Iranian Foreign Minister ...").
DEMONYMS = {
    "american", "russian", "iranian", "chinese", "british", "french", "german", "japanese",
    "korean", "israeli", "palestinian", "turkish", "syrian", "iraqi", "afghan", "pakistani",
    "indian", "saudi", "qatari", "emirati", "egyptian", "ukrainian", "european", "italian",
    "spanish", "greek", "cypriot", "lebanese", "yemeni", "venezuelan", "cuban", "canadian",
    "australian", "dutch", "belgian", "swiss", "swedish", "norwegian", "polish", "nigerian",
    "kenyan", "libyan", "jordanian", "kuwaiti", "omani", "bahraini", "azerbaijani", "armenian",
    "georgian", "belarusian", "kazakh", "uzbek", "tajik", "turkmen", "mexican", "brazilian",
    "argentine", "colombian", "chilean", "peruvian", "south", "north", "western", "eastern",
    "arab", "gulf", "taiwanese", "vietnamese", "thai", "malaysian", "indonesian", "filipino",
    "austrian", "hungarian", "czech", "serbian", "croatian", "romanian", "bulgarian", "finnish",
    "danish", "irish", "scottish", "portuguese", "algerian", "moroccan", "tunisian", "sudanese",
    "ethiopian", "somali", "iranians", "americans",
}

# Heads that make a noun phrase an institution rather than a person.
INSTITUTION_HEADS = {
    "ministry", "government", "office", "department", "council", "agency", "house", "pentagon",
    "kremlin", "embassy", "committee", "commission", "union", "organization", "organisation",
    "party", "army", "corps", "forces", "military", "administration", "cabinet", "parliament",
    "congress", "senate", "court", "bank", "fund", "alliance", "coalition", "group", "movement",
    "authority", "authorities", "service", "police", "command", "presidency", "secretariat",
    "assembly", "delegation", "mission", "board", "institute", "center", "centre", "foundation",
    "network", "company", "corporation", "firm", "newspaper", "daily", "station", "channel",
    "tv", "radio", "times", "post", "journal", "news", "press", "reuters", "afp", "ap", "irna",
    "isna", "tass", "xinhua", "kcna", "yonhap", "ria", "bbc", "cnn", "statement", "nations",
    "states", "republic", "kingdom", "federation", "emirates", "arabia", "korea", "team", "camp",
    "campaign", "side", "regime", "leadership", "iaea", "nato", "un", "eu", "who", "opec",
    "hamas", "hezbollah", "taliban", "irgc",
}

# Places that speak as institutions ("Moscow has long called for ...").
PLACES = {
    "iran", "russia", "china", "america", "washington", "moscow", "beijing", "tehran",
    "pyongyang", "seoul", "tokyo", "london", "paris", "berlin", "brussels", "kyiv", "kiev",
    "ankara", "riyadh", "damascus", "baghdad", "jerusalem", "kabul", "islamabad", "delhi",
    "caracas", "havana", "israel", "turkey", "syria", "iraq", "afghanistan", "pakistan", "india",
    "japan", "germany", "france", "britain", "italy", "spain", "greece", "cyprus", "egypt",
    "ukraine", "europe", "lebanon", "yemen", "venezuela", "cuba", "canada", "australia", "qatar",
    "kuwait", "oman", "bahrain", "jordan", "libya", "nigeria", "taiwan", "vietnam", "korea",
    "sweden", "norway", "poland", "belarus", "mexico", "brazil", "georgia", "armenia",
    "azerbaijan", "kazakhstan", "ottawa", "canberra", "doha", "muscat", "cairo", "baku", "minsk",
    "warsaw", "rome", "madrid", "athens", "nicosia", "vienna", "geneva", "abuja", "sanaa",
    "beirut", "amman", "tripoli", "hanoi", "bangkok", "manila", "jakarta", "kuala", "ramallah",
    "gaza", "tel", "u.s.", "us", "uk", "u.k.", "eu", "un", "u.n.",
}

# Abbreviations that do not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "lt", "col", "maj", "capt",
    "cmdr", "adm", "sgt", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vol", "inc",
    "co", "corp", "ltd", "vs", "etc", "e.g", "i.e", "approx", "dept", "univ", "est", "fig", "al",
    "p", "pp", "ft", "op", "cf", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "d.c", "ph.d",
    "messrs", "mme", "mlle", "gens", "brig", "fla", "calif", "mass", "conn", "ariz", "ill",
    "mich", "minn", "penn", "tenn", "wash", "wis",
}

# Lines that are page furniture rather than article text.
FURNITURE_PREFIXES = (
    "advertisement", "read more", "related:", "related stories", "also read", "click here",
    "photo:", "image:", "file photo", "subscribe", "sign up", "share this", "follow us",
    "copyright", "all rights reserved", "watch:", "video:", "listen:",
)

# Cue-frame helpers (used by cues.py).
NOUN_LIKE = {"states", "claims", "reports", "calls", "comments", "demands", "notes",
              "remarks", "warnings", "pledges", "promises", "vows", "answers", "replies",
              "requests", "orders", "proposals", "threats", "appeals", "tweets", "statements",
              "reaffirms", "supports", "backs", "terms", "labels", "brands", "hopes", "fears",
              "offers", "presses", "welcomes", "charges", "concerns", "questions", "signals"}

THAT_ONLY = {"report", "reveal", "disclose", "mention", "highlight", "specify", "indicate",
              "confirm", "acknowledge", "note", "recall", "observe", "comment", "explain"}

INVERTED_CUES = {
    "say", "add", "tell", "note", "write", "explain", "state", "insist", "argue", "warn",
    "stress", "declare", "continue", "ask", "tweet", "claim", "reply", "respond", "remark",
    "conclude", "answer", "recall", "emphasize", "emphasise", "report", "announce", "confirm",
    "observe", "point out", "assert", "maintain", "complain", "predict", "concede", "admit",
    "urge", "believe", "think", "suggest", "reiterate", "underline", "underscore", "affirm",
    "reaffirm", "allege", "counter", "acknowledge", "elaborate", "caution", "vow", "pledge",
    "promise", "charge", "contend", "quip", "joke", "mention", "highlight", "comment", "testify",
    "hope", "fear", "indicate", "clarify", "specify", "lament", "retort", "concur", "agree",
    "opine", "forecast", "estimate", "disclose", "reveal", "boast", "recommend",
}

PASSIVE = {
    "was", "were", "is", "are", "been", "be", "being", "the", "a", "an", "to", "his", "her",
    "its", "their", "our", "this", "that", "these", "those", "of", "for",
}

IRREGULAR_PAST = {"said", "told", "wrote", "thought", "sought", "made", "gave", "took"}

# Subjects that never speak: measures and events the narration describes ("The measures
# order ...", "the vote condemned ...": the acts of whoever adopted them).
MUTE_HEADS = {
    "measures", "measure", "sanctions", "restrictions", "penalties", "steps", "step", "vote",
    "votes", "move", "moves", "ban", "bans", "embargo", "package", "curbs", "tariffs",
    "rules", "regulations", "provisions", "decision", "decisions",
}

# Documents speak only with cues that state a content ("the resolution emphasizes ...",
# "the law stipulates ...", "the text calls for ..."), not with acts ("the law orders ...").
DOCUMENT_HEADS = {
    "law", "laws", "bill", "decree", "resolution", "resolutions", "text", "agreement",
    "deal", "treaty", "accord", "order", "directive", "act", "amendment", "charter", "draft",
}
DOCUMENT_CUES = {
    "say", "state", "note", "stress", "emphasize", "emphasise", "underline", "underscore",
    "call for", "call on", "call upon", "urge", "demand", "warn", "warn against", "declare",
    "reaffirm", "reiterate", "recommend", "propose", "insist", "insist on", "affirm",
    "condemn", "denounce", "welcome", "express support for", "express opposition to",
    "reject", "recognize", "acknowledge", "conclude", "claim", "suggest", "add", "appeal for",
    "appeal to", "threaten", "accuse", "blame",
}
