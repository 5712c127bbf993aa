"""Which event cost how much trust: counterfactual runs without each event, paired by replicate.

Every run uses the scenario's seed, so replicate r of each counterfactual draws the same random
numbers (:mod:`sim.engine.rng`; common random numbers): a difference between two runs of replicate
r is caused by the events in which they differ, not by noise. Effects are therefore paired,
computed replicate by replicate, then summarised as a median and 10-90% band across replicates (and
a mean).

**What is attributed.** Dated events only. Stochastic events (those with a ``probability``, e.g.
the background risk of a Taiwan Strait crisis) are background: they stay in every run, fire in the
same months in every run, and are listed as not attributed.

**Interactions, explicitly.** With F the full scenario, F-e the scenario without event e, and 0 the
scenario without any dated event (background only), per replicate:

* the *leave-one-out effect* of e is ``F - (F-e)``: what e adds given every other event;
* the *total effect* is ``F - 0``;
* the *interaction* is ``total - sum_e leave-one-out(e)``. It is zero when the events' effects
  add up; it is not zero when they reinforce each other (positive for a shared gain) or overlap,
  e.g. when trust saturates or a second shock hits trust that the first has already lowered.

So ``sum of leave-one-out + interaction = total`` holds exactly, replicate by replicate, and for the
means. Medians do not add; the waterfall chart therefore draws means (with 10-90% whiskers).

Optionally (:func:`shapley`), Shapley values share the total among the events, interactions
included, by averaging each event's marginal effect over orders in which the events are added:
exactly over all subsets (up to :data:`MAX_EXACT_SHAPLEY` events) or over sampled orders.

**When.** Each effect is reported at the final month and at its *peak*: the month in which the
median of the paired effect is largest in magnitude (trust recovers after a shock, so the final
month understates what an event cost on the way).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from sim.analysis.compare import headline_series
from sim.analysis.outcomes import month_index, read, reading_in_words
from sim.engine.ensemble import Progress, run_ensemble
from sim.engine.rng import stream_id
from sim.errors import UserError
from sim.scenario import Scenario, TimedEvent

OUTCOMES = ("trust_in_patron", "alignment_economic", "alignment_security")
MAX_EXACT_SHAPLEY = 8  # 2**8 = 256 runs; beyond that, sample orders
MAX_ORDERS = 10_000  # sampled orders are kept in memory; the error shrinks as 1/sqrt(orders)
INTERACTION = "interaction"
TOTAL = "total (all dated events)"
LOO_SUM = "sum of leave-one-out"


@dataclass(frozen=True)
class Attribution:
    """Outcomes of the full scenario, of the scenario without each dated event, and of the
    scenario without any; each array is ``(R, T + 1, actors, OUTCOMES)``."""

    scenario: Scenario
    actors: tuple[str, ...]
    attributed: tuple[TimedEvent, ...]  # dated events, by month
    background: tuple[TimedEvent, ...]  # stochastic events: kept in every run, not attributed
    full: np.ndarray
    none: np.ndarray
    without: dict[str, np.ndarray] = field(repr=False)

    @property
    def runs(self) -> int:
        return len(self.attributed) + 2


def split_events(scenario: Scenario) -> tuple[tuple[TimedEvent, ...], tuple[TimedEvent, ...]]:
    """(dated events by date, stochastic background events)."""
    dated = [e for e in scenario.events if e.event.probability is None]
    background = [e for e in scenario.events if e.event.probability is not None]
    return tuple(sorted(dated, key=lambda e: event_date(e, scenario))), tuple(background)


def outcomes(scenario: Scenario, keys: Iterable[str], actors: Sequence[str], replicates: int,
             seed: int, workers: int = 1, progress: Progress | None = None) -> np.ndarray:
    """Run ``scenario`` with its background events and only the dated events named in ``keys``;
    return ``(R, T + 1, actors, OUTCOMES)``."""
    keys = set(keys)
    events = [e for e in scenario.events if e.event.probability is not None or e.key in keys]
    variant = scenario.model_copy(update={"events": events})
    ensemble = run_ensemble(variant, replicates=replicates, seed=seed, workers=workers,
                            progress=progress)
    return np.stack([np.stack([headline_series(ensemble, m, a) for m in OUTCOMES], axis=-1)
                     for a in actors], axis=-2)


def attribute(scenario: Scenario, replicates: int | None = None, seed: int | None = None,
              actors: Sequence[str] | None = None, workers: int = 1,
              progress: Progress | None = None) -> Attribution:
    """Run the full scenario, the scenario without each dated event, and without all of them."""
    seed = int(scenario.seed if seed is None else seed)
    replicates = int(scenario.replicates if replicates is None else replicates)
    actors = tuple(actors or scenario.allies())
    attributed, background = split_events(scenario)
    if not attributed:
        raise UserError(f"scenario '{scenario.name}' has no dated events to attribute "
                        f"(only {len(background)} stochastic background events)",
                        where="events", valid="a scenario with dated events (date: or month:)")
    keys = [e.key for e in attributed]
    taken = sorted(set(keys) & {LOO_SUM, INTERACTION, TOTAL})
    if taken:
        raise UserError(f"an event is named '{taken[0]}', which attribution uses for its own rows",
                        where="events", valid="another name for that event")
    run = dict(scenario=scenario, actors=actors, replicates=replicates, seed=seed,
               workers=workers, progress=progress)
    full = outcomes(keys=keys, **run)
    without = {k: outcomes(keys=[x for x in keys if x != k], **run) for k in keys}
    none = outcomes(keys=[], **run)
    return Attribution(scenario.model_copy(update={"seed": seed, "replicates": replicates}),
                       actors, attributed, background, full, none, without)


def event_date(timed: TimedEvent, scenario: Scenario):
    """The event's own date, or the first day of its month when it is given as a month."""
    return timed.event.date or scenario.month_date(timed.first_month)


