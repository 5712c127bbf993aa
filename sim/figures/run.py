"""A run's figures, from its summary table (:func:`sim.analysis.tables.quantiles`), one file each.

Every ``plot_*`` function takes the summary table and the scenario, draws on ``ax`` (a new figure
when it is None) and returns the axes, or the figure for multi-panel plots. :func:`make_plots`
writes them all as PNGs: the time series here, the trust matrix and the partnership network from
:mod:`sim.figures.network`. Each actor keeps one colour across figures
(:func:`sim.figures.style.actor_colour`).

The model never imports this module; :func:`make_plots` draws on figures with their own Agg canvas,
so it needs no display and leaves pyplot's global backend alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from sim.analysis.tables import has_parameter_band
from sim.calendar import months_between
from sim.engine.mechanics.hedging import KUIK_SPECTRUM
from sim.evidence.actors import with_article
from sim.figures.looks import REPORT, Look, current
from sim.figures.network import plot_partnership_network, plot_trust_matrix
from sim.figures.style import (
    ALIGNMENT_CMAP,
    actor_colour,
    band,
    band_patch,
    band_words,
    date_axis,
    event_key,
    event_key_beside,
    figure_files,
    mark_events,
    new_figure,
    normalised,
    poles,
    series,
    slide_layout,
    slide_title,
    text_width,
    write_drawn,
)
from sim.scenario import Scenario

MAX_SPENDING_PCT = 10.0  # actors above this (Ukraine at war) would flatten everyone else's line

if TYPE_CHECKING:  # the ensemble module runs the model; plots only read its record
    from sim.engine.ensemble import Ensemble

# --- 1. trust in the patron --------------------------------------------------------------------

# Where the plot of a one-panel time series ends on a slide (Look.key_beside): its legend and
# event key take the column right of it.
SLIDE_PLOT = {"left": 0.075, "right": 0.6}
BESIDE_GAP = 0.45  # inches from the plot to its legend and key: half a date label at slide type


def plot_trust_in_patron(summary: pd.DataFrame, scenario: Scenario,
                         ax: Axes | None = None) -> Axes:
    """Each ally's and partner's trust in the patron over time: median and 10-90% band."""
    ax = _time_axes(ax)
    summary, patron = normalised(summary), scenario.patron
    for code in scenario.allies():
        band(ax, series(summary, "trust", code, patron), code, scenario.actors[code].name)
    patron_name = scenario.actors[patron].name
    ax.set_ylabel(f"Trust in {with_article(patron_name)} (share trusting, %)")
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_ylim(0, 1)
    ax.set_xlabel("month")
    ax.grid(axis="y", alpha=0.3)
    date_axis(ax, scenario)
    key = _below(ax, mark_events(ax, scenario))
    ax.set_title(slide_title(ax, f"{scenario.name}: trust in {with_article(patron_name)} by "
                                 f"allies and partners\n"
                                 f"{band_words(summary, scenario.replicates)}"), pad=16)
    legend = ax.legend(handles=[*ax.get_lines(), *band_patch()], title="trusting state",
                       loc="upper left", bbox_to_anchor=(_beside(ax), 1.0), fontsize=9,
                       frameon=False)
    event_key_beside(ax, key, under=legend)
    return ax


def _time_axes(ax: Axes | None) -> Axes:
    """``ax``, or the axes of a new figure of 11 by 6 inches (:func:`_on_slide`)."""
    return _on_slide(new_figure((11, 6)), SLIDE_PLOT).add_subplot() if ax is None else ax


def _on_slide(fig: Figure, layout: dict[str, float]) -> Figure:
    """``fig`` as a 16:9 slide with the plot at ``layout`` (:func:`slide_layout`) in a look with
    the key beside the plot (slides); else as it is."""
    return slide_layout(fig, **layout) if current().key_beside else fig


def _beside(ax: Axes) -> float:
    """Where the legend right of ``ax`` starts (axes fraction): just right of it, or in a look
    with the key beside the plot, clear of the last date's tick label, which the key passes."""
    if not current().key_beside:
        return 1.01
    return 1.0 + BESIDE_GAP / (ax.get_position().width * ax.figure.get_figwidth())


def _below(ax: Axes, key: str) -> str:
    """Put ``key`` below ``ax`` (:func:`event_key`) in the report's look and return "" (nothing
    left to place); in a look with the key beside the plot, return it for
    :func:`event_key_beside`."""
    if current().key_beside:
        return key
    event_key(ax, key)
    return ""


# --- 2. alignment and hedging ------------------------------------------------------------------

