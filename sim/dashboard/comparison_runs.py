"""The Compare page's numbers, without the page: two sides (a scenario and what is changed in it),
run with common random numbers, summarised as the level and difference tables of
:mod:`sim.analysis.compare`, and read at one month (the page's time cursor).

A side is plain, hashable data (:class:`Side`), so a comparison is cached per settings. Each
side's scenario is built as the YAML the page offers for download and loaded back from it, so
``python -m sim compare A.yml B.yml`` on the downloaded files reproduces the page's numbers by
construction (and a test checks it).
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from sim.analysis import compare
from sim.dashboard import scenarios
from sim.errors import UserError, problems
from sim.measures import MEASURES
from sim.scenario import Scenario, check_size, load_scenario
from sim.scenario.settings import apply_settings

# What a lecturer can read, per actor: (title, unit). Trust is the ally's trust in the patron.
SHOWN: dict[str, tuple[str, str]] = {
    "trust_in_patron": ("trust in the patron", "share trusting"),
    "alignment_economic": ("economic alignment", MEASURES["alignment_economic"]),
    "alignment_security": ("security alignment", MEASURES["alignment_security"]),
    "hedging": ("hedging", MEASURES["hedging"]),
    "defence_spending": ("defence spending", MEASURES["defence_spending"]),
    "abandonment_fear": ("fear of abandonment", MEASURES["abandonment_fear"]),
    "entrapment_fear": ("fear of entrapment", MEASURES["entrapment_fear"]),
    "threat": ("threat perceived", MEASURES["threat"]),
    "alliance_support": ("public support for the alliance", MEASURES["alliance_support"]),
}
REPLICATE_CHOICES = (50, 100, 200, 500)
MAX_NAME = 60  # characters of a scenario's name in a label (a card, the figure's panel title)
CACHED_COMPARISONS = 8  # per session; a comparison's tables take about 5 MB


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a shipped scenario (``source`` its name) or an uploaded file
    (``text`` its content, ``source`` its file name), with events switched off (by key) and
    parameters moved (name, value)."""

    source: str
    text: str | None = None
    events_off: tuple[str, ...] = ()
    settings: tuple[tuple[str, float], ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.events_off or self.settings)


@dataclass(frozen=True)
class ComparisonView:
    """What the page shows and offers for download: A and B as run, their level and difference
    tables, and the YAML of each that reproduces them."""

    scenarios: tuple[Scenario, Scenario]
    labels: tuple[str, str]
    levels: pd.DataFrame
    differences: pd.DataFrame
    yaml_texts: tuple[str, str]
    seconds: float  # running and summarising both ensembles

    @property
    def months(self) -> int:
        return self.scenarios[0].horizon_months


# --- building a side's scenario ----------------------------------------------------------------

def load_source(side: Side) -> Scenario:
    """The scenario a side starts from, before its changes: a shipped one, or an uploaded file
    read as :func:`sim.dashboard.scenarios.load_source` reads it (``extends: baseline.yml``
    works; a bad file raises a :class:`UserError` naming the file as uploaded)."""
    if side.text is None:
        if side.source not in scenarios.shipped_names():
            raise UserError(f"no shipped scenario called '{side.source}'",
                            valid=", ".join(scenarios.shipped_names()))
        return scenarios.load_source(scenarios.shipped_source(side.source))
    return scenarios.load_source(scenarios.Source(side.source, side.text))


def error_text(source: str, exc: UserError) -> str:
    """A failed scenario as ``python -m sim validate`` reports it: a count, then each problem."""
    found = problems(exc)
    return f"{source}: {len(found)} problem{'s' if len(found) > 1 else ''}\n" + \
        scenarios.message(exc)


