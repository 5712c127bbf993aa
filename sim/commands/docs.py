"""``python -m sim docs``: regenerate the code-generated blocks of docs/ODD.md, README.md and
docs/VALIDATION.md (or, with ``--check``, only say which are out of date); ``--robustness`` first
reruns the sweep behind the README's "Which conclusions are robust?", ``--validation`` the pattern
run behind VALIDATION.md's patterns, ``--structures`` the comparison behind STRUCTURES.md."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from sim.errors import UserError
from sim.outputs import docs, pattern_evidence, robustness, structures


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="regenerate the code-generated tables of docs/ODD.md and "
                                    "README.md")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and name the blocks that are out of date")
    p.add_argument("--path", type=Path,
                   help="one document (default: docs/ODD.md and README.md of this repository)")
    p.add_argument("--robustness", action="store_true",
                   help="first rerun the Sobol sweep and sensitivity analysis behind the "
                        "README's robustness table (about a minute), into docs/robustness/")
    p.add_argument("--validation", action="store_true",
                   help="first rerun `sim patterns --posterior` behind docs/VALIDATION.md's "
                        "patterns, into docs/validation/patterns.csv")
    p.add_argument("--structures", action="store_true",
                   help="first rerun the comparison of rival structures behind "
                        "docs/STRUCTURES.md, into docs/structures/comparison.csv")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if args.robustness and not args.check:
        rerun_robustness()
    if args.validation and not args.check:
        rerun_validation()
    if args.structures and not args.check:
        rerun_structures()
    documents = [Path(args.path)] if args.path else docs.document_paths()
    return max(_one(path, args.check) for path in documents)


def _one(path: Path, check_only: bool) -> int:
    if not path.is_file():
        raise UserError("no such document", file=str(path),
                        valid="a Markdown file with <!-- BEGIN GENERATED: name --> blocks")
    stale = docs.check(path)
    if check_only:
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


def rerun_robustness() -> None:
    """Run the robustness sweep and its sensitivity analysis; replace docs/robustness/ whole."""
    from sim.commands import sensitivity, sweep
    from sim.paths import scenario_file

    target = robustness.folder()
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp_name:
        tmp = Path(tmp_name)
        _verb(sweep, ["sweep", str(scenario_file(robustness.SCENARIO)), *robustness.SWEEP,
                      "--out", str(tmp / "sweep")])
        _verb(sensitivity, ["sensitivity", str(tmp / "sweep"), "--out", str(tmp / "sens")])
        kept = tmp / "kept"
        shutil.copytree(tmp / "sens" / "plots", kept / "plots")
        shutil.copy(tmp / "sens" / "sensitivity.csv", kept / "sensitivity.csv")
        design = json.loads((tmp / "sweep" / "design.json").read_text(encoding="utf-8"))
        design["points"] = len(pd.read_csv(tmp / "sweep" / "experiments.csv"))
        (kept / "design.json").write_text(json.dumps(design, indent=2) + "\n", encoding="utf-8")
        robustness.spread(pd.read_parquet(tmp / "sweep" / "outcomes.parquet")).to_csv(
            kept / "spread.csv", index=False, float_format="%.6g")
        if target.exists():
            shutil.rmtree(target)
        kept.rename(target)  # the regeneration replaces the folder on purpose, whole
    print(f"Wrote {target}")


def rerun_validation() -> None:
    """Run the posterior pattern check; replace docs/validation/patterns.csv."""
    from sim.commands import patterns
    from sim.paths import scenario_file

    target = pattern_evidence.folder()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp_name:
        run = Path(tmp_name) / "patterns"
        _verb(patterns, ["patterns", str(scenario_file(pattern_evidence.SCENARIO)),
                         *pattern_evidence.ARGUMENTS, "--out", str(run)])
        table = pattern_evidence.stored_table(pd.read_csv(run / "patterns.csv"),
                                              pd.read_csv(run / "controls.csv"))
        kept = Path(tmp_name) / "patterns.csv"
        table.to_csv(kept, index=False, float_format="%.6g")
        kept.replace(target / "patterns.csv")
    print(f"Wrote {target / 'patterns.csv'}")


def rerun_structures() -> None:
    """Run each rival structure on the 2025 timeline; replace docs/structures/comparison.csv."""
    from sim.analysis.patterns.structures import comparison
    from sim.paths import scenario_file
    from sim.scenario import load_scenario

    target = structures.folder()
    target.mkdir(parents=True, exist_ok=True)
    scenario = load_scenario(scenario_file(structures.SCENARIO))
    table = comparison(scenario, structures.REPLICATES)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp_name:
        kept = Path(tmp_name) / "comparison.csv"
        table.to_csv(kept, index=False, float_format="%.6g")
        kept.replace(target / "comparison.csv")
    print(f"Wrote {target / 'comparison.csv'}")


def _verb(module, argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m sim")
    module.add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    if args.func(args) != 0:
        raise UserError(f"`python -m sim {' '.join(argv[:2])}` failed; nothing was replaced")
