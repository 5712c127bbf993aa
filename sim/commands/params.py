"""``python -m sim params``: the evidence register of every parameter and actor value."""

from __future__ import annotations

import argparse

from sim.evidence.register import register_table


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("params", help="print every parameter with unit, range and source")
    p.add_argument("--format", choices=("table", "csv", "markdown"), default="table")
    p.add_argument("--actors", action="store_true", help="also list actor values and sources")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    table = register_table(include_actors=args.actors)
    if args.format == "csv":
        print(table.to_csv(index=False), end="")
    elif args.format == "markdown":
        from sim.outputs.docs import table as markdown_table

        print(markdown_table(list(table.columns), table.values.tolist()))
    else:
        _print_rich(table)
    return 0


def _print_rich(table) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Table(title="Evidence register", show_lines=False, expand=True)
    for col in table.columns:
        out.add_column(col, overflow="fold")
    for row in table.itertuples(index=False):
        out.add_row(*[str(v) for v in row])
    Console(width=200).print(out)