def effects(attribution: Attribution) -> dict[str, np.ndarray]:
    """Per replicate, ``(R, T + 1, actors, OUTCOMES)``: each event's leave-one-out effect (by
    key), their sum, the interaction and the total."""
    loo = {k: attribution.full - w for k, w in attribution.without.items()}
    loo_sum = np.sum(list(loo.values()), axis=0)
    total = attribution.full - attribution.none
    return {**loo, LOO_SUM: loo_sum, INTERACTION: total - loo_sum, TOTAL: total}


def _kind(component: str, attribution: Attribution) -> str:
    if component in attribution.without:
        return "leave-one-out"
    return {LOO_SUM: "sum", INTERACTION: "interaction", TOTAL: "total"}[component]


def peak_month(effect: np.ndarray) -> np.ndarray:
    """Per actor and outcome of ``(R, T + 1, A, M)``: the month whose median effect is largest in
    magnitude (the first such month; month 0 if the effect is zero throughout)."""
    return np.argmax(np.abs(np.median(effect, axis=0)), axis=0)


def effects_read(attribution: Attribution, at: str) -> dict[str, np.ndarray]:
    """Like :func:`effects`, but of each run's series read ``at`` (an outcome reading such as
    ``low``, ``2025-07`` or ``loss``), ``(R, actors, OUTCOMES)``: the effect of an event on the
    low point is the full run's low minus the low without the event."""
    dates = [attribution.scenario.month_date(t)
             for t in range(attribution.scenario.horizon_months + 1)]

    def reading(series: np.ndarray) -> np.ndarray:  # (R, T + 1, A, M) -> (R, A, M)
        r, t, a, m = series.shape
        flat = np.moveaxis(series, 1, -1).reshape(r * a * m, t)
        return read(at, flat, dates).reshape(r, a, m)

    full = reading(attribution.full)
    loo = {k: full - reading(w) for k, w in attribution.without.items()}
    loo_sum = np.sum(list(loo.values()), axis=0)
    total = full - reading(attribution.none)
    return {**loo, LOO_SUM: loo_sum, INTERACTION: total - loo_sum, TOTAL: total}


