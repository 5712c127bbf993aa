"""Figures of a role-play game (:mod:`sim.play`): the class's path, and its debrief against the
scenario as scripted.

Each function takes the long table of :mod:`sim.play.debrief` (month, date, actor, measure, path,
p10, median, p90) and the scenario, and returns a figure with its own Agg canvas (no pyplot
state: the dashboard draws from many threads). Draw them inside :func:`sim.figures.looks.using`
with the slides look for a projector.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.figures.compare import (
    difference_axis,
    difference_floor,
    level_axis,
    measure_title,
)
from sim.figures.looks import current
from sim.figures.style import (
    BAND_ALPHA,
    actor_colour,
    actor_linestyle,
    canvas_figure,
)
from sim.scenario import Scenario

MEASURES = ("trust_in_patron", "alignment_economic", "alignment_security")


def _rows(paths: pd.DataFrame, actor: str, measure: str, path: str) -> pd.DataFrame:
    rows = paths[(paths["actor"] == actor) & (paths["measure"] == measure)
                 & (paths["path"] == path)]
    return rows.sort_values("month")


def _time_axis(ax: Axes, dates: pd.Series, rounds: Sequence[dt.date]) -> None:
    """Dates on the months played, and a thin line where each round starts."""
    first, last = dates.min(), dates.max()
    span = max(1, (last.year - first.year) * 12 + last.month - first.month)
    step = next(s for s in (1, 2, 3, 6, 12, 24) if span / s <= 5)
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.set_xlim(first, last if last > first else first + pd.Timedelta(days=28))
    for start in rounds:
        ax.axvline(pd.Timestamp(start), color="0.6", linewidth=0.8, linestyle=":", zorder=1,
                   gid="round-start")
    ax.grid(alpha=0.3)


def _level_axis(ax: Axes, measure: str, scenario: Scenario) -> None:
    ax.set_title(f"{measure_title(measure, scenario)}\n({level_axis(ax, measure, scenario)})")


def _difference_axis(ax: Axes, measure: str, scenario: Scenario) -> None:
    """Class minus scripted, at least +-0.05 of range so a tiny effect looks tiny (call it once
    the lines are drawn: it fixes the limits)."""
    ax.set_title(f"class - scripted, paired\n({difference_axis(ax, measure, scenario)})")
    difference_floor(ax, measure)


def _band(ax: Axes, rows: pd.DataFrame, actor: str, dashed: bool = False,
          shade: bool = True) -> None:
    x, colour = rows["date"].to_numpy(), actor_colour(actor)
    if shade:
        ax.fill_between(x, rows["p10"], rows["p90"], color=colour, alpha=BAND_ALPHA,
                        linewidth=0)
    style = (0, (2, 2)) if dashed else actor_linestyle(actor)
    width = current().line_width(actor) * (0.7 if dashed else 1.0)
    ax.plot(x, rows["median"], color=colour, linestyle=style, linewidth=width,
            gid=f"{actor}-{'scripted' if dashed else 'class'}")


def _legend(fig: Figure, scenario: Scenario, actors: Sequence[str], reference: bool) -> None:
    handles = [Line2D([], [], color=actor_colour(a), linestyle=actor_linestyle(a),
                      linewidth=current().line_width(a), label=scenario.actors[a].name)
               for a in actors]
    if reference:
        handles += [Line2D([], [], color="0.3", linewidth=2.5, label="solid: the class's path"),
                    Line2D([], [], color="0.3", linestyle=(0, (2, 2)), linewidth=2,
                           label="dashed: as scripted")]
    handles += [Patch(facecolor="grey", alpha=BAND_ALPHA * 2,
                      label="shading: 10-90% of replicates"),
                Line2D([], [], color="0.6", linestyle=":", label="dotted: a round starts")]
    fig.legend(handles=handles, loc="lower center", ncol=min(4, len(handles)), frameon=False)


def class_path_figure(paths: pd.DataFrame, scenario: Scenario, actors: Sequence[str],
                      rounds: Sequence[dt.date], title: str,
                      reference: bool = False) -> Figure:
    """Trust in the patron and both alignments of ``actors`` over the months played: the
    class's median and 10-90% band, and with ``reference`` the scripted median dashed."""
    fig = canvas_figure((15, 5.8))
    axes = fig.subplots(1, len(MEASURES))
    for ax, measure in zip(axes, MEASURES, strict=True):
        for actor in actors:
            _band(ax, _rows(paths, actor, measure, "class"), actor)
            if reference:
                _band(ax, _rows(paths, actor, measure, "scripted"), actor, dashed=True,
                      shade=False)
        _time_axis(ax, paths["date"], rounds)
        _level_axis(ax, measure, scenario)
    fig.suptitle(title)
    _legend(fig, scenario, actors, reference)
    fig.subplots_adjust(left=0.06, right=0.98, top=0.80, bottom=0.27, wspace=0.28)
    current().finish(fig)
    return fig


def debrief_figure(paths: pd.DataFrame, scenario: Scenario, actors: Sequence[str],
                   rounds: Sequence[dt.date], title: str) -> Figure:
    """Top: the class's path (solid, banded) and the scenario as scripted (dashed); bottom: the
    paired difference class - scripted (common random numbers), median and 10-90% band."""
    fig = canvas_figure((15, 10.5))
    axes = fig.subplots(2, len(MEASURES), sharex=True)
    for k, measure in enumerate(MEASURES):
        top, bottom = axes[0, k], axes[1, k]
        for actor in actors:
            _band(top, _rows(paths, actor, measure, "class"), actor)
            _band(top, _rows(paths, actor, measure, "scripted"), actor, dashed=True,
                  shade=False)
            _band(bottom, _rows(paths, actor, measure, "difference"), actor)
        for ax in (top, bottom):
            _time_axis(ax, paths["date"], rounds)
        _level_axis(top, measure, scenario)
        _difference_axis(bottom, measure, scenario)
    fig.suptitle(title)
    _legend(fig, scenario, actors, reference=True)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.88, bottom=0.16, wspace=0.3, hspace=0.42)
    current().finish(fig)
    return fig
