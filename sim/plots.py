"""Plots of an ensemble's summary table (:func:`sim.results.quantiles`), one figure each.

Every ``plot_*`` function takes the summary table and the scenario, draws on ``ax`` (a new figure
when it is None) and returns the axes, or the figure for multi-panel plots. :func:`make_plots`
writes them all as PNGs. Each actor keeps one colour across figures (:func:`actor_colour`).

The model never imports this module; :func:`make_plots` draws on figures with their own Agg canvas,
so it needs no display and leaves pyplot's global backend alone.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from sim.actors import with_article
from sim.mechanics.hedging import KUIK_SPECTRUM
from sim.scenario import Scenario

if TYPE_CHECKING:  # the ensemble module runs the model; plots only read its record
    from sim.ensemble import Ensemble

# One colour per actor in every figure; actors a scenario adds fall back to tab20 by code.
PALETTE: dict[str, str] = {
    "US": "#1f3b73", "CHN": "#c0392b", "RUS": "#5b5b5b", "JPN": "#1f77b4", "KOR": "#ff7f0e",
    "AUS": "#2ca02c", "PHL": "#9467bd", "TWN": "#17becf", "EUR": "#8c564b", "UKR": "#bcbd22",
}
BAND_ALPHA = 0.18
DPI = 120
MAX_SPENDING_PCT = 10.0  # actors above this (Ukraine at war) would flatten everyone else's line
ALIGNMENT_CMAP = "RdBu"  # red = with the challenger (-1), blue = with the patron (+1)


def _fallback_colours() -> list[str]:
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


FALLBACK_COLOURS = _fallback_colours()


def actor_colour(code: str) -> str:
    """The actor's colour: from :data:`PALETTE`, else a stable pick by its code."""
    if code in PALETTE:
        return PALETTE[code]
    return FALLBACK_COLOURS[zlib.crc32(code.encode()) % len(FALLBACK_COLOURS)]


# --- the summary table -------------------------------------------------------------------------

def _normalised(summary: pd.DataFrame) -> pd.DataFrame:
    """The table with real dates and "" partners (a summary read back from CSV has neither)."""
    if pd.api.types.is_datetime64_any_dtype(summary["date"]) and summary["partner"].notna().all():
        return summary
    return summary.assign(date=pd.to_datetime(summary["date"]),
                          partner=summary["partner"].fillna("").astype(str))


def _series(summary: pd.DataFrame, measure: str, actor: str, partner: str = "") -> pd.DataFrame:
    """One actor's (and partner's) rows of one measure, by month."""
    rows = summary[(summary["measure"] == measure) & (summary["actor"] == actor)
                   & (summary["partner"] == partner)]
    if rows.empty:
        raise KeyError(f"no {measure!r} rows for {actor!r} (partner {partner!r}) in the summary")
    return rows.sort_values("month")


def _final(summary: pd.DataFrame, measure: str, month: int | None = None) -> pd.DataFrame:
    """All rows of one measure at ``month`` (default: the last month)."""
    month = int(summary["month"].max()) if month is None else month
    rows = summary[(summary["measure"] == measure) & (summary["month"] == month)]
    if rows.empty:
        raise KeyError(f"no {measure!r} rows at month {month} in the summary")
    return rows


def _band(ax: Axes, rows: pd.DataFrame, code: str, label: str) -> Line2D:
    """Median line and shaded 10-90% band of one series, in the actor's colour."""
    x, colour = rows["date"].to_numpy(), actor_colour(code)
    ax.fill_between(x, rows["p10"], rows["p90"], color=colour, alpha=BAND_ALPHA, linewidth=0)
    (line,) = ax.plot(x, rows["median"], color=colour, linewidth=1.8, label=label, gid=code)
    return line


def _band_patch() -> Patch:
    return Patch(facecolor="grey", alpha=BAND_ALPHA * 2, label="shading: 10-90% of replicates")


# --- time axes and events ----------------------------------------------------------------------