def attribution_table(attribution: Attribution, at: str = "end") -> pd.DataFrame:
    """One row per component (event, sum, interaction, total), actor, outcome and ``at``: the
    reading ``at`` (``end`` by default; labelled ``final``) and the component's peak month:
    median, 10-90% band and mean of the paired effect."""
    sc, last = attribution.scenario, attribution.scenario.horizon_months
    dated = {e.key: e for e in attribution.attributed}
    read_at = effects_read(attribution, at)
    label = "final" if at == "end" else at
    dates = [sc.month_date(t) for t in range(last + 1)]
    reading_month = month_index(at, dates) if at in ("end", "start") or at[:1].isdigit() else None
    rows = []
    for component, effect in effects(attribution).items():
        event = dated.get(component)
        peaks = peak_month(effect)
        largest = np.abs(effect).max(axis=(0, 1))  # (A, M): over every replicate and month
        for a, actor in enumerate(attribution.actors):
            for m, measure in enumerate(OUTCOMES):
                for kind, month in ((label, reading_month), ("peak", int(peaks[a, m]))):
                    values = (effect[:, month, a, m] if kind == "peak"
                              else read_at[component][:, a, m])
                    p10, med, p90 = np.quantile(values, [0.1, 0.5, 0.9])
                    rows.append({
                        "event": component, "kind": _kind(component, attribution),
                        "event_type": event.event.type if event else "",
                        "event_date": event_date(event, sc) if event else None,
                        "actor": actor, "measure": measure, "at": kind, "month": month,
                        "date": None if month is None else sc.month_date(month),
                        "median": med, "p10": p10, "p90": p90,
                        "mean": float(values.mean()), "max_abs": float(largest[a, m])})
    return pd.DataFrame(rows)


def waterfall_table(attribution: Attribution, actor: str, measure: str,
                    month: int | None = None) -> pd.DataFrame:
    """The steps from the no-event level to the full level at ``month`` (default: the last):
    rows ``start`` (no dated events), each event by date, ``interaction``, ``end`` (full). Each
    step's ``mean`` is its mean effect (means add up: start + steps = end), with its ``median``
    and 10-90% band; the anchors carry the mean level in ``mean``."""
    month = attribution.scenario.horizon_months if month is None else month
    a, m = attribution.actors.index(actor), OUTCOMES.index(measure)
    everything = effects(attribution)
    rows = [_summary("start", "no dated events", attribution.none[:, month, a, m])]
    for event in attribution.attributed:
        rows.append(_summary("event", event.key, everything[event.key][:, month, a, m]))
        rows[-1]["event_date"] = event_date(event, attribution.scenario)
    rows.append(_summary("interaction", INTERACTION, everything[INTERACTION][:, month, a, m]))
    rows.append(_summary("end", attribution.scenario.name, attribution.full[:, month, a, m]))
    table = pd.DataFrame(rows)
    table["month"], table["date"] = month, attribution.scenario.month_date(month)
    return table


def _summary(kind: str, label: str, values: np.ndarray) -> dict:
    p10, med, p90 = np.quantile(values, [0.1, 0.5, 0.9])
    return {"kind": kind, "label": label, "mean": float(values.mean()), "median": med,
            "p10": p10, "p90": p90}


def peak_of_total(attribution: Attribution, actor: str, measure: str) -> int:
    """The month in which the mean total effect on ``actor``'s ``measure`` is largest in size."""
    a, m = attribution.actors.index(actor), OUTCOMES.index(measure)
    total = (attribution.full - attribution.none)[:, :, a, m].mean(axis=0)
    return int(np.argmax(np.abs(total)))


# --- Shapley values ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Shapley:
    """Per event, ``(R, actors, OUTCOMES)`` at the final month; ``orders`` is None when exact."""

    values: dict[str, np.ndarray]
    total: np.ndarray  # (R, actors, OUTCOMES): full minus no dated events
    orders: int | None
    runs: int


def check_orders(orders: int | None) -> None:
    """Refuse a number of sampled orders outside 1..:data:`MAX_ORDERS` (None means exact)."""
    if orders is not None and not 1 <= orders <= MAX_ORDERS:
        problem = "is too many to hold in memory" if orders > MAX_ORDERS else "is too few"
        raise UserError(f"{orders} sampled orders {problem}", where="--orders",
                        valid=f"from 1 to {MAX_ORDERS} orders")


def shapley_subsets(keys: Sequence[str], orders: int | None,
                    seed: int) -> tuple[list[frozenset], list[tuple[str, ...]]]:
    """The event subsets whose runs are needed, and the sampled orders (empty when exact)."""
    if orders is None:
        subsets = [frozenset(c) for n in range(len(keys) + 1) for c in combinations(keys, n)]
        return subsets, []
    rng = np.random.default_rng([seed, stream_id("shapley")])
    sampled = [tuple(keys[i] for i in rng.permutation(len(keys))) for _ in range(orders)]
    needed = {frozenset(order[:n]) for order in sampled for n in range(len(keys) + 1)}
    return sorted(needed, key=lambda s: (len(s), sorted(s))), sampled