def _kuik_bands(ax: Axes, label: bool) -> None:
    """Kuik's spectrum as light background bands, labelled at the right edge."""
    cuts = [1.0] + [max(cut, -1.0) for cut, _ in KUIK_SPECTRUM]
    cmap = colormaps[ALIGNMENT_CMAP]
    for (_, name), top, bottom in zip(KUIK_SPECTRUM, cuts[:-1], cuts[1:], strict=True):
        ax.axhspan(bottom, top, color=cmap((bottom + top) / 4 + 0.5), alpha=0.22, linewidth=0,
                   zorder=0)
        if label:
            ax.text(1.01, (bottom + top) / 2, name, transform=ax.get_yaxis_transform(),
                    fontsize=7.5, va="center", ha="left", color="0.3")


def _alignment_panel(ax: Axes, summary: pd.DataFrame, scenario: Scenario, measure: str,
                     axis_name: str) -> None:
    _kuik_bands(ax, label=True)
    for code in scenario.allies():
        band(ax, series(summary, measure, code), code, scenario.actors[code].name)
    low, high = poles(scenario)
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1], [f"-1 {low}", "-0.5", "0", "+0.5", f"+1 {high}"])
    ax.set_ylabel(f"{axis_name} alignment\n(-1 {low} .. +1 {high})")


# The alignment panels on a slide: Kuik's labels and the legend right of them, the key further right
ALIGNMENT_SLIDE = {"left": 0.1, "right": 0.54, "top": 0.83, "bottom": 0.08}


def plot_alignment(summary: pd.DataFrame, scenario: Scenario,
                   axes: Sequence[Axes] | None = None) -> Figure:
    """Economic alignment, security alignment and the hedging index of allies and partners, in
    three panels sharing the time axis, over Kuik's spectrum."""
    if axes is None:
        axes = _on_slide(new_figure((11, 10)), ALIGNMENT_SLIDE).subplots(3, 1, sharex=True)
    economic, security, hedge = axes
    beside = current().key_beside
    summary, fig = normalised(summary), economic.figure
    _alignment_panel(economic, summary, scenario, "alignment_economic", "economic")
    _alignment_panel(security, summary, scenario, "alignment_security", "security")
    for code in scenario.allies():
        band(hedge, series(summary, "hedging", code), code, scenario.actors[code].name)
    hedge.set_ylim(0, 1)
    if beside:  # the ends on the axis, as above: a second line would run into the label above
        hedge.set_yticks([0, 0.25, 0.5, 0.75, 1], ["0 aligned", "0.25", "0.5", "0.75", "1 hedged"])
        hedge.set_ylabel("hedging index")
    else:
        hedge.set_ylabel("hedging index\n(0 aligned .. 1 hedged)")
    hedge.set_xlabel("month")
    key = ""
    for ax in axes:
        date_axis(ax, scenario, most=6 if beside else 8)  # slides: narrower panels, larger type
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(labelbottom=not beside or ax is hedge)  # slides: the height to the data
        key = mark_events(ax, scenario, numbers=ax is economic) or key
    title = (f"{scenario.name}: alignment and hedging of allies and partners\n"
             f"{band_words(summary, scenario.replicates)}; background: Kuik's "
             "spectrum (cut points on the mean of both axes, applied to each axis)")
    # slides: the slides' title size (their finish() sets it), wrapped to the figure
    economic.set_title(slide_title(economic, title), pad=16, fontsize=None if beside else 11)
    shading = band_patch()
    if beside:  # two lines: as narrow as Kuik's labels above it
        shading[0].set_label(shading[0].get_label().replace(" of ", "\nof "))
    handles = [*economic.get_lines(), *shading]
    hedge.legend(handles=handles, loc="upper left", bbox_to_anchor=(_beside(hedge), 1.0),
                 fontsize=8.5, frameon=False)
    if beside:  # right of Kuik's labels and the legend, from the top of the first panel
        event_key_beside(economic, key, right=_labels_width(economic, handles) + 0.15)
    else:
        event_key(hedge, key, y=-0.22)
    if beside:  # one column of labels: the hedging label would run into "-1 China" above it
        fig.align_ylabels(axes)
    fig.subplots_adjust(hspace=0.2 if beside else 0.3)
    return fig


def _labels_width(ax: Axes, handles: list) -> float:
    """Inches from the right edge of the alignment panels to the right end of Kuik's labels or
    of the legend beside the hedging panel, whichever is wider, at the look's type size."""
    size = max(8.5, current().min_font)
    kuik = max(text_width(name, max(7.5, current().min_font)) for _, name in KUIK_SPECTRUM)
    kuik += 0.01 * ax.get_position().width * ax.figure.get_figwidth() * 72
    # a legend entry: its border pad, handle (2 em) and the gap to the label (0.8 em)
    legend = max(text_width(line, size) for h in handles for line in h.get_label().split("\n"))
    legend += (0.5 + 0.4 + 2.0 + 0.8) * size + BESIDE_GAP * 72
    return max(kuik, legend) / 72