def side_scenario(side: Side, seed: int | None = None, replicates: int | None = None,
                  source: Scenario | None = None) -> tuple[Scenario, str]:
    """The side's scenario as it will run, and its YAML (which loads back to the same; a test
    runs both). ``source``: the side's :func:`load_source`, if already loaded."""
    scenario = load_source(side) if source is None else source
    if side.settings:
        scenario = apply_settings(scenario, dict(side.settings), origin="slider")
    if side.events_off:
        unknown = sorted(set(side.events_off) - {e.key for e in scenario.events})
        if unknown:
            raise UserError(f"no event called {', '.join(map(repr, unknown))} in "
                            f"'{scenario.name}'", valid="an event of the scenario")
        scenario = scenario.model_copy(update={
            "events": [e for e in scenario.events if e.key not in side.events_off]})
    scenario = scenario.model_copy(update={
        "name": _changed_name(scenario.name, side), "description": _described(scenario, side),
        "seed": scenario.seed if seed is None else int(seed),
        "replicates": scenario.replicates if replicates is None else int(replicates)})
    text = yaml.safe_dump(scenario.as_dict(), sort_keys=False, allow_unicode=True)
    if any("#" in e.key for e in scenario.events):
        # events that share a name get keys '#2', '#3' (their random streams) from their order,
        # which switching one off changes: only loading the YAML again gives the right ones
        return _load_text(text, f"{scenario.name}.yml"), text
    return scenario.model_copy(update={"files": [f"{scenario.name}.yml"]}), text


def _changed_name(name: str, side: Side) -> str:
    """A short label: "trump_second_term (2 events off, 1 parameter)"; which events and values
    are in :func:`side_details` (shown below the label) and the scenario's description."""
    parts = []
    if side.events_off:
        n = len(side.events_off)
        parts.append(f"{n} event{'s' if n > 1 else ''} off")
    if side.settings:
        n = len(side.settings)
        parts.append(f"{n} parameter{'s' if n > 1 else ''}")
    return f"{name[:MAX_NAME]} ({', '.join(parts)})" if parts else name[:MAX_NAME]


def side_details(side: Side) -> str:
    """What a side changes, in full: "off: steel tariffs; auto tariffs. negativity_bias =
    1.99"; "" for a scenario as written."""
    lines = []
    if side.events_off:
        lines.append("off: " + "; ".join(side.events_off))
    if side.settings:
        lines.append(", ".join(f"{k} = {v:g}" for k, v in side.settings))
    return ". ".join(lines)


def _described(scenario: Scenario, side: Side) -> str:
    lines = [scenario.description.strip()]
    if side.events_off:
        lines.append("Switched off in the dashboard: " + "; ".join(side.events_off) + ".")
    if side.settings:
        lines.append("Set in the dashboard: "
                     + ", ".join(f"{k} = {v:g}" for k, v in side.settings) + ".")
    return "\n".join(line for line in lines if line)


def _load_text(text: str, name: str) -> Scenario:
    with tempfile.TemporaryDirectory(prefix="alliance-sim-side-") as folder:
        path = Path(folder) / "scenario.yml"
        path.write_text(text, encoding="utf-8")
        scenario = load_scenario(path)
    return scenario.model_copy(update={"files": [name]})


# --- running and reading -----------------------------------------------------------------------

SideBuilder = Callable[..., tuple[Scenario, str]]
TABLED = [*MEASURES, "trust"]  # the per-pair ties are not shown, and would double the tables


def run_comparison(a: Side, b: Side, replicates: int,
                   build: SideBuilder = side_scenario) -> ComparisonView:
    """Both sides with A's seed and ``replicates`` each (common random numbers): their level and
    paired difference tables. Raises a :class:`UserError` for a bad side or a pair that does not
    line up month by month."""
    started = time.perf_counter()
    first, yaml_a = build(a, None, replicates)
    second, yaml_b = build(b, first.seed, replicates)
    compare.check_comparable([first, second])
    for s in (first, second):
        check_size(s)
    result = compare.compare([first, second])
    return ComparisonView(
        scenarios=(first, second), labels=(result.labels[0], result.labels[1]),
        levels=compare.level_table(result, TABLED),
        differences=compare.difference_table(result, TABLED),
        yaml_texts=(yaml_a, yaml_b), seconds=time.perf_counter() - started)