def shapley_plan(attribution: Attribution,
                 orders: int | None) -> tuple[list[frozenset], list[tuple[str, ...]]]:
    """The runs Shapley values still need (subsets not already run by :func:`attribute`), and
    the sampled orders (empty when exact)."""
    keys = [e.key for e in attribution.attributed]
    subsets, sampled = shapley_subsets(keys, orders, attribution.scenario.seed)
    done = {frozenset(keys), frozenset(), *(frozenset(keys) - {k} for k in keys)}
    return [s for s in subsets if s not in done], sampled


def shapley(attribution: Attribution, orders: int | None = None, workers: int = 1,
            progress: Progress | None = None) -> Shapley:
    """Shapley values of the dated events at the final month, per replicate.

    Exact (every subset) when ``orders`` is None, which needs ``2**n`` runs and is refused beyond
    :data:`MAX_EXACT_SHAPLEY` events; otherwise the mean marginal effect over ``orders`` sampled
    orders (seeded from the run's seed). Either way the values add up to the total effect
    exactly, replicate by replicate.
    """
    sc, keys = attribution.scenario, [e.key for e in attribution.attributed]
    check_orders(orders)
    if orders is None and len(keys) > MAX_EXACT_SHAPLEY:
        raise UserError(f"exact Shapley values over {len(keys)} events need {2 ** len(keys)} "
                        "runs", where="--shapley",
                        valid=f"at most {MAX_EXACT_SHAPLEY} dated events, or --orders N to "
                              "sample N orders")
    last = sc.horizon_months
    value = {frozenset(keys): attribution.full[:, last], frozenset(): attribution.none[:, last]}
    value |= {frozenset(keys) - {k}: w[:, last] for k, w in attribution.without.items()}
    todo, sampled = shapley_plan(attribution, orders)
    for subset in todo:
        value[subset] = outcomes(sc, subset, attribution.actors, sc.replicates, sc.seed,
                                 workers, progress)[:, last]
    values = (_exact(keys, value) if orders is None else _sampled(keys, value, sampled))
    total = value[frozenset(keys)] - value[frozenset()]
    return Shapley(values, total, orders, len(todo))


def _exact(keys: Sequence[str], value: dict[frozenset, np.ndarray]) -> dict[str, np.ndarray]:
    n = len(keys)
    out = {}
    for k in keys:
        others = [x for x in keys if x != k]
        phi = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for c in combinations(others, size):
                s = frozenset(c)
                phi = phi + weight * (value[s | {k}] - value[s])
        out[k] = phi
    return out


def _sampled(keys: Sequence[str], value: dict[frozenset, np.ndarray],
             orders: list[tuple[str, ...]]) -> dict[str, np.ndarray]:
    out = {k: 0.0 for k in keys}
    for order in orders:
        before: frozenset = frozenset()
        for k in order:
            after = before | {k}
            out[k] = out[k] + (value[after] - value[before]) / len(orders)
            before = after
    return out


def shapley_table(result: Shapley, attribution: Attribution) -> pd.DataFrame:
    """Rows like :func:`attribution_table` (``kind`` "shapley", ``at`` "final")."""
    sc, last = attribution.scenario, attribution.scenario.horizon_months
    dated = {e.key: e for e in attribution.attributed}
    rows = []
    for key, phi in result.values.items():
        for a, actor in enumerate(attribution.actors):
            for m, measure in enumerate(OUTCOMES):
                p10, med, p90 = np.quantile(phi[:, a, m], [0.1, 0.5, 0.9])
                rows.append({
                    "event": key, "kind": "shapley", "event_type": dated[key].event.type,
                    "event_date": event_date(dated[key], sc), "actor": actor,
                    "measure": measure, "at": "final", "month": last,
                    "date": sc.month_date(last), "median": med, "p10": p10, "p90": p90,
                    "mean": float(phi[:, a, m].mean())})
    return pd.DataFrame(rows)


# --- text --------------------------------------------------------------------------------------

