"""Compare scenarios run with common random numbers: levels, and paired per-replicate differences.

Every scenario runs with the same root seed and the same number of replicates, so replicate r of
each draws the same random numbers (:mod:`sim.engine.rng`: one named stream per mechanism and
per event).
Two scenarios then differ, replicate by replicate, only through their events, and the difference
``scenario - reference`` of replicate r is the effect of the events in which they differ, free of
sampling noise between the runs. The first scenario is the reference.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis import tables as results
from sim.analysis.outcomes import read, reading_in_words
from sim.engine.ensemble import Ensemble, Progress, run_ensemble
from sim.errors import UserError
from sim.measures import DYADIC, MEASURES
from sim.scenario import Scenario

# The end-of-run table: an ally's trust in the patron and where it stands, with units.
HEADLINE: dict[str, str] = {
    "trust_in_patron": "share trusting (0..1)",
    "alignment_economic": MEASURES["alignment_economic"],
    "alignment_security": MEASURES["alignment_security"],
    "hedging": MEASURES["hedging"],
    "defence_spending": MEASURES["defence_spending"],
}


@dataclass(frozen=True)
class Comparison:
    """Ensembles of several scenarios with one seed and size; the first is the reference."""

    ensembles: tuple[Ensemble, ...]
    labels: tuple[str, ...]  # unique names, one per scenario (a repeated name gets " (2)")

    @property
    def reference(self) -> Ensemble:
        return self.ensembles[0]

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        return tuple(e.scenario for e in self.ensembles)

    @property
    def seed(self) -> int:
        return self.reference.seed

    @property
    def replicates(self) -> int:
        return self.reference.replicates


def check_comparable(scenarios: Sequence[Scenario]) -> None:
    """Refuse scenarios whose months or actors do not line up (a :class:`UserError`)."""
    if len(scenarios) < 2:
        raise UserError("a comparison needs at least two scenarios", valid="two or more files")
    first = scenarios[0]
    for other in scenarios[1:]:
        for what, a, b in (("start", first.start, other.start),
                           ("horizon_months", first.horizon_months, other.horizon_months),
                           ("patron", first.patron, other.patron),
                           ("challenger", first.challenger, other.challenger)):
            if a != b:
                raise UserError(
                    f"scenarios '{first.name}' and '{other.name}' differ in {what} ({a} vs {b}); "
                    "a comparison pairs them month by month",
                    where=what, valid=f"the same {what} in every scenario compared")
        if set(first.actors) != set(other.actors):
            only = sorted(set(first.actors) ^ set(other.actors))
            raise UserError(
                f"scenarios '{first.name}' and '{other.name}' have different actors "
                f"(in one only: {', '.join(only)})", where="actors",
                valid="the same actors in every scenario compared")
        if list(first.actors) != list(other.actors):  # random draws are laid out by position
            raise UserError(
                f"scenarios '{first.name}' and '{other.name}' list the same actors in a different "
                f"order ({', '.join(first.actors)} vs {', '.join(other.actors)}), which would "
                "break the pairing of their random numbers", where="actors",
                valid="the same actors in the same order (add new actors after the shipped ones)")


def unique_labels(names: Sequence[str]) -> tuple[str, ...]:
    """Scenario names, with " (2)", " (3)" added to repeats so each labels one column."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return tuple(out)


def compare(scenarios: Sequence[Scenario], replicates: int | None = None,
            seed: int | None = None, workers: int = 1,
            progress: Progress | None = None) -> Comparison:
    """Run each scenario with the same seed and replicates (defaults: the first scenario's)."""
    check_comparable(scenarios)
    seed = int(scenarios[0].seed if seed is None else seed)
    replicates = int(scenarios[0].replicates if replicates is None else replicates)
    ensembles = tuple(run_ensemble(s, replicates=replicates, seed=seed, workers=workers,
                                   progress=progress) for s in scenarios)
    return Comparison(ensembles, unique_labels([s.name for s in scenarios]))


# --- tables -----------------------------------------------------------------------------------

def level_table(comparison: Comparison, measures: list[str] | None = None) -> pd.DataFrame:
    """Per scenario, month, actor (partner) and measure: median, 10-90% band and mean of the level
    (:func:`sim.analysis.tables.quantiles` of each ensemble, stacked)."""
    frames = [results.quantiles(e, measures).assign(scenario=label)
              for e, label in zip(comparison.ensembles, comparison.labels, strict=True)]
    return _scenario_first(pd.concat(frames, ignore_index=True))


def difference_table(comparison: Comparison, measures: list[str] | None = None) -> pd.DataFrame:
    """Per scenario after the first, month, actor (partner) and measure: median, 10-90% band and
    mean across replicates of the paired difference ``scenario - first``."""
    frames = []
    for ensemble, label in zip(comparison.ensembles[1:], comparison.labels[1:], strict=True):
        diff = paired_difference(ensemble, comparison.reference)
        frames.append(results.quantiles(diff, measures).assign(
            scenario=label, reference=comparison.labels[0]))
    return _scenario_first(pd.concat(frames, ignore_index=True))