def _date_axis(ax: Axes, scenario: Scenario) -> None:
    """Month ticks labelled "Jan 2025", about eight of them, on the scenario's horizon."""
    months = scenario.horizon_months
    step = next(s for s in (1, 2, 3, 4, 6, 12, 24, 60, 120) if months / s <= 8)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, min(step, 12)),
                                                   interval=max(1, step // 12)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.set_xlim(scenario.start, scenario.month_date(months))


def _dated_events(scenario: Scenario) -> list[tuple[dt.date, str]]:
    """Dated events (not stochastic ones) by month; events in the same month share one entry."""
    by_month: dict[int, list[str]] = {}
    for timed in scenario.events:
        if timed.event.probability is None and timed.first_month <= scenario.horizon_months:
            by_month.setdefault(timed.first_month, []).append(timed.key)
    return [(scenario.month_date(m), "; ".join(keys)) for m, keys in sorted(by_month.items())]


def _mark_events(ax: Axes, scenario: Scenario, numbers: bool = True) -> str:
    """Thin dotted lines at dated events, numbered just above the axes; returns the key that
    says what each number is ("1 Feb 2025: steel tariffs"), for the caller to place."""
    events = _dated_events(scenario)
    if not events:
        return ""
    # a collection, not Line2D, so ``ax.lines`` holds only the data
    ax.vlines([d for d, _ in events], 0, 1, transform=ax.get_xaxis_transform(), colors="0.35",
              linestyles=":", linewidths=0.9, zorder=1, gid="events")
    if numbers:
        at = _label_slots([_time_fraction(scenario, d) for d, _ in events], ax, 9)
        for k, ((date, _), x) in enumerate(zip(events, at, strict=True), start=1):
            ax.annotate(str(k), xy=(date, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(x, 1.01), textcoords="axes fraction", ha="center",
                        va="bottom", fontsize=7.5, color="0.25", gid="event-number",
                        arrowprops=dict(arrowstyle="-", color="0.6", linewidth=0.5, shrinkA=0,
                                        shrinkB=0))
    return "\n".join(textwrap.fill(f"{k}  {date:%b %Y}: {text}", width=52,
                                   subsequent_indent="     ")
                     for k, (date, text) in enumerate(events, start=1))


def _event_key(ax: Axes, key: str, x: float = 1.01, y: float = 0.0, va: str = "bottom") -> None:
    """The key to the event numbers: by default beside the axes, below the legend."""
    if key:
        ax.text(x, y, "dated events (dotted lines):\n" + key, transform=ax.transAxes,
                ha="left", va=va, fontsize=7.5, color="0.2", gid="event-key", linespacing=1.3)


def _time_fraction(scenario: Scenario, date: dt.date) -> float:
    """Where ``date`` falls on the scenario's time axis, 0 at the start, 1 at the horizon."""
    span = (scenario.month_date(scenario.horizon_months) - scenario.start).days
    return (date - scenario.start).days / max(1, span)


def _label_slots(wanted: list[float], ax: Axes, points: float) -> list[float]:
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


# --- 1. trust in the patron --------------------------------------------------------------------

def plot_trust_in_patron(summary: pd.DataFrame, scenario: Scenario,
                         ax: Axes | None = None) -> Axes:
    """Each ally's and partner's trust in the patron over time: median and 10-90% band."""
    ax = _new_axes((11, 6)) if ax is None else ax
    summary, patron = _normalised(summary), scenario.patron
    for code in scenario.allies():
        _band(ax, _series(summary, "trust", code, patron), code, scenario.actors[code].name)
    patron_name = scenario.actors[patron].name
    ax.set_ylabel(f"Trust in {with_article(patron_name)} (share trusting, %)")
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_ylim(0, 1)
    ax.set_xlabel("month")
    ax.grid(axis="y", alpha=0.3)
    _date_axis(ax, scenario)
    _event_key(ax, _mark_events(ax, scenario))
    ax.set_title(f"{scenario.name}: trust in {with_article(patron_name)} by allies and partners\n"
                 f"median and 10-90% band of {scenario.replicates} replicates", pad=16)
    ax.legend(handles=[*ax.get_lines(), _band_patch()], title="trusting state",
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    return ax


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


def _poles(scenario: Scenario) -> tuple[str, str]:
    """Short names of the challenger (-1) and the patron (+1): "China", "US"."""
    def short(code: str) -> str:
        name = scenario.actors[code].name
        return name if len(name) <= 8 else code
    return short(scenario.challenger), short(scenario.patron)


def _alignment_panel(ax: Axes, summary: pd.DataFrame, scenario: Scenario, measure: str,
                     axis_name: str) -> None:
    _kuik_bands(ax, label=True)
    for code in scenario.allies():
        _band(ax, _series(summary, measure, code), code, scenario.actors[code].name)
    low, high = _poles(scenario)
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1], [f"-1 {low}", "-0.5", "0", "+0.5", f"+1 {high}"])
    ax.set_ylabel(f"{axis_name} alignment\n(-1 {low} .. +1 {high})")


def plot_alignment(summary: pd.DataFrame, scenario: Scenario,
                   axes: Sequence[Axes] | None = None) -> Figure:
    """Economic alignment, security alignment and the hedging index of allies and partners, in
    three panels sharing the time axis, over Kuik's spectrum."""
    if axes is None:
        axes = _new_figure((11, 10)).subplots(3, 1, sharex=True)
    economic, security, hedge = axes
    summary, fig = _normalised(summary), economic.figure
    _alignment_panel(economic, summary, scenario, "alignment_economic", "economic")
    _alignment_panel(security, summary, scenario, "alignment_security", "security")
    for code in scenario.allies():
        _band(hedge, _series(summary, "hedging", code), code, scenario.actors[code].name)
    hedge.set_ylim(0, 1)
    hedge.set_ylabel("hedging index\n(0 aligned .. 1 hedged)")
    hedge.set_xlabel("month")
    key = ""
    for ax in axes:
        _date_axis(ax, scenario)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(labelbottom=True)
        key = _mark_events(ax, scenario, numbers=ax is economic) or key
    economic.set_title(
        f"{scenario.name}: alignment and hedging of allies and partners\n"
        f"median and 10-90% band of {scenario.replicates} replicates; background: Kuik's "
        "spectrum (cut points on the mean of both axes, applied to each axis)",
        pad=16, fontsize=11)
    handles = [*economic.get_lines(), _band_patch()]
    hedge.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5,
                 frameon=False)
    _event_key(hedge, key, x=0.0, y=-0.22, va="top")
    fig.subplots_adjust(hspace=0.3)
    return fig


