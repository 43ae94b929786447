"""How the quote extractor's cost grows with the number of quotations in one article.

    python benchmarks/extraction_scaling.py [--sizes 250 500 1000 2000 4000] [--repeats 5]

Each pathological line (the same six as tests/test_properties.py) is repeated ``size`` times into
one article, and ``extract_quotes`` is timed on it: the least CPU time of ``--repeats`` runs, with
the garbage collector off while timing. The table gives the largest article's length in
characters, those seconds and the cost ratio from each size to the next. Linear work doubles when
the size doubles; quadratic work quadruples.
"""

from __future__ import annotations

import argparse
import gc
import time
from itertools import pairwise

from stance.quotes import extract_quotes

LINES = {
    "run-on sentence of quotations": 'Foo said "a b c d" and ',
    "reported clauses, no marks": "He said that talks would resume, and ",
    "single marks": "Foo said 'a b c d' and ",
    "marks never closed": 'He said "a b c ',
    "many short paragraphs": 'Foo said "a b c d".\n',
    "quoted fragments": 'He warned of "grave and unacceptable consequences" and ',
}


def cpu_seconds(text: str, repeats: int) -> float:
    """The least CPU time of ``repeats`` extractions of ``text``."""
    best = float("inf")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            started = time.process_time()
            extract_quotes(text)
            best = min(best, time.process_time() - started)
    finally:
        if collecting:
            gc.enable()
    return best


def scaling_table(sizes: list[int], repeats: int) -> str:
    """A markdown table, one row per line: the length of its largest article, the seconds per size
    and the ratios between consecutive sizes."""
    steps = [f"{a}->{b}" for a, b in pairwise(sizes)]
    header = ["line", f"chars at {sizes[-1]}", *(f"{n} (s)" for n in sizes),
              *(f"x {s}" for s in steps)]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, line in LINES.items():
        seconds = [cpu_seconds(line * n, repeats) for n in sizes]
        ratios = [b / a if a > 0 else float("nan") for a, b in pairwise(seconds)]
        cells = [name, f"{len(line * sizes[-1]):,}", *(f"{s:.3f}" for s in seconds),
                 *(f"{r:.2f}" for r in ratios)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000, 4000],
                        help="repeats of each line per article, ascending")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per size; the least counts")
    args = parser.parse_args(argv)
    if sorted(args.sizes) != args.sizes or len(args.sizes) < 2 or args.sizes[0] < 1:
        parser.error(f"--sizes must be two or more ascending positive counts, got {args.sizes}")
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    print(scaling_table(args.sizes, args.repeats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
