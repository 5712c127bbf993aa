"""The Compare page's figure: A's and B's levels side by side (median and 10-90% band), the
paired difference B - A below them, and the time cursor across all three.

Drawn from the tables of :func:`sim.dashboard.comparison_runs.run_comparison` only, so moving
the cursor redraws without running anything. The difference axis keeps at least
:data:`DIFFERENCE_FLOOR` either side of zero and its title says how large the largest difference
is, so a tiny difference never fills the panel (the project's rule, as in
:mod:`sim.figures.compare`).
"""

from __future__ import annotations

import io

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim.dashboard.comparison_runs import (
    SHOWN,
    ComparisonView,
    format_difference,
    format_level,
    series,
)
from sim.evidence.actors import with_article
from sim.figures.compare import DIFFERENCE_FLOOR as COMPARED_FLOOR
from sim.figures.compare import SignedFormatter
from sim.figures.looks import Look, using
from sim.figures.style import BAND_ALPHA, canvas_figure, date_axis, mark_events, poles

# Okabe-Ito blue and vermillion: told apart with every common colour-blindness, and on a
# washed-out projector.
SIDE_COLOURS = {"A": "#0072B2", "B": "#D55E00"}
DIFFERENCE_COLOUR = "#333333"
CURSOR_COLOUR = "#000000"
# Half-height of the difference axis at least: a twentieth of the scale of the 0..1 and -1..+1
# measures (5 points of trust), a tenth of a point of GDP for defence spending.
DIFFERENCE_FLOOR = {**{m: 0.05 for m in SHOWN}, **COMPARED_FLOOR, "defence_spending": 0.1}
SIZE = (16.0, 9.0)  # inches: a 16:9 slide
PROJECTOR_SIZE = (16.0, 8.2)  # a little flatter, so it fits under the cursor on a 1080p screen
DPI = 100


def measure_title(measure: str, view: ComparisonView) -> str:
    scenario = view.scenarios[0]
    if measure == "trust_in_patron":
        return f"trust in {with_article(scenario.actors[scenario.patron].name)}"
    return SHOWN[measure][0]


def draw(view: ComparisonView, measure: str, actor: str, month: int | None,
         projector: bool = False) -> Figure:
    """The figure for one measure of one actor, the cursor at ``month`` (None: none yet, see
    :func:`place_cursor`); ``projector`` draws it in the slides look (large type, no text
    under 14 pt)."""
    look = Look("slides") if projector else Look("report")
    with using(look):
        fig = canvas_figure(PROJECTOR_SIZE if projector else SIZE)
        grid = fig.add_gridspec(2, 2, height_ratios=(1.15, 1.0), hspace=0.42, wspace=0.12,
                                left=0.1, right=0.965, top=0.86, bottom=0.08)
        top_a = fig.add_subplot(grid[0, 0])
        top_b = fig.add_subplot(grid[0, 1], sharey=top_a, sharex=top_a)
        bottom = fig.add_subplot(grid[1, :])  # its own ticks (shared axes share a locator)
        a_rows = series(view.levels, view.labels[0], measure, actor, view.scenarios[0])
        b_rows = series(view.levels, view.labels[1], measure, actor, view.scenarios[0])
        d_rows = series(view.differences, view.labels[1], measure, actor, view.scenarios[0])
        for ax, rows, other, key in ((top_a, a_rows, b_rows, "A"), (top_b, b_rows, a_rows, "B")):
            _level_panel(ax, rows, other, key, view, measure)
        top_b.tick_params(labelleft=False)
        _difference_panel(bottom, d_rows, view, measure)
        fig.suptitle(" ", fontsize=15)
        look.finish(fig)
    if month is not None:
        place_cursor(fig, view, measure, actor, month)
    return fig


CURSOR_GIDS = ("cursor", "cursor-dot", "cursor-value")


def place_cursor(fig: Figure, view: ComparisonView, measure: str, actor: str,
                 month: int) -> Figure:
    """Move the cursor of a :func:`draw` figure to ``month``: the line, the dots and values on
    each panel, and the title. Nothing else is drawn again (the page's cursor moves only this)."""
    top_a, top_b, bottom = fig.axes[:3]
    for ax in (top_a, top_b, bottom):
        for artist in [*ax.lines, *ax.texts]:
            if artist.get_gid() in CURSOR_GIDS:
                artist.remove()
    first = view.scenarios[0]
    for ax, table, key, fmt, colour in (
            (top_a, view.levels, 0, format_level, SIDE_COLOURS["A"]),
            (top_b, view.levels, 1, format_level, SIDE_COLOURS["B"]),
            (bottom, view.differences, 1, format_difference, DIFFERENCE_COLOUR)):
        rows = series(table, view.labels[key], measure, actor, first)
        _cursor(ax, rows, month, fmt(measure, rows["median"].iloc[month]), colour)
    name = first.actors[actor].name
    fig.suptitle(f"{name}: {measure_title(measure, view)} at {first.month_date(month):%b %Y} "
                 f"(black line)\nmedian and 10-90% band of {first.replicates} replicates per "
                 "side, the same random numbers on both sides", fontsize=15)
    return fig