# --- 5. defence spending -----------------------------------------------------------------------

def plot_defence_spending(summary: pd.DataFrame, scenario: Scenario,
                          ax: Axes | None = None) -> Axes:
    """Allies' and partners' defence spending (median and band), their own plans (dashed) and the
    patron's demands (red dotted). Actors above :data:`MAX_SPENDING_PCT` are left out and named."""
    ax = _time_axes(ax)
    summary = normalised(summary)
    shown, left_out, highs = [], [], []
    for code in scenario.allies():
        rows = series(summary, "defence_spending", code)
        if rows["p90"].max() > MAX_SPENDING_PCT:
            left_out.append(f"{scenario.actors[code].name} (~{rows['median'].iloc[-1]:.0f}%)")
            continue
        highs.append(rows["p90"].max())
        shown.append(band(ax, rows, code, scenario.actors[code].name))
        plan = _plan_line(ax, scenario, code)
        if plan is not None:
            shown.append(plan)
    shown += _mark_demands(ax, scenario)
    top = max([1.0, *(np.max(line.get_ydata()) for line in shown), *highs])
    ax.set_ylim(0, min(MAX_SPENDING_PCT, top * 1.15))
    ax.set_ylabel("defence spending (% of GDP)")
    ax.set_xlabel("month")
    ax.grid(axis="y", alpha=0.3)
    date_axis(ax, scenario)
    key = _below(ax, mark_events(ax, scenario))
    note = f"; not shown, off the scale: {', '.join(left_out)}" if left_out else ""
    ax.set_title(slide_title(ax, f"{scenario.name}: defence spending of allies and partners\n"
                                 f"{band_words(summary, scenario.replicates)}{note}"), pad=16)
    legend = ax.legend(handles=[*shown, *band_patch()], loc="upper left",
                       bbox_to_anchor=(_beside(ax), 1.0), fontsize=9, frameon=False)
    event_key_beside(ax, key, under=legend)
    return ax


def _plan_line(ax: Axes, scenario: Scenario, code: str) -> Line2D | None:
    """The actor's own plan, interpolated by month and held flat beyond its points."""
    spec = scenario.actors[code]
    if not spec.defence_plan:
        return None
    months = np.arange(scenario.horizon_months + 1)
    at = [months_between(scenario.start, p.date) for p in spec.defence_plan]
    pct = np.interp(months, at, [p.pct for p in spec.defence_plan])
    dates = [scenario.month_date(int(m)) for m in months]
    (line,) = ax.plot(dates, pct, color=actor_colour(code), linestyle="--", linewidth=1.2,
                      label=f"{spec.name}: own plan", gid=f"plan:{code}")
    return line


def _mark_demands(ax: Axes, scenario: Scenario) -> list[Line2D]:
    """Each level the patron demanded, from the first demand to the end, red dotted."""
    first: dict[float, tuple[int, list[str]]] = {}
    for timed in scenario.events:
        if timed.event.type == "defence_demand":
            month, targets = first.get(timed.event.target_pct, (timed.first_month, []))
            first[timed.event.target_pct] = (min(month, timed.first_month),
                                             targets + list(timed.event.targets))
    lines = []
    end = scenario.month_date(scenario.horizon_months)
    for pct, (month, targets) in sorted(first.items()):
        (line,) = ax.plot([scenario.month_date(month), end], [pct, pct], color="red",
                          linestyle=":", linewidth=1.6, gid="demand",
                          label=f"demanded {pct:g}% of GDP ({', '.join(dict.fromkeys(targets))})")
        ax.annotate(f"demanded {pct:g}% of GDP", xy=(end, pct), xytext=(-4, 3),
                    textcoords="offset points", ha="right", va="bottom", fontsize=8, color="red")
        lines.append(line)
    return lines


