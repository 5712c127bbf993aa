"""What every figure shares: one colour per actor, the summary table's rows, dated time axes with
numbered events, and figures that need no display.

Used by :mod:`sim.figures.run` (a run's figures), :mod:`sim.figures.network` (relations at one
month) and :mod:`sim.figures.compare` (comparisons and attributions).
"""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis.tables import WITH_PARAMETERS, has_parameter_band
from sim.figures.looks import (
    FOCUS_GREY,
    REPORT,
    SLIDES_LINESTYLES,
    SLIDES_PALETTE,
    Look,
    current,
    using,
)
from sim.scenario import Scenario

# One colour per actor in every figure; actors a scenario adds fall back to tab20 by code.
PALETTE: dict[str, str] = {
    "US": "#1f3b73", "CHN": "#c0392b", "RUS": "#5b5b5b", "JPN": "#1f77b4", "KOR": "#ff7f0e",
    "AUS": "#2ca02c", "PHL": "#9467bd", "TWN": "#17becf", "EUR": "#8c564b", "UKR": "#bcbd22",
}
BAND_ALPHA = 0.18
DPI = 120
ALIGNMENT_CMAP = "RdBu"  # red = with the challenger (-1), blue = with the patron (+1)


def fallback_colours() -> list[str]:
    """Saturated qualitative colours, less greys (they would read as the band swatch), pale ones
    (unreadable as lines on white) and any close to a palette colour or one already picked."""
    taken = [np.array(to_rgb(c)) for c in PALETTE.values()]
    out = []
    for name in ("Dark2", "Set1", "Set2", "tab20"):
        for rgba in colormaps[name].colors:
            rgb = np.array(rgba[:3])
            luminance = rgb @ [0.2126, 0.7152, 0.0722]
            distinct = min(np.linalg.norm(t - rgb) for t in taken) > 0.2
            if np.ptp(rgb) > 0.1 and luminance < 0.7 and distinct:
                taken.append(rgb)
                out.append(to_hex(rgb))
    return out


FALLBACK_COLOURS = fallback_colours()


def actor_colour(code: str) -> str:
    """The actor's colour: from :data:`PALETTE`, else a stable pick by its code; in the slides
    look from its colour-blind-safe palette, and grey unless it is the focus actor (if any)."""
    look = current()
    if look.focus is not None and code != look.focus:
        return FOCUS_GREY
    if look.slides and code in SLIDES_PALETTE:
        return SLIDES_PALETTE[code]
    if code in PALETTE:
        return PALETTE[code]
    return FALLBACK_COLOURS[zlib.crc32(code.encode()) % len(FALLBACK_COLOURS)]


def actor_linestyle(code: str) -> str:
    """Solid, except in slides for actors whose colour alone could be confused with another's."""
    return SLIDES_LINESTYLES.get(code, "-") if current().slides else "-"


# --- the summary table -------------------------------------------------------------------------

def normalised(summary: pd.DataFrame) -> pd.DataFrame:
    """The table with real dates and "" partners (a summary read back from CSV has neither)."""
    if pd.api.types.is_datetime64_any_dtype(summary["date"]) and summary["partner"].notna().all():
        return summary
    return summary.assign(date=pd.to_datetime(summary["date"]),
                          partner=summary["partner"].fillna("").astype(str))


def series(summary: pd.DataFrame, measure: str, actor: str, partner: str = "") -> pd.DataFrame:
    """One actor's (and partner's) rows of one measure, by month."""
    rows = summary[(summary["measure"] == measure) & (summary["actor"] == actor)
                   & (summary["partner"] == partner)]
    if rows.empty:
        raise KeyError(f"no {measure!r} rows for {actor!r} (partner {partner!r}) in the summary")
    return rows.sort_values("month")


def final(summary: pd.DataFrame, measure: str, month: int | None = None) -> pd.DataFrame:
    """All rows of one measure at ``month`` (default: the last month)."""
    month = int(summary["month"].max()) if month is None else month
    rows = summary[(summary["measure"] == measure) & (summary["month"] == month)]
    if rows.empty:
        raise KeyError(f"no {measure!r} rows at month {month} in the summary")
    return rows