def _level_panel(ax: Axes, rows: pd.DataFrame, other: pd.DataFrame, key: str,
                 view: ComparisonView, measure: str) -> None:
    scenario = view.scenarios[0 if key == "A" else 1]
    colour, x = SIDE_COLOURS[key], rows["date"].to_numpy()
    ax.fill_between(x, rows["p10"], rows["p90"], color=colour, alpha=BAND_ALPHA * 1.5,
                    linewidth=0)
    ax.plot(x, rows["median"], color=colour, linewidth=3, gid=f"median-{key}")
    other_key = "B" if key == "A" else "A"
    ax.plot(other["date"].to_numpy(), other["median"], color=SIDE_COLOURS[other_key],
            linewidth=1.5, linestyle="--", alpha=0.8, gid=f"median-{other_key}-ghost",
            label=f"{other_key}'s median, for reference")
    mark_events(ax, scenario, numbers=False)
    ax.set_title(f"{key}: {view.labels[0 if key == 'A' else 1]}", fontsize=14, color=colour,
                 loc="left", fontweight="bold")
    _level_axis(ax, measure, view, label=key == "A")
    ax.legend(loc="best", fontsize=11, frameon=False)
    _time_axis(ax, view, half_width=True)


def _difference_panel(ax: Axes, rows: pd.DataFrame, view: ComparisonView,
                      measure: str) -> None:
    x = rows["date"].to_numpy()
    ax.fill_between(x, rows["p10"], rows["p90"], color=DIFFERENCE_COLOUR,
                    alpha=BAND_ALPHA * 1.5, linewidth=0)
    ax.plot(x, rows["median"], color=DIFFERENCE_COLOUR, linewidth=3, gid="median-difference")
    ax.axhline(0, color="0.2", linewidth=1.0, zorder=1)
    floor = DIFFERENCE_FLOOR.get(measure, 0.05)
    low, high = min(rows["p10"].min(), -floor), max(rows["p90"].max(), floor)
    pad = 0.08 * (high - low)
    ax.set_ylim(low - pad, high + pad)
    ax.set_title(difference_title(rows, view, measure), fontsize=14, loc="left")
    if measure in ("trust_in_patron", "alliance_support"):
        ax.yaxis.set_major_formatter(SignedFormatter(scale=100.0, suffix=" pp"))
        unit = "percentage points"
    else:
        ax.yaxis.set_major_formatter(SignedFormatter())
        unit = _unit(measure, view)
    ax.set_ylabel(f"B - A\n({unit})")
    _time_axis(ax, view)


def difference_title(rows: pd.DataFrame, view: ComparisonView, measure: str) -> str:
    """What the difference panel shows, with the size of the largest median difference in words
    (so a tiny one is read as tiny)."""
    largest = rows.loc[rows["median"].abs().idxmax()]
    head = "B minus A, paired replicate by replicate"
    if float(rows[["p10", "p90"]].abs().to_numpy().max()) == 0.0:
        return f"{head}: identical at every month (same random numbers, same events)"
    size = abs(float(largest["median"]))
    floor = DIFFERENCE_FLOOR.get(measure, 0.05)
    words = "tiny" if size < floor / 5 else "small" if size < floor else "large"
    return (f"{head}: largest median difference {format_difference(measure, largest['median'])}"
            f" in {largest['date']:%b %Y} ({words}; axis at least "
            f"{format_difference(measure, floor).lstrip('+')} either side)")


def _cursor(ax: Axes, rows: pd.DataFrame, month: int, text: str, colour: str) -> None:
    row = rows.iloc[month]
    ax.axvline(row["date"], color=CURSOR_COLOUR, linewidth=2.0, zorder=4, gid="cursor")
    ax.plot([row["date"]], [row["median"]], marker="o", markersize=10, color=colour,
            markeredgecolor="white", zorder=5, gid="cursor-dot")
    right = month < len(rows) * 0.7  # the label on the side with room
    ax.annotate(text, (row["date"], row["median"]), xytext=(12 if right else -12, 12),
                textcoords="offset points", ha="left" if right else "right", fontsize=15,
                fontweight="bold", color=colour, zorder=6, gid="cursor-value",
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))


def _unit(measure: str, view: ComparisonView) -> str:
    if measure.startswith("alignment"):
        low, high = poles(view.scenarios[0])
        return f"-1 {low} .. +1 {high}"
    if measure == "trust_in_patron":
        return "share trusting, %"
    return SHOWN[measure][1]


def _level_axis(ax: Axes, measure: str, view: ComparisonView, label: bool) -> None:
    if measure in ("trust_in_patron", "alliance_support"):
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=None))
    elif measure == "defence_spending":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}%"))
    ax.margins(y=0.1)
    ax.grid(alpha=0.3)
    if label:
        ax.set_ylabel(f"{measure_title(measure, view)}\n({_unit(measure, view)})")


def _time_axis(ax: Axes, view: ComparisonView, half_width: bool = False) -> None:
    """Dated ticks; a half-width panel gets one a year, labelled with the year only (at
    projector sizes the six-monthly labels of :func:`date_axis` ran into each other)."""
    scenario = view.scenarios[0]
    date_axis(ax, scenario)
    if half_width and scenario.horizon_months > 24:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1]))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(alpha=0.3)


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # the fastest zlib level: a tenth larger, and a third of the time of the default
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
