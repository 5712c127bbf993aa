"""``python -m sim docs``: regenerate the tables of docs/ODD.md from the code (or, with
``--check``, only say which are out of date)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.errors import UserError
from sim.outputs import docs


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="regenerate the code-generated tables of docs/ODD.md")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and name the blocks that are out of date")
    p.add_argument("--path", type=Path,
                   help="the document (default: docs/ODD.md of this repository)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    path = Path(args.path) if args.path else docs.odd_path()
    if not path.is_file():
        raise UserError("no such document", file=str(path),
                        valid="a Markdown file with <!-- BEGIN GENERATED: name --> blocks")
    stale = docs.check(path)
    if args.check:
        if stale:
            print(f"{path}: out of date: {', '.join(stale)}\n"
                  "  regenerate with: python -m sim docs", file=sys.stderr)
            return 1
        print(f"{path}: up to date")
        return 0
    text = path.read_text(encoding="utf-8")
    try:
        new = docs.render(text)
    except KeyError as exc:
        raise UserError(str(exc.args[0]), file=str(path)) from None
    if new != text:
        path.write_text(new, encoding="utf-8")
    left = docs.check(path)
    if left:
        print(f"{path}: cannot regenerate: {', '.join(left)}", file=sys.stderr)
        return 1
    print(f"{path}: regenerated {', '.join(stale)}" if stale else f"{path}: up to date")
    return 0