@dataclass
class ComparisonCache:
    """A session's comparisons by settings, and its sides' scenarios (least recently used
    dropped first): changing B alone builds only B again. ``runs`` counts the comparisons
    actually run, so a test can tell a cache hit from a rerun."""

    size: int = CACHED_COMPARISONS
    runs: int = 0
    entries: OrderedDict = field(default_factory=OrderedDict)
    sides: OrderedDict = field(default_factory=OrderedDict)
    sources: OrderedDict = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # worker threads

    def source(self, side: Side) -> Scenario:
        """The scenario a side starts from (:func:`load_source`), loaded once per session."""
        key = (side.source, side.text)
        with self.lock:
            found = self.sources.get(key)
        if found is None:
            found = load_source(side)
        with self.lock:
            self.sources[key] = found
            while len(self.sources) > 2 * self.size:
                self.sources.popitem(last=False)
        return found

    def side(self, side: Side, seed: int | None, replicates: int) -> tuple[Scenario, str]:
        key = (side, seed, replicates)
        with self.lock:
            found = self.sides.get(key)
        if found is None:
            found = side_scenario(side, seed, replicates, self.source(side))
        with self.lock:
            self.sides[key] = found
            while len(self.sides) > 2 * self.size:
                self.sides.popitem(last=False)
        return found

    def get(self, key: tuple[Side, Side, int]) -> ComparisonView | None:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        return None

    def compute(self, key: tuple[Side, Side, int]) -> ComparisonView:
        found = self.get(key)
        if found is not None:
            return found
        view = run_comparison(*key, build=self.side)
        with self.lock:
            self.runs += 1
            self.entries[key] = view
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return view


def series(table: pd.DataFrame, label: str, measure: str, actor: str,
           scenario: Scenario) -> pd.DataFrame:
    """One side's (or the difference's) rows of a :data:`SHOWN` measure for one actor, by month."""
    name, partner = (("trust", scenario.patron) if measure == "trust_in_patron"
                     else (measure, ""))
    rows = table[(table["scenario"] == label) & (table["measure"] == name)
                 & (table["actor"] == actor) & (table["partner"] == partner)]
    if rows.empty:
        raise KeyError(f"no {measure!r} rows for {actor!r} in {label!r}")
    return rows.sort_values("month").reset_index(drop=True)


def values_at(view: ComparisonView, measure: str, actor: str, month: int) -> dict[str, dict]:
    """At the cursor: A's and B's median and 10-90% band, and the paired difference B - A's."""
    a, b = view.scenarios
    out = {}
    for key, table, label in (("A", view.levels, view.labels[0]),
                              ("B", view.levels, view.labels[1]),
                              ("B-A", view.differences, view.labels[1])):
        row = series(table, label, measure, actor, a).iloc[month]
        out[key] = {k: float(row[k]) for k in ("p10", "median", "p90")}
    out["date"] = a.month_date(month)
    return out


def largest_difference_month(view: ComparisonView, measure: str, actor: str) -> int:
    """The month at which the median paired difference is furthest from zero (first if tied)."""
    rows = series(view.differences, view.labels[1], measure, actor, view.scenarios[0])
    return int(rows["median"].abs().idxmax())


def format_level(measure: str, value: float) -> str:
    if measure in ("trust_in_patron", "alliance_support"):
        return f"{100 * value:.1f}%"
    if measure == "defence_spending":
        return f"{value:.2f}% of GDP"
    if measure.startswith("alignment"):
        return f"{value:+.3f}"
    return f"{value:.3f}"


def format_difference(measure: str, value: float) -> str:
    if value == 0:
        return "0 (identical)"
    if measure in ("trust_in_patron", "alliance_support"):
        return f"{100 * value:+.1f} pp"
    if measure == "defence_spending":
        return f"{value:+.3f} pp of GDP"
    return f"{value:+.3f}"