def paired_difference(ensemble: Ensemble, reference: Ensemble) -> Ensemble:
    """An ensemble-shaped record whose measures are ``ensemble - reference``, replicate by
    replicate (in float64), with the reference's actor order; summarise it like any ensemble."""
    if ensemble.replicates != reference.replicates or ensemble.dates != reference.dates:
        raise ValueError("paired differences need the same replicates and months")
    order = [ensemble.index(code) for code in reference.codes]
    arrays = {}
    for name in (*MEASURES, *DYADIC):
        values = np.take(ensemble.arrays[name], order, axis=2)
        if name in DYADIC:
            values = np.take(values, order, axis=3)
        arrays[name] = values.astype(np.float64) - reference.arrays[name]
    return dataclasses.replace(reference, arrays=arrays)


def headline_series(ensemble: Ensemble, measure: str, actor: str) -> np.ndarray:
    """(R, T + 1) of a :data:`HEADLINE` measure (trust in the patron, or a per-state measure)."""
    if measure == "trust_in_patron":
        return ensemble.trust(actor, ensemble.scenario.patron).astype(np.float64)
    return ensemble.measure(measure, actor).astype(np.float64)


def differences_at(comparison: Comparison, at: str = "end") -> pd.DataFrame:
    """Per scenario after the first, ally or partner and :data:`HEADLINE` measure, read ``at``
    (an outcome reading of :mod:`sim.analysis.outcomes`: ``end``, ``YYYY-MM``, ``low``, ``loss``
    ...) in each replicate: the reference's and the scenario's median, and the paired
    difference's median, 10-90% band and share of replicates in which it is negative."""
    reference = comparison.reference
    dates = reference.dates
    read(at, np.zeros((1, len(dates))), dates)  # a month outside the run is refused up front
    rows = []
    for ensemble, label in zip(comparison.ensembles[1:], comparison.labels[1:], strict=True):
        for actor in reference.scenario.allies():
            for measure, unit in HEADLINE.items():
                base = read(at, headline_series(reference, measure, actor), dates)
                level = read(at, headline_series(ensemble, measure, actor), dates)
                diff = level - base
                p10, median, p90 = np.quantile(diff, [0.1, 0.5, 0.9])
                rows.append({
                    "scenario": label, "reference": comparison.labels[0], "at": at,
                    "actor": actor, "measure": measure,
                    "unit": unit, "reference_median": float(np.median(base)),
                    "scenario_median": float(np.median(level)), "difference_median": median,
                    "difference_p10": p10, "difference_p90": p90,
                    "share_negative": float(np.mean(diff < 0))})
    return pd.DataFrame(rows)


def format_differences(table: pd.DataFrame, names: dict[str, str] | None = None,
                       poles: tuple[str, str] = ("the challenger", "the patron")) -> str:
    """The :func:`differences_at` table as text, one line per actor and measure: the two medians,
    the paired difference's median and 10-90% band, and the share of replicates below zero."""
    names = names or {}
    lines = []
    for scenario, rows in table.groupby("scenario", sort=False):
        first = rows.iloc[0]
        ref = str(first["reference"])
        when = reading_in_words(first["at"])
        lines += [f"{scenario} (scenario) minus {ref} (reference), {when}: medians, and the "
                  "difference paired by replicate", ""]
        lines.append(f"{'actor':<14}{'measure':<20}{'reference':>14}{'scenario':>14}"
                     f"   {'difference: median [10%, 90%]':<34}{'share < 0':>9}")
        previous = None
        for _, r in rows.iterrows():
            actor = names.get(r["actor"], r["actor"]) if r["actor"] != previous else ""
            previous = r["actor"]
            level, diff = _formats(r["measure"], r["at"])
            band = (f"{diff(r['difference_median'])} [{diff(r['difference_p10'])}, "
                    f"{diff(r['difference_p90'])}]")
            lines.append(f"{actor:<14}{r['measure']:<20}{level(r['reference_median']):>14}"
                         f"{level(r['scenario_median']):>14}   {band:<34}"
                         f"{r['share_negative']:>9.0%}")
        lines.append("")
    lines.append("trust_in_patron: share trusting, differences in percentage points (pp); "
                 f"alignment: -1 {poles[0]} .. +1 {poles[1]}; hedging: 0..1; defence_spending: "
                 "% of GDP.")
    return "\n".join(lines)


def _formats(measure: str, at: str = "end"):
    """How a level and a difference of ``measure`` read ``at`` are written."""
    if at in ("low_month", "high_month", "loss"):  # months, or unit-months: not a level
        return (lambda v: f"{v:.1f}"), (lambda v: f"{v:+.1f}")
    if measure == "trust_in_patron":
        return (lambda v: f"{100 * v:.1f}%"), (lambda v: f"{100 * v:+.1f} pp")
    if measure == "defence_spending":
        return (lambda v: f"{v:.2f}%"), (lambda v: f"{v:+.3f}")
    return (lambda v: f"{v:+.3f}"), (lambda v: f"{v:+.3f}")


def _scenario_first(table: pd.DataFrame) -> pd.DataFrame:
    first = [c for c in ("scenario", "reference") if c in table.columns]
    return table[first + [c for c in table.columns if c not in first]]
