"""How fast, and how lean, is a 1,000-replicate ensemble?

Runs ``--replicates`` replicates x the scenario's horizon (48 months for the tariff scenario, all
ten actors) through the batched path (``run_ensemble(..., block_size=500)``: many replicates
stepped at once in numpy arrays) and through the straightforward path (``block_size=1``: each
replicate its own numeric core, one at a time), checks the two agree bit for bit, and prints:

* batched time: best and median of ``--repeats`` runs in this process;
* peak memory of the batched run, measured in a fresh child process that runs only the ensemble:
  - peak RSS: everything the process held at its peak, i.e. the interpreter, numpy, pandas,
    Mesa, pydantic and the result arrays -- this is what the 1 GB target is about. It is read
    from ``VmHWM`` in ``/proc/self/status``, not ``ru_maxrss``: on Linux ``ru_maxrss`` carries the
    parent's peak across fork + exec, so a child would report this script's own peak;
  - tracemalloc peak: only the memory allocated *during* the run (numpy arrays and Python
    objects), measured in a second child, since tracing slows the run down;
* one-at-a-time time: by default the first ``--sample`` replicates (100) are run one at a time
  and the time is extrapolated linearly to all replicates (printed as such); ``--full`` runs them
  all one at a time (about 10-15 s);
* the speed-up ratio (one at a time / batched), from this same run, in wall time (what the
  target is about) and in CPU time (``time.process_time``, which moves less when other processes
  share the machine);
* PASS/FAIL against the targets: batched <= 2 s, >= 30x faster than one at a time, peak < 1 GB;
* block-size sensitivity: batched time for block_size 100, 250, 500 and 1000;
* the whole ``python -m sim run SCENARIO --out TMP`` command end to end (plots included), as a
  subprocess (target: a few seconds): once with the scenario's own number of replicates, once
  with ``--replicates`` of them.

Timings are noisy on shared machines, so the exit code is 0 whatever the result unless
``--strict`` is given (then 1 if any target is missed).

Run from anywhere:

    python benchmarks/ensemble_speed.py [--scenario FILE] [--replicates 1000] [--repeats 3]
                                        [--sample 100] [--full] [--strict]

``--scenario`` defaults to ``scenarios/tariff_escalation.yml`` in the repository; a relative path
is looked up from the current directory first, then from the repository root.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_SCENARIO = "scenarios/tariff_escalation.yml"
BLOCK_SIZE = 500
BLOCK_SIZES = (100, 250, 500, 1000)
TARGET_SECONDS = 2.0
TARGET_RATIO = 30.0
TARGET_BYTES = 1_000_000_000  # 1 GB (decimal; stricter than 1 GiB)
MB = 1e6


def resolve(path: str) -> Path:
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p.resolve()
    return (REPO / p).resolve()


def peak_rss() -> int:
    """Peak resident set size of this process, in bytes (see the module docstring)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def batched_seconds(scenario, replicates: int, block_size: int,
                    repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU times of ``repeats`` batched runs. Each starts after a full garbage
    collection, since a finished run's models sit in reference cycles (Mesa agents <-> model)
    until one runs."""
    from sim.engine.ensemble import run_ensemble

    wall, cpu = [], []
    for _ in range(repeats):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        run_ensemble(scenario, replicates=replicates, block_size=block_size)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def child(scenario_path: Path, replicates: int, block_size: int, trace: bool) -> None:
    """Child mode: import, run one batched ensemble, print memory figures as JSON."""
    import tracemalloc

    from sim.engine.ensemble import run_ensemble
    from sim.scenario import load_scenario

    scenario = load_scenario(scenario_path)
    before = peak_rss()
    if trace:
        tracemalloc.start()
    ensemble = run_ensemble(scenario, replicates=replicates, block_size=block_size)
    figures = {
        "rss_before": before,
        "rss_peak": peak_rss(),
        "result_bytes": sum(a.nbytes for a in ensemble.arrays.values()),
    }
    if trace:
        figures["traced_peak"] = tracemalloc.get_traced_memory()[1]
    print(json.dumps(figures))


def memory(scenario_path: Path, replicates: int, block_size: int, trace: bool) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--scenario",
           str(scenario_path), "--replicates", str(replicates), "--block-size", str(block_size)]
    if trace:
        cmd.append("--trace")
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def one_at_a_time(scenario, replicates: int, batched: dict) -> tuple[float, float, bool]:
    """Time ``replicates`` replicates one at a time; compare them with the batched slice."""
    import numpy as np

    from sim.engine.ensemble import run_ensemble

    gc.collect()
    started, started_cpu = time.perf_counter(), time.process_time()
    single = run_ensemble(scenario, replicates=replicates, block_size=1)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    same = (set(single.arrays) == set(batched["arrays"])
            and all(np.array_equal(single.arrays[k], batched["arrays"][k][:, :replicates])
                    for k in batched["arrays"])
            # the commitment counters live outside ``arrays``; compare them too
            and np.array_equal(single.commitment_tests, batched["tests"][:replicates])
            and np.array_equal(single.commitments_honoured, batched["honoured"][:replicates]))
    return seconds, cpu, same


def cli_seconds(scenario_path: Path, extra: list[str]) -> tuple[float, int, str]:
    """Wall time of ``python -m sim run`` (interpreter start, imports, run, tables, plots)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "sim", "run", str(scenario_path), "--out", f"{tmp}/run",
               *extra]
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
        seconds = time.perf_counter() - started
    tail = "" if done.returncode == 0 else (done.stderr or done.stdout).strip().splitlines()[-1:]
    return seconds, done.returncode, " ".join(tail)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", default=DEFAULT_SCENARIO, help=f"default: {DEFAULT_SCENARIO}")
    ap.add_argument("--replicates", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3, help="batched runs to time (best, median)")
    ap.add_argument("--sample", type=int, default=100,
                    help="replicates to run one at a time, then extrapolate (default 100)")
    ap.add_argument("--full", action="store_true", help="run every replicate one at a time")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--block-size", type=int, default=BLOCK_SIZE, help=argparse.SUPPRESS)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if min(args.replicates, args.repeats, args.sample) < 1:
        ap.error("--replicates, --repeats and --sample must be at least 1")

    scenario_path = resolve(args.scenario)
    if args.child:
        child(scenario_path, args.replicates, args.block_size, args.trace)
        return 0
    if not scenario_path.exists():
        print(f"error: no scenario file {scenario_path}; pass --scenario FILE", file=sys.stderr)
        return 2

    from sim.engine.ensemble import run_ensemble
    from sim.scenario import load_scenario

    scenario = load_scenario(scenario_path)
    r = args.replicates
    shown = scenario_path.relative_to(REPO) if scenario_path.is_relative_to(REPO) else scenario_path
    print(f"scenario:     {scenario.name} ({shown})")
    print(f"replicates:   {r}")
    print(f"months:       {scenario.horizon_months}")
    print(f"actors:       {len(scenario.actors)} ({' '.join(scenario.actors)})")
    print(f"machine:      {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print()

    # Batched path: timed in this process, best and median of --repeats.
    ensemble = run_ensemble(scenario, replicates=r, block_size=args.block_size)  # warm-up + ref
    batched = {"arrays": ensemble.arrays, "tests": ensemble.commitment_tests,
               "honoured": ensemble.commitments_honoured}
    times, cpus = batched_seconds(scenario, r, args.block_size, args.repeats)
    best, median, cpu_median = min(times), statistics.median(times), statistics.median(cpus)
    print(f"batched (block_size={args.block_size}), {args.repeats} timed run(s) after a "
          f"warm-up: best {best:.3f} s, median {median:.3f} s  "
          f"[{', '.join(f'{t:.3f}' for t in times)}]; CPU time median {cpu_median:.3f} s")

    # Memory, in fresh child processes that run only the batched ensemble.
    rss = memory(scenario_path, r, args.block_size, trace=False)
    traced = memory(scenario_path, r, args.block_size, trace=True)
    print(f"peak RSS of a child running only the batched ensemble: {rss['rss_peak'] / MB:.0f} MB "
          f"(of which {rss['rss_before'] / MB:.0f} MB before the run: interpreter + imports)")
    print(f"tracemalloc peak during the run (numpy arrays + Python objects): "
          f"{traced['traced_peak'] / MB:.0f} MB (result arrays alone: "
          f"{rss['result_bytes'] / MB:.0f} MB)")

    # Straightforward path: one numeric core per replicate, one at a time.
    n = r if args.full else min(args.sample, r)
    seconds, cpu, same = one_at_a_time(scenario, n, batched)
    single, single_cpu = seconds * r / n, cpu * r / n
    if n == r:
        print(f"one at a time: {single:.2f} s (all {r} replicates measured; CPU time "
              f"{single_cpu:.2f} s)")
    else:
        print(f"one at a time: {single:.2f} s EXTRAPOLATED linearly from the first {n} "
              f"replicates ({seconds:.2f} s, {seconds / n * 1000:.1f} ms each; CPU time "
              f"{single_cpu:.2f} s extrapolated); --full measures all")
    print(f"identical: {'yes' if same else 'no'} (one-at-a-time replicates 0..{n - 1} vs the "
          f"batched run, every array, bit for bit)")
    ratio_best, ratio_median = single / best, single / median
    print(f"ratio: {ratio_median:.1f}x against the batched median ({ratio_best:.1f}x against "
          f"the best; {single_cpu / cpu_median:.1f}x in CPU time, less sensitive to other load)")
    print()

    # Targets, judged on the median (the more conservative of the two).
    results = [
        (f"batched {r} replicates <= {TARGET_SECONDS:g} s", median <= TARGET_SECONDS,
         f"{median:.3f} s (median)"),
        (f">= {TARGET_RATIO:g}x faster than one at a time", ratio_median >= TARGET_RATIO,
         f"{ratio_median:.1f}x (median{', extrapolated' if n < r else ''})"),
        ("peak memory < 1 GB", rss["rss_peak"] < TARGET_BYTES,
         f"{rss['rss_peak'] / MB:.0f} MB (peak RSS)"),
        ("one-at-a-time = batched, bit for bit", same, "yes" if same else "no"),
    ]
    for name, ok, figure in results:
        print(f"{verdict(ok)}  {name}: {figure}")
    print()

    print("block-size sensitivity (batched, best / median of "
          f"{args.repeats}):")
    for size in BLOCK_SIZES:
        ts, _ = batched_seconds(scenario, r, size, args.repeats)
        print(f"  block_size {size:>5}: {min(ts):.3f} s / {statistics.median(ts):.3f} s")
    print()

    print("python -m sim run, end to end (interpreter start, imports, run, tables, plots):")
    codes = []
    for extra, size in (([], scenario.replicates), (["--replicates", str(r)], r)):
        seconds, code, error = cli_seconds(scenario_path, extra)
        codes.append(code)
        outcome = "ok" if code == 0 else f"FAILED (exit {code}: {error})"
        command = " ".join([scenario_path.name, "--out TMP", *extra])
        print(f"  {command} ({size} replicates): {seconds:.2f} s, {outcome}")

    missed = not all(ok for _, ok, _ in results) or any(codes)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
