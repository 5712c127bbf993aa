"""Plots of a comparison (:mod:`sim.analysis.compare`) and of an attribution
(:mod:`sim.analysis.attribute`).

Like :mod:`sim.figures.run`, each function takes the tables (levels, differences, effects) and the
scenarios, draws on the axes it is given (a new figure when None) and returns the figure or axes.
:func:`make_comparison_plots` and :func:`make_attribution_plots` write the PNGs on figures with
their own Agg canvas, so no display or pyplot state is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, PercentFormatter

from sim.evidence.actors import with_article
from sim.figures.looks import FOCUS_GREY, REPORT, Look, current
from sim.figures.style import (
    BAND_ALPHA,
    actor_colour,
    actor_linestyle,
    band_patch,
    date_axis,
    mark_events,
    new_figure,
    normalised,
    poles,
    write_drawn,
)
from sim.scenario import Scenario

# What each compared measure is, how its axis reads, and how a difference of it is written.
COMPARED = ("trust_in_patron", "alignment_economic", "alignment_security")


def measure_title(measure: str, scenario: Scenario) -> str:
    patron = with_article(scenario.actors[scenario.patron].name)
    return {"trust_in_patron": f"trust in {patron}",
            "alignment_economic": "economic alignment",
            "alignment_security": "security alignment"}.get(measure, measure.replace("_", " "))


def _rows(table: pd.DataFrame, scenario_label: str, measure: str, actor: str,
          scenario: Scenario) -> pd.DataFrame:
    """One scenario's series of a compared measure for one actor, by month."""
    name, partner = ("trust", scenario.patron) if measure == "trust_in_patron" else (measure, "")
    rows = table[(table["scenario"] == scenario_label) & (table["measure"] == name)
                 & (table["actor"] == actor) & (table["partner"] == partner)]
    if rows.empty:
        raise KeyError(f"no {measure!r} rows for {actor!r} in scenario {scenario_label!r}")
    return rows.sort_values("month")


REPORT_WIDTH = 1.7  # the report's lines here


def _line_band(ax: Axes, rows: pd.DataFrame, colour: str, label: str, gid: str,
               code: str | None = None) -> Line2D:
    """Median line and 10-90% band; an actor's (``code``) in its look's width and line style,
    and with a focus actor the others without their band (nine grey bands would hide it)."""
    x, look = rows["date"].to_numpy(), current()
    if look.focus is None or code is None or code == look.focus:
        ax.fill_between(x, rows["p10"], rows["p90"], color=colour, alpha=BAND_ALPHA,
                        linewidth=0)
    width = REPORT_WIDTH if look == REPORT else look.line_width(code)
    (line,) = ax.plot(x, rows["median"], color=colour, linewidth=width,
                      linestyle=actor_linestyle(code) if code else "-", label=label, gid=gid,
                      zorder=3 if code is not None and code == look.focus else 2)
    return line


def _actor_handles(ax: Axes) -> list:
    """Legend entries for the actors' lines; with a focus actor, it and one grey entry for the
    rest."""
    lines, focus = ax.get_lines(), current().focus
    if focus is None:
        return list(lines)
    return [*(line for line in lines if line.get_gid() == focus),
            Line2D([], [], color=FOCUS_GREY, linewidth=current().line_width(""),
                   label="the others")]


def level_axis(ax: Axes, measure: str, scenario: Scenario) -> str:
    """Trust in per cent, alignment on its -1..+1 axis; limits follow the data (the changes are
    a few points; on the full scale they would be flat lines). Returns the unit, for a label."""
    if measure == "trust_in_patron":
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        unit = "share trusting, %"
    else:
        low, high = poles(scenario)
        unit = f"-1 {low} .. +1 {high}"
    ax.margins(y=0.08)
    return unit


def _level_axis(ax: Axes, measure: str, scenario: Scenario, label: bool) -> None:
    unit = level_axis(ax, measure, scenario)
    if label:
        ax.set_ylabel(f"{measure_title(measure, scenario)}\n({unit})")


# The least half-height of a difference axis: 5 points of trust, 0.05 of alignment (a twentieth
# of its half-scale). Without it, a difference of 0.01 filled the panel and looked dramatic.
DIFFERENCE_FLOOR = {"trust_in_patron": 0.05, "alignment_economic": 0.05,
                    "alignment_security": 0.05}