def plot_trust_bands(summary: pd.DataFrame, scenario: Scenario, fig: Figure) -> Figure:
    """One small panel per ally: trust in the patron with both bands, noise only (dark) inside
    noise and parameter uncertainty (light), so the two can be told apart actor by actor."""
    summary, patron = normalised(summary), scenario.patron
    allies = scenario.allies()
    columns = min(4, len(allies))
    rows_ = -(-len(allies) // columns)
    axes = fig.subplots(rows_, columns, sharex=True, sharey=True, squeeze=False).ravel()
    for ax, code in zip(axes, allies, strict=False):
        band(ax, series(summary, "trust", code, patron), code, scenario.actors[code].name,
             wide=True)
        mark_events(ax, scenario, numbers=False)
        ax.set_title(scenario.actors[code].name)
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        ax.grid(axis="y", alpha=0.3)
        # small panels: a tick a year, labelled with the year (month labels ran into each other)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    for ax in axes[len(allies):]:
        ax.axis("off")
    patron_name = with_article(scenario.actors[patron].name)
    fig.supylabel(f"trust in {patron_name} (share trusting, %)")
    fig.suptitle(f"{scenario.name}: trust in {patron_name}, median with two 10-90% bands of "
                 f"{scenario.replicates} replicates\ndark: noise only (perception noise and "
                 "random events at the register's values); light: with parameter uncertainty "
                 "too (parameters.csv)")
    key = band_patch(wide=True)
    for patch in key:  # two lines each, to fit a panel's width
        patch.set_label(patch.get_label().replace(", ", ",\n", 1))
    if len(allies) < len(axes):  # the key in the first empty panel, not under the last row
        axes[len(allies)].legend(handles=key, loc="center", frameon=False)
    else:
        fig.legend(handles=key, loc="lower right", frameon=False)
    fig.subplots_adjust(top=0.86, hspace=0.35)
    return fig


# --- writing the files -------------------------------------------------------------------------

Drawing = Callable[[pd.DataFrame, Scenario, Figure], object]

# The files make_plots writes: name, size in inches, and how to draw it on an empty figure. In a
# look with the key beside the plot (slides), the time series make their figure a 16:9 slide
# (:func:`_on_slide`), so the screen (sim.dashboard.charts) and the files get the same shape.
FIGURES: tuple[tuple[str, tuple[float, float], Drawing], ...] = (
    ("trust_in_patron.png", (11, 6),
     lambda summary, scenario, fig: plot_trust_in_patron(
         summary, scenario, _on_slide(fig, SLIDE_PLOT).add_subplot())),
    ("alignment.png", (11, 10),
     lambda summary, scenario, fig: plot_alignment(
         summary, scenario, _on_slide(fig, ALIGNMENT_SLIDE).subplots(3, 1, sharex=True))),
    ("trust_matrix.png", (9.5, 8),
     lambda summary, scenario, fig: plot_trust_matrix(summary, scenario, ax=fig.add_subplot())),
    ("partnership_network.png", (11, 7.5),
     lambda summary, scenario, fig: plot_partnership_network(summary, scenario,
                                                             ax=fig.add_subplot())),
    ("defence_spending.png", (11, 6),
     lambda summary, scenario, fig: plot_defence_spending(
         summary, scenario, _on_slide(fig, SLIDE_PLOT).add_subplot())),
)
FILES = tuple(name for name, _, _ in FIGURES)
# Drawn only when the summary has the band with parameter uncertainty (``run --uncertainty``).
BANDS_FILE, BANDS_SIZE = "trust_bands.png", (14, 7.5)


def files_for(summary: pd.DataFrame) -> tuple[str, ...]:
    """The files a run with this summary gets: :data:`FILES`, and the two-band view if any."""
    return FILES + ((BANDS_FILE,) if has_parameter_band(summary) else ())


def make_plots(ensemble: Ensemble, summary: pd.DataFrame, folder: Path, look: Look = REPORT,
               formats: Sequence[str] = ("png",)) -> list[Path]:
    """Write the standard plots (:data:`FILES`) of an ensemble into ``folder``; return the paths.

    ``summary`` is :func:`sim.analysis.tables.quantiles` of the ensemble. Figures are drawn on
    their own Agg canvas (headless, no pyplot state), so nothing is left open afterwards, in
    ``look`` (:mod:`sim.figures.looks`) and each of ``formats`` (png, svg, pdf).
    :class:`sim.figures.workers.FigureWorkers` writes the same files from worker processes.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [path for name in files_for(summary)
            for path in write_figure(name, summary, ensemble.scenario, folder, look, formats)]


def figure_paths(name: str, folder: Path, formats: Sequence[str] = ("png",)) -> list[Path]:
    """The files one figure of :func:`files_for` is written to: one per format."""
    return figure_files(folder / name, formats)


def write_figure(name: str, summary: pd.DataFrame, scenario: Scenario, folder: Path,
                 look: Look = REPORT, formats: Sequence[str] = ("png",)) -> list[Path]:
    """Draw one of :func:`files_for` in ``look`` and write it into ``folder`` in each of
    ``formats``; return the paths."""
    size, draw = next((size, draw) for file, size, draw in
                      (*FIGURES, (BANDS_FILE, BANDS_SIZE, plot_trust_bands)) if file == name)
    return write_drawn(size, lambda fig: draw(summary, scenario, fig), folder / name, look,
                       formats)
