"""A seminar group against one dashboard: N concurrent browser sessions on the Explore page.

Issue 10: 30 concurrent browser sessions against one server on this machine; every session
responsive (median and worst response time), server memory, no session sees another's state,
nothing lost. Each session is its own browser context (its own cookie, so its own Solara
session) in one headless chromium driven by Playwright's async API. In each session:

- **first chart**: from the start of the navigation to the page saying "Up to date" with its
  chart loaded (timed inside the browser: ``performance.now()`` counts from the navigation);
- **a slider moved**: one key press on a slider of its own with a key of its own (session i:
  slider i mod 10, key i div 10 of Right, Left, Shift+Right, ...), so every session asks for a
  (parameter, value) no other session asks for; timed inside the browser from the keydown to
  the status naming that parameter "Up to date" with the chart loaded (as
  ``dashboard_speed.py`` detects an updated chart), so Playwright's round trips do not count.

Two regimes, each against a fresh server: **at once** (all sessions open together, then all
press together: the worst case) and **staggered** (session i opens at i * S / N seconds and moves
its slider S seconds after it opened: a class arriving and following the lecturer).

Checks (the exit code is 1 if one fails): every session got its first chart and its answer;
at the end, when every session has acted, each one's status names exactly its own change, its
own slider shows its own value, its other sliders their starting values, and its headline is
the one this process computes for its own settings; no error in any page (JavaScript errors, an
error shown by the page) or in the server log.

Memory: RSS of the server (``python -m sim dashboard`` and its ``solara run`` child) summed from
/proc: before the first session, peak (sampled every 0.2 s), with all sessions open at the end,
and after the browser contexts are closed. CPU seconds of the server and of the browser (chromium
and Playwright's driver) are printed too: both share this machine's cores, which a class's
laptops would not.

    python benchmarks/dashboard_load.py [--sessions 30] [--stagger 30] [--quick]
                                        [--regimes at-once,staggered] [--keep-log DIR]

About 3-5 minutes for 30 sessions; --quick runs 4 sessions, staggered over 4 s (under a minute).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser.conftest import CHROMIUM_ARGS, Dashboard  # noqa: E402  (tests/ on the path)

SCENARIO = "trump_second_term"  # the Explore page's default
# Vuetify's slider keys: one step, three (Shift), two (Control), the ends; PageUp/PageDown last:
# on a slider of more than 100 steps they move by a tenth of the range, off the slider's grid
# (forgetting 0.923 -> 0.9375, which the label rounds to 0.938)
KEYS = ("ArrowRight", "ArrowLeft", "Shift+ArrowRight", "Shift+ArrowLeft", "Control+ArrowRight",
        "Control+ArrowLeft", "Home", "End", "PageUp", "PageDown")
CHART = "img.solara-image"
TIMEOUT = 300_000  # ms: an answer later than this counts as lost
LOG_PROBLEMS = re.compile(r"Traceback|\bERROR\b|Exception|error", re.IGNORECASE)
PAGE_PROBLEMS = ("Traceback", "the ensemble failed", "Error:")

# Installed before any page script: records when the first chart is on screen, and on request
# when the status first names a given parameter after the next keydown. Checked every 20 ms (a
# loaded image fires no DOM mutation); cheap next to the page's own work.
WATCH = """
(() => {
  const ready = (prefix) => {
    const s = document.querySelector('.status');
    const i = document.querySelector('CHART');
    return s && s.textContent.trim().startsWith(prefix) && i && i.src && i.complete;
  };
  const first = setInterval(() => {
    if (ready('Up to date')) { window.__firstChart = performance.now(); clearInterval(first); }
  }, 20);
  // no CSS animation (the "Updating" bar, ripples): 30 renderers drawing them in software on
  // this machine's two cores would take CPU from the server; a class's laptops draw their own
  document.addEventListener('DOMContentLoaded', () => {
    const style = document.createElement('style');
    style.textContent = '*, *::before, *::after { animation: none !important; '
                        + 'transition: none !important; }';
    document.head.appendChild(style);
  });
  window.__watch = (prefix) => {
    window.__answer = undefined;
    let pressed;
    document.addEventListener('keydown', () => { pressed = performance.now(); },
                              {capture: true, once: true});
    const check = setInterval(() => {
      if (pressed !== undefined && ready(prefix)) {
        clearInterval(check);
        window.__answer = {ms: performance.now() - pressed,
                           status: document.querySelector('.status').textContent};
      }
    }, 20);
  };
})();
""".replace("CHART", CHART)


@dataclass
class Session:
    index: int
    slider: int
    key: str
    name: str = ""  # the slider's parameter
    first: float | None = None  # seconds, in the browser, navigation -> first chart
    first_wall: float | None = None  # seconds, in this process, goto -> first chart seen
    answer: float | None = None  # seconds, in the browser, keydown -> own answer
    answer_wall: float | None = None  # seconds, in this process, press -> answer seen
    start_values: list[float] = field(default_factory=list)
    value: float | None = None  # own slider's value after the press (the browser's)
    status: str = ""  # read back at the end
    values: list[float] = field(default_factory=list)  # every slider, read back at the end
    headline: str = ""
    errors: list[str] = field(default_factory=list)


class ServerWatch:
    """RSS (summed over the server's process tree, from /proc) sampled every ``period`` s."""

    def __init__(self, pid: int, period: float = 0.2):
        self.pid, self.period, self.peak = pid, period, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ServerWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self.peak = max(self.peak, rss(tree(self.pid)))


def children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                text = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(text.rsplit(")", 1)[1].split()[1])
            kids.setdefault(parent, []).append(int(entry))
    return kids


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    kids, found, todo = children(), [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(kids.get(p, []))
    return found


def rss(pids: list[int]) -> int:
    """Bytes of resident memory of ``pids`` (VmRSS; a process gone meanwhile counts 0)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def cpu(pids: list[int]) -> float:
    """CPU seconds (user + system, including waited-for children) of ``pids``."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15]) / tick
    return total


def mb(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


async def open_session(browser, url: str, s: Session):
    context = await browser.new_context(viewport={"width": 1600, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.on("pageerror", lambda exc: s.errors.append(f"page error: {exc}"))
    page.on("console", lambda m: s.errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    await page.add_init_script(WATCH)
    started = time.perf_counter()
    await page.goto(url + "/")
    try:
        await page.wait_for_function("() => window.__firstChart !== undefined", polling=100,
                                     timeout=TIMEOUT)
    except Exception as exc:  # noqa: BLE001  (a lost session is a figure, not a crash)
        s.errors.append(f"no first chart: {exc.__class__.__name__}")
        return context, page
    s.first_wall = time.perf_counter() - started
    s.first = await page.evaluate("window.__firstChart") / 1000
    sliders = page.get_by_role("slider")
    s.start_values = [float(v) for v in await sliders.evaluate_all(
        "(all) => all.map(e => e.getAttribute('aria-valuenow'))")]
    s.slider %= len(s.start_values)
    label = await sliders.nth(s.slider).get_attribute("aria-label")
    s.name = label.split(" ", 1)[0]
    await sliders.nth(s.slider).focus()
    return context, page


async def move_slider(page, s: Session) -> None:
    if s.first is None:
        return
    await page.evaluate("(p) => window.__watch(p)", f"Up to date; changed: {s.name} = ")
    started = time.perf_counter()
    await page.keyboard.press(s.key)
    try:
        await page.wait_for_function("() => window.__answer !== undefined", polling=50,
                                     timeout=TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        s.errors.append(f"no answer to the slider: {exc.__class__.__name__}")
        return
    s.answer_wall = time.perf_counter() - started
    s.answer = (await page.evaluate("window.__answer.ms")) / 1000
    s.value = float(await page.get_by_role("slider").nth(s.slider)
                    .get_attribute("aria-valuenow"))


async def read_back(page, s: Session) -> None:
    """What the page shows once every session has acted."""
    if s.first is None:
        return
    s.status = await page.locator(".status").inner_text()
    s.values = [float(v) for v in await page.get_by_role("slider").evaluate_all(
        "(all) => all.map(e => e.getAttribute('aria-valuenow'))")]
    s.headline = await page.locator(".headline").inner_text()
    text = await page.locator("body").inner_text()
    s.errors += [f"page shows {p!r}" for p in PAGE_PROBLEMS if p in text]


async def regime(browser, url: str, sessions: list[Session], stagger: float) -> list:
    """Open, move and read back every session; ``stagger`` 0 means all at once."""
    n = len(sessions)
    if stagger == 0:
        opened = await asyncio.gather(*(open_session(browser, url, s) for s in sessions))
        await asyncio.gather(*(move_slider(page, s)
                               for (_, page), s in zip(opened, sessions, strict=True)))
    else:
        began = time.perf_counter()

        async def one(s: Session):
            await asyncio.sleep(max(0.0, began + s.index * stagger / n - time.perf_counter()))
            context, page = await open_session(browser, url, s)
            opened_at = began + s.index * stagger / n
            await asyncio.sleep(max(0.0, opened_at + stagger - time.perf_counter()))
            await move_slider(page, s)
            return context, page

        opened = await asyncio.gather(*(one(s) for s in sessions))
    await asyncio.gather(*(read_back(page, s)
                           for (_, page), s in zip(opened, sessions, strict=True)))
    return opened


def expected_headlines(sessions: list[Session]) -> dict[int, str]:
    """The headline each session should show for its own settings, computed here."""
    from sim.dashboard.explore import focus_actor, headline
    from sim.dashboard.parameters import parameter_specs
    from sim.dashboard.scenarios import load_source, shipped_source
    from sim.dashboard.session import Settings, settle
    from sim.engine.ensemble import run_ensemble

    base = load_source(shipped_source(SCENARIO))
    specs = {spec.name: spec for spec in parameter_specs()}
    found = {}
    for s in sessions:
        if s.value is None:
            continue
        settled = settle(base, Settings.of(base).with_parameter(
            s.name, specs[s.name].clamped(s.value)))
        found[s.index] = headline(run_ensemble(settled), focus_actor(settled, ""))
    return found


def judge(sessions: list[Session], log: str) -> list[str]:
    """Every failed check, in words."""
    problems = []
    headlines = expected_headlines(sessions)
    pairs = [(s.name, s.value) for s in sessions if s.value is not None]
    if len(set(pairs)) != len(pairs):
        problems.append(f"two sessions asked for the same value (the check is blind there): "
                        f"{sorted(pairs)}")
    for s in sessions:
        who = f"session {s.index} ({s.name} {s.key})"
        if s.first is None or s.answer is None or s.value is None:
            what = "no first chart" if s.first is None else "the slider got no answer"
            problems.append(f"{who}: {what} ({'; '.join(s.errors) or 'no error seen'})")
            continue
        match = re.fullmatch(r"Up to date; changed: (\w+) = ([-+.\deE]+)", s.status.strip())
        if not match or match[1] != s.name or abs(float(match[2]) - s.value) > 1e-6 * max(
                1, abs(s.value)):
            problems.append(f"{who}: its status reads {s.status!r}, its own value is "
                            f"{s.name} = {s.value}")
        others = [k for k, (v, w) in enumerate(zip(s.values, s.start_values, strict=True))
                  if k != s.slider and v != w]
        if len(s.values) != len(s.start_values) or others or s.values[s.slider] != s.value:
            problems.append(f"{who}: sliders read back {s.values}, started {s.start_values}")
        if s.headline != headlines.get(s.index):
            problems.append(f"{who}: headline {s.headline!r}, its own settings give "
                            f"{headlines.get(s.index)!r}")
        problems += [f"{who}: {e}" for e in s.errors]
    bad = [line for line in log.splitlines() if LOG_PROBLEMS.search(line)]
    if bad:
        problems.append("server log: " + " | ".join(bad[:10]))
    return problems


def spread(values: list[float]) -> str:
    if not values:
        return "none"
    return (f"median {statistics.median(values):5.2f} s, worst {max(values):5.2f} s, "
            f"best {min(values):5.2f} s")


def chromium_at(priority: str, folder: Path) -> str:
    """The chromium to launch: the system's, under SCHED_IDLE (``chrt --idle 0``) for "idle".

    Not ``nice``: chromium run as root sets its own processes' niceness (-8 for the browser
    and GPU processes, 0 for renderers), undoing it; the scheduling policy is inherited."""
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if priority == "normal":
        return path
    wrapper = folder / "chromium"
    wrapper.write_text(f'#!/bin/sh\nexec chrt --idle 0 {path} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


def others(server: int) -> list[int]:
    """This process's descendants outside the server: Playwright's driver and chromium."""
    inside, me = set(tree(server)), os.getpid()
    return [p for p in tree(me) if p != me and p not in inside]


async def run_regime(name: str, n: int, stagger: float, folder: Path, args) -> tuple[list[str],
                                                                                     dict]:
    from playwright.async_api import async_playwright

    log = folder / f"server-{name}.log"
    server = Dashboard(games=folder / f"games-{name}", log=log).start()
    sessions = [Session(i, slider=i % 10, key=KEYS[(i // 10) % len(KEYS)]) for i in range(n)]
    figures: dict = {}
    spy = None
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_at(args.browser,
                                                                          folder),
                                              headless=True, args=CHROMIUM_ARGS)
            # the lecturer opened the page before the class came in: imports, fonts and the
            # first ensemble are warm (that session stays open, as the lecturer's would)
            warm = Session(-1, slider=0, key="")
            await open_session(browser, server.url, warm)
            figures["warm-up"] = warm.first
            await asyncio.sleep(2)
            pids = tree(server.process.pid)
            figures["rss before"] = rss(pids)
            server_cpu, browser_cpu = cpu(pids), cpu(others(server.process.pid))
            if args.py_spy:
                args.py_spy.mkdir(parents=True, exist_ok=True)
                solara = max(pids)  # the `solara run` child of `python -m sim dashboard`
                spy = subprocess.Popen(["py-spy", "record", "--pid", str(solara), "--rate",
                                        "50", "--nonblocking", "--format", "raw", "--output",
                                        str(args.py_spy / f"{name}.txt")],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            began = time.perf_counter()
            with ServerWatch(server.process.pid) as watch:
                opened = await regime(browser, server.url, sessions, stagger)
                figures["wall"] = time.perf_counter() - began
                pids = tree(server.process.pid)
                figures["rss open"] = rss(pids)
                figures["server cpu"] = cpu(pids) - server_cpu
                figures["browser cpu"] = cpu(others(server.process.pid)) - browser_cpu
                figures["browser rss"] = rss(others(server.process.pid))
                figures["load"] = os.getloadavg()
                if spy is not None:
                    spy.send_signal(signal.SIGINT)  # py-spy writes its profile and exits
                    spy.wait(timeout=60)
                for context, _ in opened:
                    await context.close()
                await browser.close()
                figures["rss peak"] = watch.peak
            time.sleep(args.after)
            figures["rss after"] = rss(tree(server.process.pid))
    finally:
        if spy is not None and spy.poll() is None:
            spy.kill()
        server.stop()
    problems = judge(sessions, log.read_text(errors="replace"))
    figures["sessions"], figures["after"] = sessions, args.after
    return problems, figures


def report(name: str, n: int, stagger: float, problems: list[str], f: dict) -> None:
    sessions = f["sessions"]
    firsts = [s.first for s in sessions if s.first is not None]
    answers = [s.answer for s in sessions if s.answer is not None]
    walls = [s.answer_wall for s in sessions if s.answer_wall is not None]
    how = "all at once" if stagger == 0 else f"staggered over {stagger:g} s"
    print(f"\n== {name}: {n} sessions, {how}; load average at the end "
          f"{' '.join(f'{x:.1f}' for x in f['load'])}; {f['wall']:.0f} s in all")
    print(f"first chart (navigation -> chart, in the browser), {len(firsts)} of {n}: "
          f"{spread(firsts)}")
    print(f"slider -> own answer (keydown -> status and chart, in the browser), {len(answers)} "
          f"of {n}: {spread(answers)}")
    print(f"  the same seen from Playwright (press -> seen): {spread(walls)}")
    open_ = f["rss open"] - f["rss before"]
    print(f"the lecturer's page (opened first, alone; stays open): first chart "
          f"{f['warm-up'] or float('nan'):.2f} s")
    print(f"server RSS: before {mb(f['rss before'])}, peak {mb(f['rss peak'])}, with all "
          f"{n} open {mb(f['rss open'])}, {f['after']:g} s after closing them "
          f"{mb(f['rss after'])}; "
          f"per session {mb(open_ / n)}")
    print(f"CPU seconds: server {f['server cpu']:.0f}, browser and driver "
          f"{f['browser cpu']:.0f} (browser RSS {mb(f['browser rss'])})")
    worst = sorted(sessions, key=lambda s: -(s.answer or 1e9))[:3]
    print("slowest answers: " + ", ".join(
        f"#{s.index} {s.name} {s.key} {s.answer if s.answer is None else round(s.answer, 2)}"
        for s in worst))
    if problems:
        print(f"FAILED checks ({len(problems)}):")
        for p in problems:
            print("  " + p)
    else:
        print(f"checks: all {n} sessions got their first chart and their answer; each reads "
              "back its own value, its own sliders and its own headline; no error in the "
              "pages or the server log")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--stagger", type=float, default=30.0,
                        help="seconds over which the staggered regime's sessions arrive")
    parser.add_argument("--regimes", default="at-once,staggered")
    parser.add_argument("--quick", action="store_true", help="4 sessions, staggered over 4 s")
    parser.add_argument("--keep-log", type=Path, help="copy the server logs here")
    parser.add_argument("--browser", choices=("idle", "normal"), default="idle",
                        help="chromium's CPU priority: idle (default: it runs when the server "
                             "does not, as if the browsers were the students' laptops) or "
                             "normal (it competes with the server for the two cores)")
    parser.add_argument("--after", type=float, default=10.0,
                        help="seconds after closing the sessions to read the server's RSS")
    parser.add_argument("--py-spy", type=Path, metavar="DIR",
                        help="record the server's CPU profile per regime (py-spy, raw "
                             "collapsed stacks) into DIR")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.stagger = 4, 4.0
    if not 1 <= args.sessions <= 10 * len(KEYS):
        parser.error(f"--sessions: 1 to {10 * len(KEYS)}")
    print(f"dashboard_load: {args.sessions} browser sessions on the Explore page ({SCENARIO}, "
          f"200 replicates); {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for name in args.regimes.split(","):
            stagger = 0.0 if name == "at-once" else args.stagger
            problems, figures = asyncio.run(run_regime(name, args.sessions, stagger,
                                                       Path(folder), args))
            report(name, args.sessions, stagger, problems, figures)
            failed |= bool(problems)
            if args.keep_log:
                args.keep_log.mkdir(parents=True, exist_ok=True)
                (args.keep_log / f"server-{name}.log").write_bytes(
                    (Path(folder) / f"server-{name}.log").read_bytes())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