def difference_floor(ax: Axes, measure: str) -> None:
    """At least +-:data:`DIFFERENCE_FLOOR` of range (call it once every line sharing the axis is
    drawn: it fixes the limits)."""
    floor = DIFFERENCE_FLOOR.get(measure, 0.0)
    low, high = ax.get_ylim()
    ax.set_ylim(min(low, -floor), max(high, floor))


def difference_axis(ax: Axes, measure: str, scenario: Scenario) -> str:
    """Zero line and signed tick labels; returns the unit, for a label."""
    ax.axhline(0, color="0.2", linewidth=0.8, zorder=1)
    if measure == "trust_in_patron":
        ax.yaxis.set_major_formatter(SignedFormatter(scale=100.0, suffix=" pp"))
        return "percentage points"
    ax.yaxis.set_major_formatter(SignedFormatter())
    return "alignment units; + toward " + poles(scenario)[1]


def _difference_axis(ax: Axes, measure: str, scenario: Scenario, label: bool) -> None:
    unit = difference_axis(ax, measure, scenario)
    if label:
        ax.set_ylabel(f"difference in {measure_title(measure, scenario)}\n({unit})")


class SignedFormatter(Formatter):
    """Tick labels with a sign and as many decimals as the tick spacing needs ("-0.012")."""

    def __init__(self, scale: float = 1.0, suffix: str = ""):
        self.scale, self.suffix = scale, suffix
        self.ticks: np.ndarray = np.array([])

    def set_locs(self, locs) -> None:
        self.ticks = np.asarray(locs, dtype=float)

    def __call__(self, x: float, pos: int | None = None) -> str:
        value = x * self.scale
        step = (np.min(np.abs(np.diff(self.ticks))) * self.scale if len(self.ticks) > 1
                else 1.0)
        decimals = 0  # the fewest that show the step exactly: 0.025 needs three, not two
        while decimals < 6 and abs(round(step, decimals) - step) > step * 1e-6:
            decimals += 1
        if abs(value) < step * 1e-6:
            return "0" + self.suffix
        return f"{value:+.{decimals}f}{self.suffix}"


def _time_axis(ax: Axes, scenario: Scenario, events: bool = True) -> None:
    date_axis(ax, scenario, most=4 if current().slides else 8)  # slides: large type, narrow panels
    ax.tick_params(axis="x", labelrotation=35, labelsize=9)
    for text in ax.get_xticklabels():
        text.set_horizontalalignment("right")
    ax.grid(alpha=0.3)
    if events:
        mark_events(ax, scenario, numbers=False)


def _spacing(fig: Figure, report: dict, slides: dict) -> None:
    """Space between panels: the slides' larger type needs more."""
    fig.subplots_adjust(**(slides if current().slides else report))


def _labels(table: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(table["scenario"]))


# --- a measure, scenario by scenario ---------------------------------------------------------

def plot_measure_by_scenario(levels: pd.DataFrame, differences: pd.DataFrame,
                             scenarios: Sequence[Scenario], measure: str,
                             axes: np.ndarray | None = None) -> Figure:
    """Top row: the measure's level for every ally and partner, one panel per scenario (median
    and 10-90% band). Bottom row: the paired difference from the first scenario."""
    levels, differences = normalised(levels), normalised(differences)
    labels, n = _labels(levels), len(scenarios)
    if axes is None:
        axes = new_figure((4.6 * n + 2.5, 8.5)).subplots(2, n, sharex=True, sharey="row",
                                                            squeeze=False)
    fig, reference = axes[0, 0].figure, scenarios[0]
    for k, (label, scenario) in enumerate(zip(labels, scenarios, strict=True)):
        top, bottom = axes[0, k], axes[1, k]
        for code in scenario.allies():
            name = scenario.actors[code].name
            _line_band(top, _rows(levels, label, measure, code, scenario), actor_colour(code),
                       name, code, code)
            if k:
                _line_band(bottom, _rows(differences, label, measure, code, scenario),
                           actor_colour(code), name, code, code)
        _level_axis(top, measure, scenario, label=k == 0)
        top.set_title(label if k else f"{label}\n(reference)", fontsize=10)
        if k:
            _difference_axis(bottom, measure, scenario, label=k == 1)
            bottom.set_title(f"{label} minus {labels[0]}", fontsize=10)
            bottom.tick_params(labelleft=k == 1)
        else:
            bottom.set_axis_off()
            bottom.text(0.4 if current().slides else 0.5, 0.5,
                        f"differences below are\n{labels[0]} subtracted\nreplicate "
                        "by replicate\n(common random numbers)", ha="center", va="center",
                        transform=bottom.transAxes, fontsize=10, color="0.3")
        for ax in (top, bottom) if k else (top,):
            _time_axis(ax, scenario)
            ax.tick_params(labelbottom=True)
    difference_floor(axes[1, -1], measure)  # after every panel of the shared row is drawn
    title = measure_title(measure, reference)
    fig.suptitle(f"{title[0].upper() + title[1:]} of allies and partners: "
                 f"each scenario, and its difference from {labels[0]}\nmedian and 10-90% band of "
                 f"{reference.replicates} replicates, same seed; dotted lines: dated events",
                 fontsize=12)
    handles = [*_actor_handles(axes[0, 0]), *band_patch()]
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.91, 0.5), fontsize=9,
               frameon=False, title="ally or partner")
    _spacing(fig, dict(hspace=0.45, wspace=0.12), dict(hspace=0.6, wspace=0.3, top=0.82))
    return fig


