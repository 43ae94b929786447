"""Fuzz :func:`stance.classify` with generated and mutated articles; report crashes and speed.

    python scripts/fuzz.py --articles 10000 [--model DIR | --tiny] [--seed N] [--crash-dir DIR]
    python scripts/fuzz.py --replay runs/fuzz/crashes/crash-0001.json

Articles are generated from a small grammar of news prose (datelines, quotations in every
style, reported speech, nested and unclosed marks, names in several scripts) or are corpus
articles from ``seeds/*.jsonl``, and most are then mutated: quotation marks spliced in,
characters deleted, control characters, right-to-left text and emoji inserted, paragraphs
duplicated, lines made huge, newline styles swapped, lone surrogates added. Each article goes
through ``classify(text, all_scores=True)`` and its result is checked against the library's
invariants (offsets, no overlap, labels, scores summing to 1).

A crash is any exception, an invariant violation or a call over ``--timeout`` CPU seconds; each is
saved as a reproducer (the article and what happened) in ``--crash-dir``. The exit status is 1
when anything was found. Without ``--model`` the bundled default model is used when present
(``models/default`` or ``$STANCE_MODEL``), else a tiny random model (also ``--tiny``).
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# -- the material ---------------------------------------------------------------------------------

QUOTE_PAIRS = [('"', '"'), ("“", "”"), ("‘", "’"), ("``", "''"), ("«", "»"), ("„", "“"), ("「", "」"),
               ("'", "'"), ("‹", "›"), ("『", "』"), ("〝", "〞"), ("＂", "＂"), ("❝", "❞"), ("‚", "‘")]
QUOTE_MARKS = sorted({mark for pair in QUOTE_PAIRS for mark in pair} | {"‟", "‛", "`", "´", "〟", "＇"})
CONTROL = [chr(i) for i in range(0x20) if chr(i) not in "\n"] + [
    "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200c", "\u200d", "\u00ad", "\u2060",
    "\ufffe", "\uffff", "\U000e0001"]
RTL = ["\u200f", "\u202b", "\u202e", "\u2067", "\u202c", "\u2069", "قال وزير الخارجية إن الحوار ممكن",
       "«نريد المفاوضات»", "אמר השר כי", "„אנחנו רוצים שלום“", "\u0627\u0644\u0652\u0651",
       "\u202eتحذير\u202c", "ولكن"]
EMOJI = ["😀", "👨‍👩‍👧‍👦", "🇺🇦", "🇮🇷", "👍🏽", "🏳️‍🌈", "🕊️", "🤝", "💣", "🔥" * 20, "\U0001faf6\U0001f3fe"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00"]
NEWLINES = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\n\n\n", "\x0b", "\x0c"]
SPACES = [" ", "\t", "\u00a0", "\u3000", "\u2003", "\u202f", "  ", ""]

NAMES = ["Sergey Lavrov", "Antony Blinken", "Wang Yi", "Hassan Rouhani", "Narendra Modi",
         "Nicolás Maduro", "Juan Guaidó", "Moon Jae-in", "Kim Jong Un", "Recep Tayyip Erdoğan",
         "Mohammad Javad Zarif", "Ursula von der Leyen", "Abiy Ahmed", "Mahmoud Abbas",
         "محمد جواد ظريف", "בנימין נתניהו", "王毅", "Владимир Путин", "Mr. O'Neil", "Dr. J. R. Smith"]
TITLES = ["Foreign Minister", "President", "Prime Minister", "spokesman", "Secretary of State",
          "U.N. envoy", "the ministry", "Defence Minister", "a senior official", "the White House"]
CUES = ["said", "told reporters", "warned", "urged", "added", "said in a statement", "insisted",
        "told the BBC", "wrote on Twitter", "declared", "stressed", "said on Monday"]
STATEMENTS = ["we want talks without preconditions", "sanctions must continue until they comply",
              "the door to dialogue remains open", "we will respond with force", "this is an act of war",
              "both sides should exercise restraint", "there can be no deal under threat",
              "we are ready to resume negotiations", "the blockade must be lifted at once",
              "military action is not off the table", "nobody wants a war", "talks are a waste of time"]
NARRATIVE = ["The meeting lasted three hours.", "Troops were moved to the border on Sunday.",
             "Oil prices rose 3 per cent.", "Talks in Geneva ended without agreement.",
             "The U.S. imposed new sanctions in 2019.", "Shares fell sharply.", "Advertisement",
             "Read more: Iran's nuclear deal", "By John Smith", "(Reporting by Jane Doe; Editing by X)"]
CITIES = ["GENEVA", "MOSCOW", "TEHRAN", "WASHINGTON", "SEOUL", "CARACAS", "ADDIS ABABA", "الدوحة"]


def _statement(rng: random.Random) -> str:
    text = rng.choice(STATEMENTS)
    if rng.random() < 0.3:
        text += " and " + rng.choice(STATEMENTS)
    return text[0].upper() + text[1:] if rng.random() < 0.7 else text


def _speaker(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return f"{rng.choice(TITLES)} {rng.choice(NAMES)}"
    if roll < 0.8:
        return rng.choice(NAMES)
    return rng.choice(["he", "she", "they", "the official", "the minister", "It"])


def _sentence(rng: random.Random) -> str:
    o, c = rng.choice(QUOTE_PAIRS)
    o2, c2 = rng.choice(QUOTE_PAIRS)
    s, who, cue = _statement(rng), _speaker(rng), rng.choice(CUES)
    templates = [
        f"{o}{s},{c} {who} {cue}.",
        f"{who} {cue} that {s}.",
        f"{o}{s}{c}, {cue} {who}.",
        f"According to {who}, {s}.",
        f"{who} {cue}: {o}{s}.{c}",
        f"{o}{s}, {o2}{_statement(rng)}{c2} {s}.{c} {who} {cue}.",
        f"{o}{s}",  # unclosed: a quotation that continues in the next paragraph
        f"{who} {cue} {o}{s}{c} and that {_statement(rng)}.",
        f"{o}{s}.{c} {o}{_statement(rng)}.{c}",
        rng.choice(NARRATIVE),
        rng.choice(NARRATIVE),
    ]
    return rng.choice(templates)


def generate_article(rng: random.Random) -> str:
    """A synthetic news article: headline, dateline and 1-12 paragraphs of mixed speech."""
    paragraphs = [f"{_speaker(rng)} {rng.choice(CUES)} {_statement(rng)}"]
    dateline = f"{rng.choice(CITIES)}, Dec {rng.randint(1, 31)} (Reuters) - "
    for index in range(rng.randint(1, 12)):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
        paragraphs.append(dateline + text if index == 0 else text)
    return "\n\n".join(paragraphs)


# -- mutations (each: random source, article -> article) ------------------------------------------

def _insert(rng: random.Random, text: str, pieces: list[str], count: int) -> str:
    chars = list(text)
    for _ in range(count):
        chars.insert(rng.randint(0, len(chars)), rng.choice(pieces))
    return "".join(chars)


def splice_quotes(rng: random.Random, text: str) -> str:
    return _insert(rng, text, QUOTE_MARKS, rng.randint(1, 30))


def nest_quotes(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        if not text:
            break
        a, b = sorted(rng.randint(0, len(text)) for _ in range(2))
        o, c = rng.choice(QUOTE_PAIRS)
        text = text[:a] + o + text[a:b] + c + text[b:]
    return text


def delete_chars(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 20)):
        if not text:
            break
        at = rng.randrange(len(text))
        text = text[:at] + text[at + rng.randint(1, 40):]
    return text


def control_chars(rng: random.Random, text: str) -> str:
    return _insert(rng, text, CONTROL, rng.randint(1, 40))


def right_to_left(rng: random.Random, text: str) -> str:
    return _insert(rng, text, RTL, rng.randint(1, 12))


def emoji(rng: random.Random, text: str) -> str:
    return _insert(rng, text, EMOJI, rng.randint(1, 25))


def surrogates(rng: random.Random, text: str) -> str:
    return _insert(rng, text, SURROGATES, rng.randint(1, 5))


def duplicate_paragraphs(rng: random.Random, text: str) -> str:
    paras = text.split("\n")
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(paras))
        paras[at:at] = [paras[at]] * rng.randint(1, 10)
    return "\n".join(paras)


def huge_line(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.4:  # every paragraph on one line
        return " ".join(text.split())
    if roll < 0.7:  # one paragraph repeated on a line, up to ~60,000 characters
        para = rng.choice([p for p in text.split("\n") if p.strip()] or ["x"])
        return text + "\n" + " ".join([para] * max(1, min(60_000 // max(len(para), 1), 40)))
    if roll < 0.85:  # a 100,000-character token without spaces
        return text + "\n" + rng.choice(["a", "ab.", "—", "😀", "\u0301"]) * rng.randint(10_000, 100_000)
    return text + "\n" + " ".join(rng.choice(STATEMENTS) for _ in range(rng.randint(500, 5000)))


def newline_styles(rng: random.Random, text: str) -> str:
    return text.replace("\n", rng.choice(NEWLINES))


def whitespace(rng: random.Random, text: str) -> str:
    return text.replace(" ", rng.choice(SPACES))


def truncate(rng: random.Random, text: str) -> str:
    return text[: rng.randint(0, len(text))] if text else text


def normalize(rng: random.Random, text: str) -> str:
    return unicodedata.normalize(rng.choice(["NFC", "NFD", "NFKC", "NFKD"]), text)


def swap_quote_styles(rng: random.Random, text: str) -> str:
    o, c = rng.choice(QUOTE_PAIRS)
    return text.replace("“", o).replace("”", c).replace('"', rng.choice([o, c, '"']))


def change_case(rng: random.Random, text: str) -> str:
    return rng.choice([str.upper, str.lower, str.swapcase, str.title])(text)


def shuffle_paragraphs(rng: random.Random, text: str) -> str:
    paras = text.split("\n")
    rng.shuffle(paras)
    return "\n".join(paras)


def random_unicode(rng: random.Random, text: str) -> str:
    pieces = [chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 60))]
    return _insert(rng, text, pieces, len(pieces))


MUTATIONS: dict[str, Callable[[random.Random, str], str]] = {
    fn.__name__: fn for fn in (
        splice_quotes, nest_quotes, delete_chars, control_chars, right_to_left, emoji, surrogates,
        duplicate_paragraphs, huge_line, newline_styles, whitespace, truncate, normalize,
        swap_quote_styles, change_case, shuffle_paragraphs, random_unicode)
}
EDGE_CASES = ["", " ", "\n", "\n\n\n", "\t \r\n", "\u2028\u2029", '"', "“", "”", "''", "``", "«»",
              '""""""', "“" * 1000, '"' * 999, "said", '"x," he said.', "\x00", "\ud800", "😀",
              "\u202e", "a" * 100_000, " " * 10_000, '" said "' * 200, "\n".join(['"'] * 500)]


def load_corpus(root: Path = ROOT / "seeds") -> list[tuple[str, str]]:
    """``(id, text)`` of every distinct article in ``seeds/*.jsonl``."""
    seen: dict[str, str] = {}
    for path in sorted(root.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                seen.setdefault(record["text"], record.get("id", path.stem))
    return [(ident, text) for text, ident in seen.items()]


def make_articles(n: int, seed: int, corpus: list[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    """``n`` articles with their recipes (how each was made), the same for the same seed."""
    rng = random.Random(seed)
    for index in range(n):
        if index < len(EDGE_CASES):
            yield EDGE_CASES[index], [f"edge:{index}"]
            continue
        if corpus and rng.random() < 0.6:
            ident, text = rng.choice(corpus)
            recipe = [f"seed:{ident}"]
        else:
            article_seed = rng.randrange(2**32)
            text, recipe = generate_article(random.Random(article_seed)), [f"generated:{article_seed}"]
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            name = rng.choice(list(MUTATIONS))
            text = MUTATIONS[name](rng, text)
            recipe.append(name)
        yield text, recipe


# -- checking one result --------------------------------------------------------------------------

def violations(article: str, result, labels: tuple[str, ...]) -> list[str]:
    """The invariants of ``classify(article, all_scores=True)`` that ``result`` breaks."""
    found: list[str] = []
    previous = -1
    for i, unit in enumerate(result.units):
        if article[unit.start:unit.end] != unit.text or not unit.text:
            found.append(f"unit {i}: text != article[{unit.start}:{unit.end}]")
        if unit.start < previous:
            found.append(f"unit {i}: overlaps or precedes the previous unit")
        previous = max(previous, unit.end)
        if unit.cue is not None and article[unit.cue_start:unit.cue_end] != unit.cue:
            found.append(f"unit {i}: cue != article[{unit.cue_start}:{unit.cue_end}]")
        if unit.label not in labels:
            found.append(f"unit {i}: label {unit.label!r} not in {labels}")
        scores = unit.scores or {}
        if set(scores) != set(labels) or abs(sum(scores.values()) - 1.0) > 1e-4:
            found.append(f"unit {i}: scores {scores} do not sum to 1 over the labels")
        elif unit.score != max(scores.values()):
            found.append(f"unit {i}: score {unit.score} is not the highest")
    if sum(result.counts.values()) != len(result.units):
        found.append("counts do not add up to the units")
    return found


# -- the run --------------------------------------------------------------------------------------

class FuzzTimeout(Exception):
    """One article took more CPU time than the timeout."""


@dataclass
class Crash:
    index: int
    kind: str  # "exception" | "violation" | "timeout"
    message: str
    recipe: list[str]
    article: str
    trace: str = ""


@dataclass
class FuzzReport:
    articles: int = 0
    units: int = 0
    chars: int = 0
    seconds: float = 0.0  # wall-clock time in classify
    cpu_seconds: float = 0.0  # CPU time of the process (all threads) in classify
    crashes: list[Crash] = field(default_factory=list)
    slowest: list[tuple[float, int, list[str], int]] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for crash in self.crashes if crash.kind == kind)

    def lines(self) -> list[str]:
        rate = self.articles / self.seconds if self.seconds else 0.0
        units_rate = self.units / self.seconds if self.seconds else 0.0
        cpu = self.cpu_seconds or float("nan")
        out = [
            f"articles: {self.articles:,}  units: {self.units:,}  characters: {self.chars:,}",
            f"crashes: {len(self.crashes)}  (exceptions {self.count('exception')}, "
            f"invariant violations {self.count('violation')}, timeouts {self.count('timeout')})",
            f"throughput: {rate:.1f} articles/s, {units_rate:.1f} units/s "
            f"(wall clock: {self.seconds:.1f} s in classify)",
            f"per CPU second: {self.articles / cpu:.1f} articles, {self.units / cpu:.1f} units "
            f"({self.cpu_seconds:.1f} CPU s in classify)",
        ]
        for seconds, index, recipe, size in sorted(self.slowest, reverse=True)[:3]:
            out.append(f"slowest: {seconds:.2f} CPU s  article {index} ({size:,} chars; "
                       f"{' + '.join(recipe)})")
        return out


def save_crash(crash: Crash, folder: Path, number: int) -> Path:
    """Write ``crash-NNNN.json`` (replay it with ``--replay``) and the raw article beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{number:04d}.json"
    record = {"index": crash.index, "kind": crash.kind, "message": crash.message,
              "recipe": crash.recipe, "traceback": crash.trace, "article": crash.article}
    path.write_text(json.dumps(record, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    path.with_suffix(".txt").write_bytes(crash.article.encode("utf-8", "surrogatepass"))
    return path


def _alarm(_signum, _frame) -> None:
    raise FuzzTimeout


def fuzz(articles: Iterator[tuple[str, list[str]]], classifier, *, timeout: float | None = 60.0,
         crash_dir: Path | None = None, progress_every: int = 0) -> FuzzReport:
    """Classify each article, check its result and collect crashes (saved to ``crash_dir``)."""
    from stance import classify

    report = FuzzReport()
    # The timeout counts the CPU time of the process (SIGPROF), not wall-clock time, so that a
    # busy machine that starves the fuzzer does not make slow articles of fast ones.
    use_alarm = bool(timeout) and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGPROF, _alarm) if use_alarm else None
    try:
        for index, (article, recipe) in enumerate(articles):
            crash = None
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_PROF, timeout)
                try:
                    result = classify(article, model=classifier, all_scores=True)
                finally:
                    if use_alarm:
                        signal.setitimer(signal.ITIMER_PROF, 0)
            except FuzzTimeout:
                crash = Crash(index, "timeout", f"over {timeout} CPU seconds", recipe, article)
            except Exception as error:  # the point: anything at all is a crash
                crash = Crash(index, "exception", f"{type(error).__name__}: {error}", recipe, article,
                              traceback.format_exc())
            else:
                broken = violations(article, result, classifier.labels)
                if broken:
                    crash = Crash(index, "violation", "; ".join(broken[:5]), recipe, article)
                report.units += len(result.units)
            cpu = time.process_time() - cpu_started
            report.seconds += time.perf_counter() - started
            report.cpu_seconds += cpu
            report.articles += 1
            report.chars += len(article)
            report.slowest = sorted([*report.slowest, (cpu, index, recipe, len(article))],
                                    reverse=True)[:5]
            if crash is not None:
                report.crashes.append(crash)
                where = save_crash(crash, crash_dir, len(report.crashes)) if crash_dir else None
                print(f"CRASH {crash.kind} at article {index} ({' + '.join(recipe)}): "
                      f"{crash.message[:300]}" + (f" -> {where}" if where else ""), file=sys.stderr)
            if progress_every and report.articles % progress_every == 0:
                print(f"... {report.articles:,} articles, {len(report.crashes)} crashes, "
                      f"{report.articles / report.seconds:.1f} articles/s", file=sys.stderr, flush=True)
    finally:
        if use_alarm:
            signal.signal(signal.SIGPROF, previous)
    return report


# -- the command ----------------------------------------------------------------------------------

def load_classifier(model: Path | None, tiny: bool, threads: int | None, backend: str = "auto"):
    """The classifier to fuzz and a description of it."""
    from stance import StanceClassifier
    from stance.api import default_model_path

    if model is None and not tiny:
        default = default_model_path()
        if (default / "stance_model.json").exists():
            model = default
        else:
            print(f"fuzz: no default model at {default}; using a tiny random model", file=sys.stderr)
    if model is None:
        from tests.conftest import write_tiny_model

        model = write_tiny_model(Path(tempfile.mkdtemp(prefix="stance-fuzz-")) / "tiny")
        label = "tiny random model (tests/conftest.py write_tiny_model)"
    else:
        label = str(model)
    classifier = StanceClassifier.from_pretrained(model, device="cpu", num_threads=threads,
                                                  backend=backend)
    return classifier, f"{label}, backend {classifier.backend}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="how many (default 10000)")
    parser.add_argument("--model", type=Path, help="model directory (default: the bundled model)")
    parser.add_argument("--tiny", action="store_true", help="use a tiny random model")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the articles")
    parser.add_argument("--backend", default="auto", help="inference backend (default: auto)")
    parser.add_argument("--threads", type=int, default=None,
                        help="intra-op threads of the backend (default: its own choice)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="CPU seconds allowed per article (0: no limit)")
    parser.add_argument("--crash-dir", type=Path, default=ROOT / "runs" / "fuzz" / "crashes",
                        help="where reproducers go (default runs/fuzz/crashes)")
    parser.add_argument("--replay", type=Path, nargs="+", help="rerun saved crash-NNNN.json files")
    args = parser.parse_args(argv)

    import warnings

    from stance import StatementTooLongWarning

    warnings.simplefilter("ignore", StatementTooLongWarning)
    classifier, label = load_classifier(args.model, args.tiny, args.threads, args.backend)
    if args.replay:
        cases = ((json.loads(p.read_text(encoding="utf-8"))["article"], [str(p)]) for p in args.replay)
        report = fuzz(cases, classifier, timeout=args.timeout or None)
    else:
        corpus = load_corpus()
        print(f"fuzz: {args.articles:,} articles, seed {args.seed}, corpus {len(corpus)} articles, "
              f"model {label}", file=sys.stderr)
        report = fuzz(make_articles(args.articles, args.seed, corpus), classifier,
                      timeout=args.timeout or None, crash_dir=args.crash_dir,
                      progress_every=max(args.articles // 10, 1))
    print(f"model: {label}, threads {args.threads or 'default'}")
    for line in report.lines():
        print(line)
    if report.crashes and not args.replay:
        print(f"reproducers: {args.crash_dir}")
    return 1 if report.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