# --- 3. trust matrix ---------------------------------------------------------------------------

def plot_trust_matrix(summary: pd.DataFrame, scenario: Scenario, month: int | None = None,
                      ax: Axes | None = None) -> Axes:
    """Heatmap of the median trust of each row actor in each column actor at ``month`` (default:
    the last). Each annotation's ``gid`` is "TRUSTER->TRUSTEE"."""
    ax = _new_axes((9.5, 8)) if ax is None else ax
    summary, codes = _normalised(summary), list(scenario.actors)
    rows = _final(summary, "trust", month)
    matrix = rows.pivot(index="actor", columns="partner", values="median").reindex(
        index=codes, columns=codes)
    values = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    cmap = colormaps["YlGnBu"].with_extremes(bad="0.9")
    image = ax.imshow(values, cmap=cmap, vmin=0, vmax=1)
    for (i, j), v in np.ndenumerate(matrix.to_numpy(dtype=float)):
        if not np.isnan(v):
            ax.text(j, i, f"{round(v * 100):d}%", ha="center", va="center", fontsize=8,
                    color="white" if v > 0.55 else "black", gid=f"{codes[i]}->{codes[j]}")
    names = [scenario.actors[c].name for c in codes]
    ax.set_xticks(range(len(codes)), names, rotation=40, ha="right")
    ax.set_yticks(range(len(codes)), names)
    ax.set_xlabel("trustee (is trusted)")
    ax.set_ylabel("truster (row trusts column)")
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03,
                             format=PercentFormatter(xmax=1.0, decimals=0))
    bar.set_label("median trust (share of the public trusting, %)")
    ax.set_title(f"{scenario.name}: who trusts whom in {rows['date'].iloc[0]:%b %Y}\n"
                 f"median of {scenario.replicates} replicates")
    return ax


# --- 4. partnership network --------------------------------------------------------------------

GREW = 0.05  # a tie that grew this much since the start is drawn in colour
GREW_COLOUR = "tab:green"


def partnership_graph(summary: pd.DataFrame, scenario: Scenario, month: int | None = None,
                      threshold: float = 0.1) -> nx.Graph:
    """Actors as nodes (with their median security alignment) and an edge wherever the median tie
    strength, averaged over both directions, is at least ``threshold``; each edge also carries
    its change since the start (``growth``)."""
    summary = _normalised(summary)
    ties = _final(summary, "ties", month).pivot(index="actor", columns="partner", values="median")
    start = _final(summary, "ties", 0).pivot(index="actor", columns="partner", values="median")
    security = _final(summary, "alignment_security", month).set_index("actor")["median"]
    graph = nx.Graph()
    for code in scenario.actors:
        graph.add_node(code, alignment=float(security.get(code, np.nan)))
    codes = list(scenario.actors)
    for a, code in enumerate(codes):
        for other in codes[a + 1:]:
            tie = np.nanmean([ties.at[code, other], ties.at[other, code]])
            before = np.nanmean([start.at[code, other], start.at[other, code]])
            if tie >= threshold:
                graph.add_edge(code, other, tie=float(tie), growth=float(tie - before))
    return graph