# --- one actor, all scenarios overlaid -------------------------------------------------------

# Okabe & Ito (2008): told apart with any common colour-vision deficiency
SLIDES_SCENARIO_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def scenario_colours(labels: Sequence[str]) -> dict[str, str]:
    """The reference in near-black, the others in Dark2's colours (slides: Okabe-Ito's), in
    order."""
    others = SLIDES_SCENARIO_COLOURS if current().slides else colormaps["Dark2"].colors
    return {label: ("0.15" if k == 0 else others[(k - 1) % len(others)])
            for k, label in enumerate(labels)}


def plot_focus(levels: pd.DataFrame, differences: pd.DataFrame, scenarios: Sequence[Scenario],
               actor: str = "JPN", axes: np.ndarray | None = None) -> Figure:
    """One actor's trust in the patron and its two alignments (top) and their differences from
    the first scenario (bottom), every scenario overlaid in its own colour."""
    levels, differences = normalised(levels), normalised(differences)
    labels, reference = _labels(levels), scenarios[0]
    if axes is None:
        axes = new_figure((16, 9)).subplots(2, len(COMPARED), sharex=True, squeeze=False)
    fig, colours = axes[0, 0].figure, scenario_colours(labels)
    for c, measure in enumerate(COMPARED):
        top, bottom = axes[0, c], axes[1, c]
        for k, (label, scenario) in enumerate(zip(labels, scenarios, strict=True)):
            _line_band(top, _rows(levels, label, measure, actor, scenario), colours[label],
                       label, label)
            if k:
                _line_band(bottom, _rows(differences, label, measure, actor, scenario),
                           colours[label], label, label)
        _level_axis(top, measure, reference, label=True)
        _difference_axis(bottom, measure, reference, label=True)
        difference_floor(bottom, measure)
        top.set_title(measure_title(measure, reference), fontsize=11)
        bottom.set_title(f"difference from {labels[0]}", fontsize=10)
        for ax in (top, bottom):
            _time_axis(ax, reference, events=False)  # scenarios differ in their events
            ax.tick_params(labelbottom=True)
    name = reference.actors[actor].name
    fig.suptitle(f"{name}: every scenario overlaid (top) and minus {labels[0]} (bottom)\n"
                 f"median and 10-90% band of {reference.replicates} replicates, same seed "
                 "(differences paired by replicate)", fontsize=12)
    handles = [*axes[0, 0].get_lines(), *band_patch()]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=10,
               frameon=False, bbox_to_anchor=(0.5, -0.03), title="scenario")
    _spacing(fig, dict(hspace=0.45, wspace=0.3, bottom=0.13),
             dict(hspace=0.6, wspace=0.55, bottom=0.15, top=0.86))
    return fig


def make_comparison_plots(levels: pd.DataFrame, differences: pd.DataFrame,
                          scenarios: Sequence[Scenario], folder: Path,
                          focus: Sequence[str] = ("JPN",), look: Look = REPORT,
                          formats: Sequence[str] = ("png",)) -> list[Path]:
    """Write ``<measure>.png`` for each compared measure and ``focus_<ACTOR>.png`` (in
    ``look``, and each of ``formats``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    levels, differences = (_compared_only(t, scenarios[0]) for t in (levels, differences))
    n, paths = len(scenarios), []
    for measure in COMPARED:
        paths += write_drawn(
            (5.2 * n + 3.5, 10) if look.slides else (4.6 * n + 2.5, 8.5),
            lambda fig, measure=measure: plot_measure_by_scenario(
                levels, differences, scenarios, measure,
                fig.subplots(2, n, sharex=True, sharey="row", squeeze=False)),
            folder / f"{measure}.png", look, formats)
    for actor in focus:
        if actor in scenarios[0].actors:
            paths += write_drawn(
                (16, 9),
                lambda fig, actor=actor: plot_focus(
                    levels, differences, scenarios, actor,
                    fig.subplots(2, len(COMPARED), sharex=True, squeeze=False)),
                folder / f"focus_{actor}.png", look, formats)
    return paths


def _compared_only(table: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The rows the comparison plots draw (the full tables are large)."""
    trust = (table["measure"] == "trust") & (table["partner"] == scenario.patron)
    return table[trust | table["measure"].isin(COMPARED)]