def band(ax: Axes, rows: pd.DataFrame, code: str, label: str, wide: bool = False) -> Line2D:
    """Median line and shaded 10-90% band of one series, in the actor's colour; with ``wide``,
    the band with parameter uncertainty too, lighter, around it."""
    x, colour, look = rows["date"].to_numpy(), actor_colour(code), current()
    if wide:
        ax.fill_between(x, rows[WITH_PARAMETERS[0]], rows[WITH_PARAMETERS[1]], color=colour,
                        alpha=BAND_ALPHA, linewidth=0)
    ax.fill_between(x, rows["p10"], rows["p90"], color=colour,
                    alpha=BAND_ALPHA * (3 if wide else 1), linewidth=0)
    (line,) = ax.plot(x, rows["median"], color=colour, linewidth=look.line_width(code),
                      linestyle=actor_linestyle(code), label=label, gid=code,
                      zorder=3 if code == look.focus else 2)
    return line


def band_patch(wide: bool = False) -> list[Patch]:
    """Legend entries for the shading: one band, or the noise-only band inside the wider one."""
    if not wide:
        return [Patch(facecolor="grey", alpha=BAND_ALPHA * 2,
                      label="shading: 10-90% of replicates")]
    return [Patch(facecolor="grey", alpha=BAND_ALPHA * 3, label="dark: 10-90%, noise only"),
            Patch(facecolor="grey", alpha=BAND_ALPHA, label="light: 10-90%, noise and "
                                                            "parameter uncertainty")]


def band_words(summary: pd.DataFrame, replicates: int) -> str:
    """The subtitle's account of the bands."""
    words = f"median and 10-90% band of {replicates} replicates"
    if has_parameter_band(summary):
        words += " (noise only; with parameter uncertainty: trust_bands.png)"
    return words


# --- time axes and events ----------------------------------------------------------------------