def map_positions(scenario: Scenario) -> dict[str, np.ndarray]:
    """Node positions on a ring, each in its capital's compass direction from the map's centre
    (Pacific-centred map, ocean gaps shortened), spaced so labels never touch. On a ring every
    edge is a chord, so no edge passes behind a node it does not join."""
    codes = list(scenario.actors)
    lat = np.array([scenario.actors[c].location[0] for c in codes], dtype=float)
    lon = np.array([scenario.actors[c].location[1] for c in codes], dtype=float)
    lon = np.where(lon < -30.0, lon + 360.0, lon)  # the Americas east of the Pacific
    order = np.argsort(lon, kind="stable")
    x = np.empty_like(lon)
    x[order] = np.concatenate([[0.0], np.cumsum(np.minimum(np.diff(lon[order]), 30.0))])
    # From the middle of the map's bounding box, Asia's cluster lies north and stays together.
    angle = np.arctan2(lat - (lat.min() + lat.max()) / 2, x - (x.min() + x.max()) / 2)
    angle = _spread_angles(angle, 2 * np.pi / len(codes) * 0.8)
    return {c: np.array([1.4 * np.cos(a), np.sin(a)]) for c, a in zip(codes, angle, strict=True)}


def _spread_angles(angle: np.ndarray, gap: float, rounds: int = 500) -> np.ndarray:
    """Push neighbours on the circle apart until each pair is ``gap`` radians apart or more
    (deterministic: fixed order, no randomness)."""
    order = np.argsort(angle, kind="stable")
    a = angle[order].copy()
    for _ in range(rounds):
        diffs = np.diff(np.append(a, a[0] + 2 * np.pi))
        short = diffs < gap - 1e-9
        if not short.any():
            break
        for k in np.flatnonzero(short):
            push = (gap - diffs[k]) / 2
            a[k] -= push
            a[(k + 1) % len(a)] += push
    out = np.empty_like(a)
    out[order] = a
    return out


def _tie_width(tie: float) -> float:
    return 0.5 + 6.0 * tie


def plot_partnership_network(summary: pd.DataFrame, scenario: Scenario,
                             month: int | None = None, threshold: float = 0.1,
                             ax: Axes | None = None) -> Axes:
    """The network of partnership ties at ``month`` (default: the last): edge width by median tie
    strength, node colour by median security alignment, nodes roughly where the capitals are."""
    ax = _new_axes((11, 7.5)) if ax is None else ax
    graph = partnership_graph(summary, scenario, month, threshold)
    pos = map_positions(scenario)
    for a, b, data in graph.edges(data=True):
        grew = data["growth"] >= GREW
        ax.plot(*np.transpose([pos[a], pos[b]]), color=GREW_COLOUR if grew else "0.45",
                alpha=0.75 if grew else 0.55, zorder=1, linewidth=_tie_width(data["tie"]),
                solid_capstyle="round", gid=f"{a}-{b}")
    norm, cmap = Normalize(-1, 1), colormaps[ALIGNMENT_CMAP]
    alignment = [graph.nodes[c]["alignment"] for c in graph.nodes]
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=alignment, cmap=cmap, vmin=-1, vmax=1,
                           node_size=1100, edgecolors="white", linewidths=3.0).set_zorder(2)
    for code, a in zip(graph.nodes, alignment, strict=True):
        ax.text(*pos[code], code, ha="center", va="center", fontsize=9, fontweight="bold",
                color="white" if abs(a) > 0.55 else "black", zorder=3)
    bar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, fraction=0.035, pad=0.02)
    low, high = _poles(scenario)
    bar.set_label(f"security alignment (-1 {low}, +1 {high})")
    handles = [Line2D([], [], color="0.45", alpha=0.55, linewidth=_tie_width(t),
                      label=f"tie {t:g}") for t in (0.25, 0.5, 1.0)]
    handles.append(Line2D([], [], color=GREW_COLOUR, alpha=0.75, linewidth=_tie_width(0.5),
                          label=f"grew by {GREW:g} or more since the start"))
    ax.legend(handles=handles, title="median tie strength", loc="lower left", fontsize=8,
              frameon=False)
    ax.set_axis_off()
    ax.margins(0.08)
    date = _final(_normalised(summary), "ties", month)["date"].iloc[0]
    ax.set_title(f"{scenario.name}: partnership ties in {date:%b %Y} (median of "
                 f"{scenario.replicates} replicates; ties >= {threshold:g})\nstates on a ring in "
                 "the direction of their capitals; the patron's alliances are commitments, "
                 "not ties", fontsize=11)
    return ax


