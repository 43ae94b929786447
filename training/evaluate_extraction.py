"""Evaluate ``stance.extract_quotes`` against gold units and print one table.

Usage::

    python -m training.evaluate_extraction [--realnews PATH] [--corpus PATH ...]
        [--polnear PATH] [--json OUT] [--errors N]

For every evaluation set the table gives unit precision, recall and F1 under

* the overlap rule of ``shared/annotation/GUIDELINES.md``: a predicted and a gold unit match
  when their spans overlap and the overlap covers at least half of the shorter span; matching is
  one-to-one (pairs are taken greedily, largest overlap first, each unit used once);
* exact spans (same start and end);

recall per gold kind and precision per predicted kind (overlap rule), and speaker accuracy on the
overlap-matched units. A predicted speaker counts as correct when, compared case-insensitively
with punctuation removed, it equals the gold speaker or one of the two contains the last word
(the surname) of the other as a whole word ("Lavrov" ~ "Sergey Lavrov", "Mr. Obama" ~ "Barack
Obama", "the official" ~ "a French official").

Sets (paths relative to the repository root; a missing file is skipped with a message):
realnews ``../shared/realnews/realnews-dev.jsonl``; corpus ``seeds/test.jsonl``,
``seeds/unseen.jsonl``, ``seeds/seed-000.gold.jsonl``; PolNeAR ``../shared/external/
polnear-test.jsonl`` (attributions: the unit is the hull of the content spans, the speaker the
source text; PolNeAR also marks beliefs and knowledge, so its precision understates ours).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REALNEWS = ROOT.parent / "shared" / "realnews" / "realnews-dev.jsonl"
DEFAULT_CORPUS = [
    ROOT / "seeds" / "test.jsonl",
    ROOT / "seeds" / "unseen.jsonl",
    ROOT / "seeds" / "seed-000.gold.jsonl",
]
DEFAULT_POLNEAR = ROOT.parent / "shared" / "external" / "polnear-test.jsonl"
KINDS = ("direct", "indirect", "mixed")


@dataclass
class Span:
    """A unit reduced to what the scores need."""

    start: int
    end: int
    kind: str | None = None
    speaker: str | None = None


def overlap_ok(a: Span, b: Span) -> bool:
    """Overlap rule: spans overlap and the overlap is at least half of the shorter span."""
    ov = min(a.end, b.end) - max(a.start, b.start)
    shorter = min(a.end - a.start, b.end - b.start)
    return ov > 0 and ov * 2 >= shorter


def match_overlap(pred: list[Span], gold: list[Span]) -> list[tuple[int, int]]:
    """One-to-one matching under the overlap rule, largest overlap first (greedy)."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if p.start < g.end and g.start < p.end and overlap_ok(p, g):
                ov = min(p.end, g.end) - max(p.start, g.start)
                cands.append((-ov, i, j))
    cands.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def match_exact(pred: list[Span], gold: list[Span]) -> list[tuple[int, int]]:
    """One-to-one matching of identical spans."""
    index: dict[tuple[int, int], list[int]] = {}
    for j, g in enumerate(gold):
        index.setdefault((g.start, g.end), []).append(j)
    pairs = []
    for i, p in enumerate(pred):
        js = index.get((p.start, p.end))
        if js:
            pairs.append((i, js.pop()))
    return pairs