def format_attribution(table: pd.DataFrame, attribution: Attribution, actor: str,
                       measure: str = "trust_in_patron", at: str = "end") -> str:
    """The printed table: each dated event's effect on ``actor``'s ``measure`` at the end and at
    its peak, then the sum of leave-one-out effects, the interaction and the total."""
    sc = attribution.scenario
    rows = table[(table["actor"] == actor) & (table["measure"] == measure)
                 & (table["kind"] != "shapley")]
    fmt = _effect_format(measure)
    what = f"{sc.actors[actor].name}: {measure.replace('_', ' ')}"
    if measure == "trust_in_patron":
        what = f"{sc.actors[actor].name}: trust in the patron ({sc.actors[sc.patron].name})"
    lines = [f"{what} in {sc.name}: effect of each dated event = full scenario minus the "
             f"scenario without it, paired by replicate ({sc.replicates} replicates, seed "
             f"{sc.seed}); median [10%, 90%]", ""]
    end_head = (f"at the end ({sc.month_date(sc.horizon_months):%b %Y})" if at == "end"
                else reading_in_words(at))
    lines.append(f"{'date':<10}{'event':<34}{end_head:<30}at its peak (month of largest median)")
    for component in [*(e.key for e in attribution.attributed), LOO_SUM, INTERACTION, TOTAL]:
        if component == LOO_SUM:
            lines.append("-" * 104)
        by_at = rows[rows["event"] == component].set_index("at")
        final, peak = by_at.loc["final" if at == "end" else at], by_at.loc["peak"]
        date = f"{final['event_date']:%b %Y}" if final["event_date"] is not None else ""
        at_peak = (f"{_band(peak, fmt)} in {peak['date']:%b %Y}" if final["max_abs"] > 0
                   else "none: exactly 0 in every replicate and month")
        lines.append(f"{date:<10}{_short(component, 33):<34}{_band(final, fmt):<30}{at_peak}")
    lines += ["", "interaction = total - sum of leave-one-out effects: what the events do "
                  "together beyond (or short of) their separate effects."]
    if attribution.background:
        names = ", ".join(e.key for e in attribution.background)
        lines.append(f"Not attributed (stochastic background, kept in every run with the same "
                     f"draws): {names}.")
    return "\n".join(lines)


def _effect_format(measure: str):
    if measure == "trust_in_patron":
        return lambda v: f"{100 * v:+.1f} pp"
    return lambda v: f"{v:+.3f}"


def _band(row: pd.Series, fmt) -> str:
    return f"{fmt(row['median'])} [{fmt(row['p10'])}, {fmt(row['p90'])}]"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def format_shapley(table: pd.DataFrame, attribution: Attribution, actor: str, result: Shapley,
                   measure: str = "trust_in_patron") -> str:
    """Shapley values of ``actor``'s ``measure`` at the end, beside the leave-one-out effects."""
    sc = attribution.scenario
    fmt = _effect_format(measure)
    rows = table[(table["actor"] == actor) & (table["measure"] == measure)
                 & (table["at"] == "final")]
    how = ("exact, over every subset of events" if result.orders is None
           else f"estimated from {result.orders} sampled orders")
    lines = [f"{sc.actors[actor].name}, {measure.replace('_', ' ')} at the end "
             f"({sc.month_date(sc.horizon_months):%b %Y}): Shapley values ({how}); they share "
             "the total, interactions included. Median [10%, 90%]; mean", ""]
    lines.append(f"{'event':<34}{'Shapley value':<40}{'leave-one-out':<40}")
    for event in attribution.attributed:
        by_kind = rows[rows["event"] == event.key].set_index("kind")
        phi, loo = by_kind.loc["shapley"], by_kind.loc["leave-one-out"]
        lines.append(f"{_short(event.key, 33):<34}{_band(phi, fmt) + '; ' + fmt(phi['mean']):<40}"
                     f"{_band(loo, fmt) + '; ' + fmt(loo['mean']):<40}")
    a, m = attribution.actors.index(actor), OUTCOMES.index(measure)
    phi_sum = np.sum([v[:, a, m] for v in result.values.values()], axis=0).mean()
    lines += ["", f"sum of Shapley values (mean) {fmt(phi_sum)} = total effect (mean) "
                  f"{fmt(result.total[:, a, m].mean())}"]
    return "\n".join(lines)
