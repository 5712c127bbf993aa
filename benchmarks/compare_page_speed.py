"""How long does the Compare page (``/compare``) take from a change to the updated chart?

In-process, the work the page does on the server for each kind of change, with 200 replicates a
side (the page's default) on ``tariff_escalation`` against itself:

- a change that runs (B with one more event switched off, never seen before in the session):
  build B, run A and B with common random numbers, their level and difference tables, draw the
  figure, place the cursor and encode the PNG;
- the time cursor moved: place the cursor and encode the PNG (nothing runs);
- going back to settings seen before: the session's cache answers.

The browser adds the round trip and decoding the image (``tests/browser/test_compare.py`` prints
the whole change-to-chart time in chromium). Timings move by 30% or more when other work shares
the two cores: the load average and the CPU seconds are printed with them.

    python benchmarks/compare_page_speed.py [--repeats 5] [--replicates 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from sim.dashboard import comparison_figure as figure
from sim.dashboard.comparison_runs import ComparisonCache, Side


def timed(work) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def line(name: str, walls: list[float], cpus: list[float]) -> str:
    return (f"{name:<44} wall median {statistics.median(walls):5.2f} s, worst "
            f"{max(walls):5.2f} s; CPU median {statistics.median(cpus):5.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--replicates", type=int, default=200)
    args = parser.parse_args()
    cache = ComparisonCache()
    a = Side("tariff_escalation")
    events = [e.key for e in cache.source(a).events if e.event.probability is None]
    cache.compute((a, a, args.replicates))  # the page's first load (imports, A's scenario)
    changes: tuple[list[float], list[float]] = ([], [])
    cursor: tuple[list[float], list[float]] = ([], [])
    keys = []
    for k in range(args.repeats):
        b = Side("tariff_escalation", events_off=tuple(events[:k + 1]))
        keys.append((a, b, args.replicates))

        def change(key=keys[-1]):
            view = cache.compute(key)
            fig = figure.draw(view, "trust_in_patron", "JPN", None)
            return view, fig, figure.png(figure.place_cursor(fig, view, "trust_in_patron",
                                                             "JPN", 6))

        wall, cpu, (view, fig, _) = timed(change)
        changes[0].append(wall)
        changes[1].append(cpu)
        for month in (12, 24, 36):
            wall, cpu, _ = timed(lambda m=month, f=fig, v=view: figure.png(
                figure.place_cursor(f, v, "trust_in_patron", "JPN", m)))
            cursor[0].append(wall)
            cursor[1].append(cpu)
    hits = [timed(lambda key=key: cache.compute(key))[0] for key in keys]
    print(f"Compare page, {args.replicates} replicates a side, tariff_escalation against "
          f"itself; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(line("events off in B -> figure ready (runs)", *changes))
    print(line("time cursor moved -> figure ready (no run)", *cursor))
    print(f"{'settings seen before (cache)':<44} wall median {statistics.median(hits):.4f} s")
    print(f"runs in the session: {cache.runs} (one per new setting, none for the cursor)")


if __name__ == "__main__":
    main()
