"""Plots of a sensitivity analysis (:mod:`sim.analysis.sensitivity`): one outcome per figure.

Parameters are horizontal bars, most important at the top, with their 95% bootstrap intervals:
Sobol's ST (with interactions) and S1 (alone) side by side; Morris's mu* (importance) with sigma
(spread of the effects) as a second marker. An index whose interval is wider than itself is marked
and explained under the axes: the sweep cannot tell it from zero.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

from sim.analysis.experiments.sensitivity import describe_outcome, ranked
from sim.figures.looks import REPORT, Look, current
from sim.figures.style import new_axes, write_drawn

COLOURS = {"ST": "#3b6ea5", "S1": "#a9c6e8", "mu_star": "#3b6ea5", "sigma": "#c0392b"}
# slides: Okabe & Ito's blue, sky blue and vermillion
SLIDES_COLOURS = {"ST": "#0072B2", "S1": "#56B4E9", "mu_star": "#0072B2", "sigma": "#D55E00"}
UNSURE = "\u2020"  # dagger: the interval is wider than the index
ROW = 0.42  # inches per parameter
SLIDES_ROW = 0.75  # two bars with labels in large type


def colours() -> dict[str, str]:
    return SLIDES_COLOURS if current().slides else COLOURS


def _rows(table: pd.DataFrame, outcome: str, index: str, order: list[str]) -> pd.DataFrame:
    rows = table[(table["outcome"] == outcome) & (table["index"] == index)]
    if rows.empty:
        raise KeyError(f"no {index!r} rows for outcome {outcome!r}")
    return rows.set_index("parameter").loc[order]


def _bars(ax: Axes, rows: pd.DataFrame, y: np.ndarray, height: float, colour: str,
          label: str, span: float, digits: int = 2) -> list[str]:
    """Bars with interval whiskers, each labelled with its value (and a dagger when its interval
    is wider than the bar); returns the parameters so marked. A label goes inside its bar, at the
    base, when the bar is long enough (a fifth of ``span``), else beyond the whisker."""
    conf = rows["conf"].fillna(0.0).to_numpy()
    ax.barh(y, rows["value"], height=height, color=colour, label=label, gid=label)
    ax.errorbar(rows["value"], y, xerr=conf, fmt="none", ecolor="0.1", elinewidth=1, capsize=2.5)
    unsure = conf > np.abs(rows["value"].to_numpy())
    for yk, value, c, flag in zip(y, rows["value"], conf, unsure, strict=True):
        text = f"{value:.{digits}f}" + (f" {UNSURE}" if flag else "")
        if value > span / 5:
            ax.annotate(text, xy=(0, yk), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=7.5, color=_ink(colour), fontweight="bold")
        else:
            ax.annotate(text, xy=(max(value, 0) + c, yk), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=7.5, color="0.25")
    return [p for p, flag in zip(rows.index, unsure, strict=True) if flag]


def _ink(colour: str) -> str:
    """Text colour that reads on a bar of ``colour``: white on dark, near-black on light."""
    return "white" if np.dot(to_rgb(colour), [0.2126, 0.7152, 0.0722]) < 0.5 else "0.1"


def _finish(ax: Axes, outcome: str, method_line: str, order: list[str], unsure: list[str],
            xlabel: str) -> Axes:
    ax.set_yticks(np.arange(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)  # most important at the top
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_title(f"{describe_outcome(outcome)}\n{method_line}", fontsize=10.5, loc="left")
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    bars_first = sorted(zip(handles, labels, strict=True), key=lambda h: isinstance(h[0], Line2D))
    ax.legend(*zip(*bars_first, strict=True), loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=8.5, frameon=False)
    if unsure:
        note = (f"{UNSURE} interval wider than the index itself: the sweep cannot tell "
                f"{', '.join(dict.fromkeys(unsure))} from no effect (more samples would)")
        ax.text(1.02, 0.0, textwrap.fill(note, 36), transform=ax.transAxes, fontsize=8,
                color="0.25", va="bottom", gid="unsure-note")
    return ax


def plot_sobol(table: pd.DataFrame, outcome: str, replicates: int | None = None,
               ax: Axes | None = None) -> Axes:
    """ST and S1 of one outcome, side by side per parameter, sorted by ST."""
    order = ranked(table, "sobol", outcome)
    ax = ax or new_axes((6.5, 1.6 + ROW * len(order)))
    y = np.arange(len(order))
    unsure = _bars(ax, _rows(table, outcome, "ST", order), y - 0.19, 0.38, colours()["ST"],
                   "ST: total, with interactions", span=1.0)
    unsure += _bars(ax, _rows(table, outcome, "S1", order), y + 0.19, 0.38, colours()["S1"],
                    "S1: first order, alone", span=1.0)
    ax.set_xlim(min(0.0, ax.get_xlim()[0]), max(1.0, ax.get_xlim()[1]))
    return _finish(ax, outcome, _method_line("Sobol indices", replicates), order, unsure,
                   "share of the variance of the expected outcome over the sweep's ranges\n"
                   "(whiskers: 95% bootstrap interval)")


def plot_morris(table: pd.DataFrame, outcome: str, replicates: int | None = None,
                ax: Axes | None = None) -> Axes:
    """mu* bars (with interval) and sigma markers of one outcome, sorted by mu*."""
    order = ranked(table, "morris", outcome)
    ax = ax or new_axes((6.5, 1.6 + ROW * len(order)))
    y = np.arange(len(order))
    mu_star = _rows(table, outcome, "mu_star", order)
    digits = max(0, 2 - int(np.floor(np.log10(max(mu_star["value"].max(), 1e-12)))))
    span = float((mu_star["value"] + mu_star["conf"].fillna(0.0)).max())
    unsure = _bars(ax, mu_star, y, 0.6, colours()["mu_star"],
                   "mu*: mean absolute effect\n(importance)", span, digits=min(digits, 6))
    sigma = _rows(table, outcome, "sigma", order)
    ax.plot(sigma["value"], y, linestyle="none", marker="D", markersize=6,
            color=colours()["sigma"], label="sigma: spread of the effects\n(non-linear or "
                                          "interacting)", gid="sigma")
    return _finish(ax, outcome, _method_line("Morris elementary effects", replicates), order,
                   unsure, "effect on the expected outcome of a change in the parameter, scaled\n"
                           "to its whole range (whiskers: 95% bootstrap interval on mu*)")


def _method_line(method: str, replicates: int | None) -> str:
    mean = f"mean of {replicates} replicates per point" if replicates else "mean of replicates"
    return f"{method} of the expected outcome ({mean})"


PLOTTERS = {"sobol": plot_sobol, "morris": plot_morris}


def file_name(outcome: str) -> str:
    """A file name for the outcome's plot: ``trust_JPN_US_2025-07.png``."""
    safe = "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in outcome).strip("._")
    return f"{safe[:120] or 'outcome'}.png"


def make_sensitivity_plots(table: pd.DataFrame, method: str, folder: Path,
                           replicates: int | None = None, look: Look = REPORT,
                           formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """One figure per outcome in ``folder`` (created), in ``look`` and each of ``formats``;
    returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    names: list[Path] = []
    paths: list[Path] = []
    row = SLIDES_ROW if look.slides else ROW
    for outcome in table["outcome"].drop_duplicates():
        parameters = len(ranked(table, method, outcome))
        path = folder / file_name(outcome)
        if path in names:  # two names that differ only in punctuation
            path = path.with_stem(f"{path.stem}-{len(names) + 1}")
        names.append(path)
        paths += write_drawn(
            (6.5, 1.6 + row * parameters),
            lambda fig, outcome=outcome: PLOTTERS[method](table, outcome, replicates,
                                                          ax=fig.add_subplot()),
            path, look, formats)
    return paths