def _norm(name: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", name.lower().replace("’s", " ").replace("'s", " ")).split()


def speaker_ok(pred: str | None, gold: str | None) -> bool:
    """Same speaker: equal, or one contains the other's last word (case-insensitive)."""
    if not pred or not gold:
        return not pred and not gold
    p, g = _norm(pred), _norm(gold)
    if not p or not g:
        return False
    return p == g or g[-1] in p or p[-1] in g


@dataclass
class Counts:
    """Running totals for one evaluation set."""

    n_pred: int = 0
    n_gold: int = 0
    tp_overlap: int = 0
    tp_exact: int = 0
    gold_kind: dict = field(default_factory=lambda: {k: [0, 0] for k in KINDS})
    pred_kind: dict = field(default_factory=lambda: {k: [0, 0] for k in KINDS})
    spk_ok: int = 0
    spk_n: int = 0
    articles: int = 0
    seconds: float = 0.0
    errors: list = field(default_factory=list)

    def add(self, pred: list[Span], gold: list[Span], text: str, art_id: str) -> None:
        self.articles += 1
        self.n_pred += len(pred)
        self.n_gold += len(gold)
        pairs = match_overlap(pred, gold)
        self.tp_overlap += len(pairs)
        self.tp_exact += len(match_exact(pred, gold))
        mp = {i for i, _ in pairs}
        mg = {j for _, j in pairs}
        for j, g in enumerate(gold):
            if g.kind in self.gold_kind:
                self.gold_kind[g.kind][1] += 1
                self.gold_kind[g.kind][0] += j in mg
        for i, p in enumerate(pred):
            if p.kind in self.pred_kind:
                self.pred_kind[p.kind][1] += 1
                self.pred_kind[p.kind][0] += i in mp
        for i, j in pairs:
            if gold[j].speaker is not None:
                self.spk_n += 1
                ok = speaker_ok(pred[i].speaker, gold[j].speaker)
                self.spk_ok += ok
                if not ok:
                    self.errors.append(
                        (
                            "speaker",
                            art_id,
                            text[gold[j].start : gold[j].end],
                            f"pred={pred[i].speaker!r} gold={gold[j].speaker!r}",
                        )
                    )
        for j, g in enumerate(gold):
            if j not in mg:
                self.errors.append(("miss", art_id, g.kind, _ctx(text, g)))
        for i, p in enumerate(pred):
            if i not in mp:
                self.errors.append(("false", art_id, p.kind, _ctx(text, p)))

    def row(self) -> dict:
        def prf(tp: int) -> tuple[float, float, float]:
            p = tp / self.n_pred if self.n_pred else 0.0
            r = tp / self.n_gold if self.n_gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        po, ro, fo = prf(self.tp_overlap)
        pe, re_, fe = prf(self.tp_exact)
        return {
            "articles": self.articles,
            "gold": self.n_gold,
            "pred": self.n_pred,
            "overlap": {"p": po, "r": ro, "f1": fo},
            "exact": {"p": pe, "r": re_, "f1": fe},
            "recall_by_gold_kind": {
                k: (v[0] / v[1] if v[1] else None, v[1]) for k, v in self.gold_kind.items()
            },
            "precision_by_pred_kind": {
                k: (v[0] / v[1] if v[1] else None, v[1]) for k, v in self.pred_kind.items()
            },
            "kind_f1": {k: _f1(self.pred_kind[k], self.gold_kind[k]) for k in KINDS},
            "speaker_accuracy": self.spk_ok / self.spk_n if self.spk_n else None,
            "speaker_n": self.spk_n,
            "ms_per_article": 1000 * self.seconds / self.articles if self.articles else 0.0,
        }


def _f1(pk: list[int], gk: list[int]) -> float | None:
    p = pk[0] / pk[1] if pk[1] else None
    r = gk[0] / gk[1] if gk[1] else None
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def _ctx(text: str, s: Span) -> str:
    return (
        text[max(0, s.start - 60) : s.start]
        + "[["
        + text[s.start : s.end]
        + "]]"
        + text[s.end : s.end + 30]
    ).replace("\n", " ")


def _predict(text: str) -> list[Span]:
    from stance.quotes import extract_quotes

    return [Span(q.start, q.end, q.kind, q.speaker) for q in extract_quotes(text)]


def evaluate_gold(path: Path) -> Counts:
    """Score a gold file in the guidelines' format."""
    c = Counts()
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        art = json.loads(line)
        gold = [
            Span(q["start"], q["end"], q.get("kind"), q.get("speaker"))
            for q in art.get("quotes", [])
        ]
        t0 = time.perf_counter()
        pred = _predict(art["text"])
        c.seconds += time.perf_counter() - t0
        c.add(pred, gold, art["text"], art.get("id", "?"))
    return c


def evaluate_polnear(path: Path) -> Counts:
    """Score PolNeAR attributions: content hull as the unit, source text as the speaker."""
    c = Counts()
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        art = json.loads(line)
        gold = []
        for a in art.get("attributions", []):
            content = a.get("content") or []
            if not content:
                continue
            src = " ".join(s["text"] for s in a.get("source") or []) or None
            gold.append(
                Span(min(s["start"] for s in content), max(s["end"] for s in content), None, src)
            )
        t0 = time.perf_counter()
        pred = _predict(art["text"])
        c.seconds += time.perf_counter() - t0
        c.add(pred, gold, art["text"], art.get("id", "?"))
    return c


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def format_table(rows: dict[str, dict]) -> str:
    """Render the per-set results as a fixed-width text table."""
    head = (
        f"{'set':<14}{'arts':>5}{'gold':>6}{'pred':>6} | {'ovl P':>6}{'ovl R':>6}"
        f"{'ovl F1':>7} | {'ex P':>6}{'ex R':>6}{'ex F1':>7} | {'R dir':>6}{'R ind':>6}"
        f"{'R mix':>6} | {'P dir':>6}{'P ind':>6}{'P mix':>6} | {'F1 dir':>6} | "
        f"{'spk acc':>7} | {'ms/art':>6}"
    )
    lines = [head, "-" * len(head)]
    for name, r in rows.items():
        rk, pk = r["recall_by_gold_kind"], r["precision_by_pred_kind"]
        lines.append(
            f"{name:<14}{r['articles']:>5}{r['gold']:>6}{r['pred']:>6} | "
            f"{_fmt(r['overlap']['p']):>6}{_fmt(r['overlap']['r']):>6}"
            f"{_fmt(r['overlap']['f1']):>7} | {_fmt(r['exact']['p']):>6}"
            f"{_fmt(r['exact']['r']):>6}{_fmt(r['exact']['f1']):>7} | "
            + "".join(f"{_fmt(rk[k][0]):>6}" for k in KINDS)
            + " | "
            + "".join(f"{_fmt(pk[k][0]):>6}" for k in KINDS)
            + " | "
            f"{_fmt(r['kind_f1']['direct']):>6} | {_fmt(r['speaker_accuracy']):>7} | "
            f"{r['ms_per_article']:>6.1f}"
        )
    return "\n".join(lines)


def run(
    realnews: Path | None, corpus: list[Path], polnear: Path | None, errors: int = 0, out=sys.stdout
) -> dict[str, dict]:
    """Evaluate every available set; print skips, the table and (optionally) errors."""
    rows: dict[str, dict] = {}
    sets: list[tuple[str, Path, bool]] = []
    if realnews is not None:
        sets.append(("realnews", realnews, False))
    sets.extend((p.stem.replace(".gold", ""), p, False) for p in corpus)
    if polnear is not None:
        sets.append(("polnear*", polnear, True))
    for name, path, is_polnear in sets:
        if not path.is_file():
            print(f"skip {name}: {path} not found", file=out)
            continue
        c = evaluate_polnear(path) if is_polnear else evaluate_gold(path)
        rows[name] = c.row()
        if errors:
            print(f"\n== errors on {name} (first {errors} of {len(c.errors)})", file=out)
            for e in c.errors[:errors]:
                print("  ", *e, sep=" | ", file=out)
    print(format_table(rows), file=out)
    if "polnear*" in rows:
        print(
            "* PolNeAR marks a wider scope (beliefs, knowledge, unnamed sources) and has no "
            "kinds: read its precision as a lower bound; its recall and speaker accuracy are "
            "the comparable numbers.",
            file=out,
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--realnews", type=Path, default=DEFAULT_REALNEWS)
    ap.add_argument("--corpus", type=Path, nargs="*", default=DEFAULT_CORPUS)
    ap.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    ap.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    ap.add_argument(
        "--errors",
        type=int,
        default=0,
        help="print up to N misses / false alarms / speaker errors per set",
    )
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    _predict("Warm-up: the module loads and compiles its patterns, he said.")
    rows = run(args.realnews, args.corpus, args.polnear, args.errors)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