def date_axis(ax: Axes, scenario: Scenario, most: int = 8) -> None:
    """Month ticks labelled "Jan 2025", about ``most`` of them, on the scenario's horizon."""
    months = scenario.horizon_months
    step = next(s for s in (1, 2, 3, 4, 6, 12, 24, 60, 120) if months / s <= most)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, min(step, 12)),
                                                   interval=max(1, step // 12)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.set_xlim(scenario.start, scenario.month_date(months))


def dated_events(scenario: Scenario) -> list[tuple[dt.date, str]]:
    """Dated events (not stochastic ones) by month; events in the same month share one entry.
    An event whose date is assumed (``date_known: assumed``) is marked "(assumed)"."""
    by_month: dict[int, list[str]] = {}
    for timed in scenario.events:
        if timed.event.probability is None:
            mark = " (assumed)" if timed.event.date_known == "assumed" else ""
            by_month.setdefault(timed.first_month, []).append(timed.key + mark)
    return [(scenario.month_date(m), "; ".join(keys)) for m, keys in sorted(by_month.items())]


def mark_events(ax: Axes, scenario: Scenario, numbers: bool = True) -> str:
    """Thin dotted lines at dated events (dashed where every event of the month has an assumed
    date), numbered just above the axes; returns the key that says what each number is ("1 Feb
    2025: steel tariffs"), for the caller to place."""
    events = dated_events(scenario)
    if not events:
        return ""
    assumed = [all(k.endswith(" (assumed)") for k in text.split("; ")) for _, text in events]
    # collections, not Line2D, so ``ax.lines`` holds only the data
    for style, gid, pick in ((":", "events", False), ("--", "events-assumed", True)):
        dates = [d for (d, _), a in zip(events, assumed, strict=True) if a is pick]
        if dates:
            ax.vlines(dates, 0, 1, transform=ax.get_xaxis_transform(), colors="0.35",
                      linestyles=style, linewidths=0.9, zorder=1, gid=gid)
    if numbers:
        at = label_slots([time_fraction(scenario, d) for d, _ in events], ax, 9)
        for k, ((date, _), x) in enumerate(zip(events, at, strict=True), start=1):
            ax.annotate(str(k), xy=(date, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(x, 1.01), textcoords="axes fraction", ha="center",
                        va="bottom", fontsize=7.5, color="0.25", gid="event-number",
                        arrowprops=dict(arrowstyle="-", color="0.6", linewidth=0.5, shrinkA=0,
                                        shrinkB=0))
    return "\n".join(f"{k}  {date:%b %Y}: {text}" for k, (date, text) in enumerate(events, start=1))


KEY_WIDTH = 78  # characters a line of the event key, in two columns below the axes
KEY_TITLE = "dated events (dotted; dashed if the date is assumed):"
KEY_POINTS = 7.5  # the key's type size (slides raise it to the look's minimum)


def key_lines(key: str, width: int) -> list[list[str]]:
    """The key's entries (one a line, as :func:`mark_events` returns them), each wrapped to
    ``width`` characters with its continuation lines indented under the text."""
    return [textwrap.wrap(entry, width=width, subsequent_indent="     ")
            for entry in key.split("\n") if entry]


def event_key(ax: Axes, key: str, x: float = 0.0, y: float = -0.11, va: str = "top") -> None:
    """The key to the event numbers, below the axes in two columns (an audited year of events
    is too long to sit beside the legend in a report; :func:`event_key_beside` puts it there
    on slides)."""
    if not key:
        return
    entries = key_lines(key, KEY_WIDTH)
    # slides: one column (at projector type sizes two columns of 78 characters overlap), set
    # lower to clear the larger tick labels
    y -= 0.07 if current().slides else 0.0
    half = sum(len(e) for e in entries) / (1 if current().slides else 2)
    left, count = [], 0
    while entries and count + len(entries[0]) <= max(half, len(entries[0])):
        count += len(entries[0])
        left.append(entries.pop(0))
    for k, column in enumerate((left, entries)):
        text = "\n".join(line for entry in column for line in entry)
        ax.text(x + 0.5 * k, y, (KEY_TITLE + "\n" if k == 0 else "\n") + text,
                transform=ax.transAxes, ha="left", va=va, fontsize=KEY_POINTS, color="0.2",
                gid="event-key", linespacing=1.3)


# --- the key beside the plot (Look.key_beside: slides) ---------------------------------------

SLIDE_SIZE = (16.0, 9.0)  # inches: a projector's shape; the plot at the left, its key at the right
MIN_KEY_INCHES = 3.5  # narrower, the key would be a ribbon of short lines: the figure grows instead


def slide_layout(fig: Figure, left: float, right: float, top: float = 0.86,
                 bottom: float = 0.09) -> Figure:
    """Make ``fig`` a 16:9 slide (:data:`SLIDE_SIZE`) whose plot spans ``left`` to ``right``
    (figure fractions), leaving the column right of it for the legend and the event key
    (:func:`event_key_beside`)."""
    fig.set_size_inches(SLIDE_SIZE)
    fig.subplots_adjust(left=left, right=right, top=top, bottom=bottom)
    return fig


def event_key_beside(ax: Axes, key: str, under: Legend | None = None, right: float = 0.0,
                     gap: float = 12.0) -> None:
    """The key to the event numbers in one column beside the plot, each entry wrapped to the
    width left to the figure's right edge: the plot keeps the figure's whole height. The column
    starts ``gap`` points under ``under`` (the legend right of the plot), or without a legend at
    the top of ``ax``, ``right`` inches right of it."""
    if not key:
        return
    fig = ax.figure
    size = max(KEY_POINTS, current().min_font)
    if under is not None:
        left = under.get_bbox_to_anchor().x0 / fig.dpi  # inches from the figure's left edge
        place = dict(xy=(0.0, 0.0), xycoords=under, xytext=(0, -gap))
    else:
        left = ax.get_position().x1 * fig.get_figwidth() + right
        place = dict(xy=(1.0, 1.0), xycoords="axes fraction", xytext=(right * 72, 0))
    inches = max(MIN_KEY_INCHES, fig.get_figwidth() - left - 0.15)
    lines = [*wrapped([KEY_TITLE], size, inches * 72, indent=""),
             *wrapped(key.split("\n"), size, inches * 72)]
    ax.annotate("\n".join(lines), **place, textcoords="offset points", ha="left", va="top",
                fontsize=size, color="0.2", gid="event-key", linespacing=1.2,
                annotation_clip=False)


def slide_title(ax: Axes, text: str) -> str:
    """``text``, a title centred over ``ax``, with each line wrapped to fit inside the figure at
    the title's size, in a look with the key beside the plot (slides: a long title would widen
    the 16:9 figure); in other looks as it is."""
    if not current().key_beside:
        return text
    from matplotlib import rcParams

    size = FontProperties(size=rcParams["axes.titlesize"]).get_size_in_points()
    box, width = ax.get_position(), ax.figure.get_figwidth()
    centre = (box.x0 + box.x1) / 2 * width
    room = 2 * min(centre, width - centre) - 0.2  # inches
    return "\n".join(wrapped(text.split("\n"), size, room * 72, indent=""))


def wrapped(entries: list[str], size: float, points: float, indent: str = "     "
            ) -> list[str]:
    """``entries`` wrapped (continuation lines indented by ``indent``) to the most characters a
    line whose every line is at most ``points`` wide in the default font at ``size`` points."""
    chars = int(points / (0.4 * size))  # wider than any line can be: DejaVu averages 0.5 em
    while True:
        lines = [line for entry in entries
                 for line in textwrap.wrap(entry, width=chars, subsequent_indent=indent) or [""]]
        if chars <= 10 or max(text_width(line, size) for line in lines) <= points:
            return lines
        chars -= 1


def text_width(text: str, size: float) -> float:
    """The width of one line of ``text`` in points, in the default font at ``size`` points (the
    sum of its characters' advances: measured without drawing, hence without a renderer)."""
    return sum(_advance(char, size) for char in text)


@functools.cache
def _advance(char: str, size: float) -> float:
    font = get_font(findfont(FontProperties(size=size)))
    font.set_size(size, 72)
    return font.load_char(ord(char), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536


def time_fraction(scenario: Scenario, date: dt.date) -> float:
    """Where ``date`` falls on the scenario's time axis, 0 at the start, 1 at the horizon."""
    span = (scenario.month_date(scenario.horizon_months) - scenario.start).days
    return (date - scenario.start).days / max(1, span)


def label_slots(wanted: list[float], ax: Axes, points: float) -> list[float]:
    """Label positions (axes fraction, ascending) as near ``wanted`` as they can be while at
    least ``points`` apart, and no further right than the axes' edge."""
    gap = points / (ax.get_position().width * ax.figure.get_figwidth() * 72)
    at = list(wanted)
    for k in range(1, len(at)):
        at[k] = max(at[k], at[k - 1] + gap)
    if at and at[-1] > 1.0:
        at[-1] = 1.0
        for k in range(len(at) - 2, -1, -1):
            at[k] = min(at[k], at[k + 1] - gap)
    return at



def poles(scenario: Scenario) -> tuple[str, str]:
    """Short names of the challenger (-1) and the patron (+1): "China", "US"."""
    def short(code: str) -> str:
        name = scenario.actors[code].name
        return name if len(name) <= 8 else code
    return short(scenario.challenger), short(scenario.patron)



# --- figures ------------------------------------------------------------------------------------

def new_figure(size: tuple[float, float]) -> Figure:
    """A figure for interactive use (pyplot, so it shows in notebooks)."""
    from matplotlib import pyplot as plt

    return plt.figure(figsize=size)


def new_axes(size: tuple[float, float]) -> Axes:
    return new_figure(size).add_subplot()


def canvas_figure(size: tuple[float, float]) -> Figure:
    """A figure with its own Agg canvas: no display, no pyplot state, nothing to close."""
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig


# --- writing files ------------------------------------------------------------------------------

# fixed metadata: an SVG or PDF of the same figure is the same file
FIXED_METADATA = {".svg": {"Date": None}, ".pdf": {"CreationDate": None}}


def figure_files(path: Path, formats: Sequence[str] = ("png",)) -> list[Path]:
    """The files a figure named ``path`` (``plots/trust.png``) is written to: one per format."""
    return [path.with_suffix(f".{fmt}") for fmt in formats]


def write_drawn(size: tuple[float, float], draw: Callable[[Figure], object], path: Path,
                look: Look = REPORT, formats: Sequence[str] = ("png",),
                tight: bool = True) -> list[Path]:
    """Draw on a new canvas figure in ``look`` (``draw(fig)``), raise its type to the look's
    minimum, and write it in each of ``formats``; return the paths. ``tight``: crop to the
    drawing (``bbox_inches="tight"``)."""
    fig = canvas_figure(size)
    with using(look):
        draw(fig)
        look.finish(fig)
        paths = figure_files(Path(path), formats)
        for file in paths:
            fig.savefig(file, dpi=DPI, bbox_inches="tight" if tight else None,
                        metadata=None if file.suffix == ".png" else FIXED_METADATA[file.suffix])
    return paths
