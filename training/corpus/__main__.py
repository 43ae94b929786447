"""Corpus commands: ``python -m training.corpus {check,build,validate}``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from training.corpus.check import check_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.corpus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="parse source files and print their statistics")
    check.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "check":
        return 1 if check_files(args.paths) else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