# --- attribution: waterfall --------------------------------------------------------------------

LOWERS, RAISES, INTERACTS = "#c0392b", "#1f77b4", "#8e44ad"
# slides: Okabe & Ito's vermillion, blue and reddish purple (the interaction is hatched too)
SLIDES_BARS = ("#D55E00", "#0072B2", "#CC79A7")


def bar_colours() -> tuple[str, str, str]:
    """Colours of the bars that lower, raise, and of the interaction, in the current look."""
    return SLIDES_BARS if current().slides else (LOWERS, RAISES, INTERACTS)


def _value_format(measure: str):
    """How a level and an effect of ``measure`` are written on a waterfall (an effect that is
    exactly zero reads "0")."""
    if measure == "trust_in_patron":
        return (lambda v: f"{100 * v:.1f}%"), (lambda v: f"{100 * v:+.1f} pp" if v else "0")
    return (lambda v: f"{v:+.3f}"), (lambda v: f"{v:+.2g}" if v else "0")


def _step_label(row: pd.Series, scenario: Scenario) -> str:
    if row["kind"] == "start":
        return "no dated events\n(background crises only)"
    if row["kind"] == "end":
        return f"full scenario\n({scenario.name})"
    if row["kind"] == "interaction":
        return "interaction\n(total - sum of the above)"
    return f"{row['label']} ({row['event_date']:%b %Y})"


def plot_waterfall(steps: pd.DataFrame, scenario: Scenario, measure: str,
                   ax: Axes | None = None, labels: bool = True) -> Axes:
    """A horizontal waterfall of :func:`sim.analysis.attribute.waterfall_table`: from the level
    without any dated event (top), each event's mean leave-one-out effect in date order, the
    interaction, to the full scenario's level (bottom). Whiskers: 10-90% of replicates."""
    ax = new_figure((11, 7)).add_subplot() if ax is None else ax
    level, effect = _value_format(measure)
    lowers, raises, interacts = bar_colours()
    y = np.arange(len(steps))
    position = float(steps["mean"].iloc[0])
    ends = [position]
    for k, row in enumerate(steps.itertuples(index=False)):
        if row.kind in ("start", "end"):
            ax.plot(row.mean, k, marker="D", color="black", markersize=7, zorder=3,
                    gid=row.kind)
            ax.annotate(level(row.mean), (row.mean, k), xytext=(0, 9),
                        textcoords="offset points", ha="center", fontsize=9, fontweight="bold")
            continue
        colour = (interacts if row.kind == "interaction" else lowers if row.mean < 0
                  else raises if row.mean > 0 else "0.4")
        ax.barh(k, row.mean, left=position, height=0.6, color=colour, alpha=0.85,
                hatch="//" if row.kind == "interaction" else None, edgecolor="white",
                gid=row.label)
        tip = position + row.mean
        ax.errorbar(tip, k, xerr=[[max(row.mean - row.p10, 0)], [max(row.p90 - row.mean, 0)]],
                    color="0.2", capsize=3, linewidth=1)
        ax.annotate(effect(row.mean), (max(position, tip, position + row.p90), k), xytext=(5, 0),
                    textcoords="offset points", va="center", fontsize=8.5, color=colour,
                    bbox=dict(facecolor="white", edgecolor="none", pad=0.5, alpha=0.85))
        ax.plot([tip, tip], [k, k + 1], color="0.55", linewidth=0.7, linestyle=":")
        position = tip
        ends.append(position)
    ax.axvline(steps["mean"].iloc[0], color="0.5", linewidth=0.8, linestyle="--", zorder=0)
    if labels:  # a panel sharing the rows with one to its left leaves the labels to it
        ax.set_yticks(y, [_step_label(r, scenario) for _, r in steps.iterrows()], fontsize=9)
    else:
        ax.tick_params(labelleft=False)
    ax.set_ylim(len(steps) - 0.4, -0.6)
    ax.grid(axis="x", alpha=0.3)
    if measure == "trust_in_patron":
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=1))
        ax.set_xlabel(f"trust in {with_article(scenario.actors[scenario.patron].name)} "
                      "(share trusting, %)")
    else:
        low, high = poles(scenario)
        ax.set_xlabel(f"{measure_title(measure, scenario)} (-1 {low} .. +1 {high})")
    ax.use_sticky_edges = False  # bars stick to their base; the margin must pass the start
    ax.margins(x=0.18)
    if current().slides:  # on a projector, a 0.3-point effect must not fill the panel
        _at_least(ax, 2 * DIFFERENCE_FLOOR.get(measure, 0.0))
    return ax


