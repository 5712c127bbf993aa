"""How fast is a Sobol sweep, on one process, on Dask, and after a kill?

Three measurements, each printed with the figures it compares, taken in this one run:

1. **Batched sweep against one model per point.** ``python -m sim sweep`` with a Saltelli design
   of N base samples over 12 parameters (N x 14 points; N = 1,024 gives 14,336) x 10 replicates x
   the 48 months of ``trump_second_term``, as a subprocess: wall time and peak memory (the
   child's peak RSS; it runs first, so no larger child precedes it). Then a
   sample of ``--sample`` points is run one model per point (``run_ensemble`` on the scenario
   with the point's values, 10 replicates each), timed, and extrapolated linearly to every point
   (printed as EXTRAPOLATED): the ratio of the two is the speed-up of batching.
   Targets (issue 7): within 90 s, under 2 GB.
2. **Dask LocalCluster, 2 workers against 1**, on a smaller sweep (``--dask-samples``): both
   timings, the speed-up, and whether the outcomes are bit-identical (and identical to the
   in-process sweep of the same design).
3. **Kill and resume.** A sweep is killed (SIGKILL) as soon as its first chunks are on disk and
   resumed with ``--resume``; the outcomes are compared with an uninterrupted sweep, and the work
   redone after the kill is counted in chunks (the target: at most one).

Run from anywhere (numbers are noisy on a shared machine; nothing fails on a missed target):

    python benchmarks/sweep_speed.py [--samples 1024] [--sample 40] [--dask-samples 64]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SCENARIO = REPO / "scenarios" / "trump_second_term.yml"
VARY = ("forgetting,weight_costly,negativity_bias,weight_observed,perception_noise,"
        "cheap_talk_ratio,tie_growth,economic_speed,security_speed,wedge_pull,salience_steel,"
        "support_cut_severity")
REPLICATES = 10
TARGET_SECONDS, TARGET_BYTES = 90.0, 2 * 2**30


def sweep_command(out: Path, samples: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sim", "sweep", str(SCENARIO), "--method", "sobol",
            "--samples", str(samples), "--replicates", str(REPLICATES), "--vary", VARY,
            "--out", str(out), *extra]


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kB, the largest child so far
    return seconds, max(peak, before) * 1024


def one_model_per_point(folder: Path, sample: int) -> float:
    """Seconds to run ``sample`` points of the sweep's design one model (ensemble) each."""
    import pandas as pd

    from sim.engine.ensemble import run_ensemble
    from sim.scenario import load_scenario
    from sim.scenario.settings import apply_settings

    scenario = load_scenario(SCENARIO)
    experiments = pd.read_csv(folder / "experiments.csv").head(sample)
    started = time.perf_counter()
    for _, row in experiments.iterrows():
        point = apply_settings(scenario, {k: float(v) for k, v in row.items() if k != "point"})
        run_ensemble(point, replicates=REPLICATES, seed=scenario.seed)
    return time.perf_counter() - started


def outcomes(folder: Path):
    import pandas as pd

    return pd.read_parquet(folder / "outcomes.parquet")


def kill_and_resume(tmp: Path, samples: int) -> None:
    import pandas as pd

    killed, clean = tmp / "killed", tmp / "clean"
    command = sweep_command(killed, samples, "--chunk-runs", "500")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    while len(list(killed.glob("chunks/chunk-*.parquet"))) < 2:
        if process.poll() is not None:
            raise SystemExit("the sweep finished before it could be killed: raise --dask-samples")
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    on_disk = len(list(killed.glob("chunks/chunk-*.parquet")))
    chunks = json.loads((killed / "design.json").read_text())["chunks"]
    subprocess.run([sys.executable, "-m", "sim", "sweep", "--resume", str(killed)], check=True,
                   cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(sweep_command(clean, samples, "--chunk-runs", "500"), check=True, cwd=REPO,
                   env=env, stdout=subprocess.DEVNULL)
    same = pd.read_parquet(killed / "outcomes.parquet").equals(outcomes(clean))
    # the chunk in flight at the kill is the only work lost (the others were whole on disk)
    print(f"kill and resume: {on_disk} of {chunks} chunks on disk at the kill; the resume ran "
          f"{chunks - on_disk}; work lost: at most the 1 chunk in flight "
          f"({'PASS' if same else 'FAIL'}: outcomes {'identical' if same else 'DIFFER'} to an "
          "uninterrupted sweep)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1024, help="Saltelli base sample N")
    parser.add_argument("--sample", type=int, default=40,
                        help="points run one model per point, to extrapolate from")
    parser.add_argument("--dask-samples", type=int, default=64,
                        help="base sample N of the Dask and kill/resume sweeps")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; scenario {SCENARIO.name}, 12 parameters, "
          f"{REPLICATES} replicates per point\n")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        big = tmp / "big"
        seconds, peak = timed(sweep_command(big, args.samples))
        points = len(outcomes(big)["point"].unique())
        per_point = one_model_per_point(big, args.sample) / args.sample
        alone = per_point * points
        print(f"batched sweep: {points} points x {REPLICATES} replicates in {seconds:.1f} s, "
              f"peak RSS {peak / 2**20:.0f} MB "
              f"({'PASS' if seconds <= TARGET_SECONDS else 'MISS'} <= {TARGET_SECONDS:.0f} s; "
              f"{'PASS' if peak < TARGET_BYTES else 'MISS'} < 2 GB)")
        print(f"one model per point: {per_point * 1000:.1f} ms a point over {args.sample} "
              f"points -> EXTRAPOLATED {alone:.0f} s for {points}; batching is "
              f"{alone / seconds:.1f}x faster\n")

        serial, one, two = tmp / "serial", tmp / "one", tmp / "two"
        serial_s, _ = timed(sweep_command(serial, args.dask_samples))
        one_s, _ = timed(sweep_command(one, args.dask_samples, "--scheduler", "local",
                                       "--workers", "1"))
        two_s, _ = timed(sweep_command(two, args.dask_samples, "--scheduler", "local",
                                       "--workers", "2"))
        same = outcomes(one).equals(outcomes(two)) and outcomes(one).equals(outcomes(serial))
        print(f"Dask LocalCluster, {args.dask_samples * 14} points: 1 worker {one_s:.1f} s, "
              f"2 workers {two_s:.1f} s -> {one_s / two_s:.2f}x; in process {serial_s:.1f} s; "
              f"outcomes {'bit-identical' if same else 'DIFFER'} across all three\n")
        kill_and_resume(tmp, args.dask_samples)


if __name__ == "__main__":
    main()
