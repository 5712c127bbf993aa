"""How long does ``python -m sim run SCENARIO`` take, plots included, now and before?

Both versions run on this machine in this run, alternating, as fresh subprocesses (interpreter
start, imports, ensemble, tables, five figures): this checkout, and a baseline revision extracted
with ``git archive`` into a temporary folder (by default the commit this work started from). It
prints the median and best of ``--repeats`` runs each and their ratio, checks that both wrote the
same result tables (byte for byte) and the same plot files, and times the light verbs: ``import
sim.cli``, ``python -m sim --help`` and ``python -m sim validate``.

    python benchmarks/cli_speed.py [--scenario FILE] [--repeats 5] [--baseline REV]

Timings move by 30% or more when other work shares the two cores: read the ratio, measured in
one run, and the load average printed with it. The CPU seconds (user + system, the command and
its workers) move less: on a machine whose cores are busy with other work, wall time follows
them, not the parallelism. The exit code is 0 unless a command fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = "e9df79f"  # main before the speed work: eager imports, figures drawn one by one
TABLES = ("results.parquet", "summary.csv", "end_state.csv", "bloc_energy.csv",
          "replicates.csv", "summary.txt")


def extract(revision: str, into: Path) -> Path:
    """The tree of ``revision`` of this repository, unpacked into ``into``."""
    archive = subprocess.run(["git", "archive", revision], cwd=REPO, check=True,
                             capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def timed(tree: Path, args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds of ``python ARGS`` with ``tree`` first on the path, and the CPU seconds
    (user + system) of it and its worker processes; raises if it fails."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed in {tree}:\n{done.stderr[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu


def same_outputs(a: Path, b: Path) -> list[str]:
    """What differs between two run folders: tables byte for byte, plots by name."""
    problems = [name for name in TABLES if (a / name).read_bytes() != (b / name).read_bytes()]
    plots_a = sorted(p.name for p in (a / "plots").iterdir())
    plots_b = sorted(p.name for p in (b / "plots").iterdir())
    if plots_a != plots_b:
        problems.append(f"plots: {plots_a} != {plots_b}")
    return problems


def summary(label: str, times: list[float]) -> str:
    return (f"{label:<44} median {statistics.median(times):6.2f} s   best {min(times):6.2f} s   "
            f"({', '.join(f'{t:.2f}' for t in times)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="scenarios/tariff_escalation.yml")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help=f"revision (default {BASELINE})")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}, nproc {os.cpu_count()}, Python "
          f"{platform.python_version()}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        trees = {"before": extract(args.baseline, (tmp / "before").resolve()), "now": REPO}
        print(f"before: {args.baseline} (git archive); now: {REPO}\n")
        runs: dict[str, list[float]] = {label: [] for label in trees}
        cpu: dict[str, list[float]] = {label: [] for label in trees}
        for k in range(args.repeats):
            order = list(trees) if k % 2 == 0 else list(reversed(trees))  # alternate who is first
            for label in order:
                out = tmp / f"{label}-{k}"
                scenario = str(trees[label] / args.scenario)  # each tree runs its own files
                wall, used = timed(trees[label], ["-m", "sim", "run", scenario, "--out", str(out)],
                                   cwd=tmp)
                runs[label].append(wall)
                cpu[label].append(used)
        for label, times in runs.items():
            print(summary(f"python -m sim run ({label}), wall", times))
        ratio = statistics.median(runs["before"]) / statistics.median(runs["now"])
        print(f"{'ratio before / now (medians)':<44} {ratio:.2f}x")
        for label, times in cpu.items():
            print(summary(f"  CPU, all processes ({label})", times))
        differ = same_outputs(tmp / "before-0", tmp / "now-0")
        print("tables byte for byte, plot names:", "same" if not differ else
              f"differ (expected when the model or the scenario files changed since the "
              f"baseline): {differ}")
        print()
        light = {"python -c 'import sim.cli'": ["-c", "import sim.cli"],
                 "python -m sim --help": ["-m", "sim", "--help"],
                 "python -m sim validate SCENARIO": ["-m", "sim", "validate", args.scenario]}
        for label, command in light.items():
            for tree_label, tree in trees.items():
                times = [timed(tree, command, cwd=tree)[0] for _ in range(args.repeats)]
                print(summary(f"{label} ({tree_label})", times))
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