def _at_least(ax: Axes, span: float) -> None:
    """Widen the x axis about its middle to ``span``, if it is narrower."""
    low, high = ax.get_xlim()
    if high - low < span:
        middle = (low + high) / 2
        ax.set_xlim(middle - span / 2, middle + span / 2)


def plot_waterfalls(panels: Sequence[tuple[str, pd.DataFrame]], scenario: Scenario, actor: str,
                    measure: str, axes: Sequence[Axes] | None = None) -> Figure:
    """Waterfalls side by side (e.g. at the peak of the total effect and at the end), sharing
    the rows; ``panels`` holds (title, :func:`sim.analysis.attribute.waterfall_table`)."""
    if axes is None:
        axes = new_figure((7 * len(panels) + 3, 8)).subplots(1, len(panels), sharey=True,
                                                              squeeze=False)[0]
    fig, (lowers, raises, interacts) = axes[0].figure, bar_colours()
    for k, ((title, steps), ax) in enumerate(zip(panels, axes, strict=True)):
        plot_waterfall(steps, scenario, measure, ax, labels=k == 0)
        ax.set_title(title, fontsize=11)
    name = scenario.actors[actor].name
    fig.suptitle(
        f"{name}: what each event did to its {measure_title(measure, scenario)} in "
        f"{scenario.name}\nbars: mean effect = full scenario minus the scenario without the "
        f"event, paired by replicate (means add up to the total)\nwhiskers: 10-90% of "
        f"{scenario.replicates} replicates; {_scale_words(measure)}", fontsize=12)
    handles = [Patch(color=lowers, label="lowers"), Patch(color=raises, label="raises"),
               Patch(facecolor=interacts, hatch="//", edgecolor="white",
                     label="interaction of the events"),
               Line2D([], [], marker="D", color="black", linestyle="", label="mean level")]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
               bbox_to_anchor=(0.5, -0.04), fontsize=10)
    _spacing(fig, dict(wspace=0.08), dict(wspace=0.08, bottom=0.08))
    return fig


def _scale_words(measure: str) -> str:
    if not current().slides:
        return "each panel has its own scale"
    floor = 2 * DIFFERENCE_FLOOR.get(measure, 0.0)
    span = f"{100 * floor:.0f} points" if measure == "trust_in_patron" else f"{floor:.2f}"
    return f"each panel has its own scale, at least {span} wide"


def make_attribution_plots(attribution, folder: Path, actors: Sequence[str],
                           look: Look = REPORT, formats: Sequence[str] = ("png",)) -> list[Path]:
    """Write ``waterfall_<ACTOR>[_<measure>].png`` for each actor and outcome: the waterfall at
    the month of the largest mean total effect and at the end (in ``look``, and each of
    ``formats``)."""
    from sim.analysis.attribute import OUTCOMES, peak_of_total, waterfall_table

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sc, paths = attribution.scenario, []
    row = 0.6 if look.slides else 0.5  # inches per waterfall row: two lines of large type
    for actor in actors:
        for measure in OUTCOMES:
            peak, last = peak_of_total(attribution, actor, measure), sc.horizon_months
            panels = [(f"at the end, {sc.month_date(last):%b %Y}",
                       waterfall_table(attribution, actor, measure, last))]
            if peak != last:
                panels.insert(0, (f"when the total effect is largest, {sc.month_date(peak):%b %Y}",
                                  waterfall_table(attribution, actor, measure, peak)))
            suffix = "" if measure == "trust_in_patron" else f"_{measure}"
            paths += write_drawn(
                (7 * len(panels) + 3, row * attribution.runs + 3),
                lambda fig, panels=panels, actor=actor, measure=measure: plot_waterfalls(
                    panels, sc, actor, measure,
                    fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]),
                folder / f"waterfall_{actor}{suffix}.png", look, formats)
    return paths