# --- 5. defence spending -----------------------------------------------------------------------

def plot_defence_spending(summary: pd.DataFrame, scenario: Scenario,
                          ax: Axes | None = None) -> Axes:
    """Allies' and partners' defence spending (median and band), their own plans (dashed) and the
    patron's demands (red dotted). Actors above :data:`MAX_SPENDING_PCT` are left out and named."""
    ax = _new_axes((11, 6)) if ax is None else ax
    summary = _normalised(summary)
    shown, left_out, highs = [], [], []
    for code in scenario.allies():
        rows = _series(summary, "defence_spending", code)
        if rows["p90"].max() > MAX_SPENDING_PCT:
            left_out.append(f"{scenario.actors[code].name} (~{rows['median'].iloc[-1]:.0f}%)")
            continue
        highs.append(rows["p90"].max())
        shown.append(_band(ax, rows, code, scenario.actors[code].name))
        plan = _plan_line(ax, scenario, code)
        if plan is not None:
            shown.append(plan)
    shown += _mark_demands(ax, scenario)
    top = max([1.0, *(np.max(line.get_ydata()) for line in shown), *highs])
    ax.set_ylim(0, min(MAX_SPENDING_PCT, top * 1.15))
    ax.set_ylabel("defence spending (% of GDP)")
    ax.set_xlabel("month")
    ax.grid(axis="y", alpha=0.3)
    _date_axis(ax, scenario)
    _event_key(ax, _mark_events(ax, scenario))
    note = f"; not shown, off the scale: {', '.join(left_out)}" if left_out else ""
    ax.set_title(f"{scenario.name}: defence spending of allies and partners\nmedian and 10-90% "
                 f"band of {scenario.replicates} replicates{note}", pad=16)
    ax.legend(handles=[*shown, _band_patch()], loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=9, frameon=False)
    return ax


def _plan_line(ax: Axes, scenario: Scenario, code: str) -> Line2D | None:
    """The actor's own plan, interpolated by month and held flat beyond its points."""
    spec = scenario.actors[code]
    if not spec.defence_plan:
        return None
    months = np.arange(scenario.horizon_months + 1)
    at = [(p.date.year - scenario.start.year) * 12 + p.date.month - scenario.start.month
          for p in spec.defence_plan]
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


# --- writing the files -------------------------------------------------------------------------

def _new_figure(size: tuple[float, float]) -> Figure:
    """A figure for interactive use (pyplot, so it shows in notebooks)."""
    from matplotlib import pyplot as plt

    return plt.figure(figsize=size)


def _new_axes(size: tuple[float, float]) -> Axes:
    return _new_figure(size).add_subplot()


def _canvas_figure(size: tuple[float, float]) -> Figure:
    """A figure with its own Agg canvas: no display, no pyplot state, nothing to close."""
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig


Drawing = Callable[[pd.DataFrame, Scenario, Figure], object]

# The files make_plots writes: name, size in inches, and how to draw it on an empty figure.
FIGURES: tuple[tuple[str, tuple[float, float], Drawing], ...] = (
    ("trust_in_patron.png", (11, 6),
     lambda summary, scenario, fig: plot_trust_in_patron(summary, scenario, fig.add_subplot())),
    ("alignment.png", (11, 10),
     lambda summary, scenario, fig: plot_alignment(summary, scenario,
                                                   fig.subplots(3, 1, sharex=True))),
    ("trust_matrix.png", (9.5, 8),
     lambda summary, scenario, fig: plot_trust_matrix(summary, scenario, ax=fig.add_subplot())),
    ("partnership_network.png", (11, 7.5),
     lambda summary, scenario, fig: plot_partnership_network(summary, scenario,
                                                             ax=fig.add_subplot())),
    ("defence_spending.png", (11, 6),
     lambda summary, scenario, fig: plot_defence_spending(summary, scenario, fig.add_subplot())),
)
FILES = tuple(name for name, _, _ in FIGURES)


def make_plots(ensemble: Ensemble, summary: pd.DataFrame, folder: Path) -> list[Path]:
    """Write the standard plots (:data:`FILES`) of an ensemble into ``folder``; return the paths.

    ``summary`` is :func:`sim.results.quantiles` of the ensemble. Figures are drawn on their own
    Agg canvas (headless, no pyplot state), so nothing is left open afterwards.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, size, draw in FIGURES:
        fig = _canvas_figure(size)
        draw(summary, ensemble.scenario, fig)
        fig.savefig(folder / name, dpi=DPI, bbox_inches="tight")
        paths.append(folder / name)
    return paths
