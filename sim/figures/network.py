"""Relations at one month: who trusts whom (a heatmap) and the partnership network."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from sim.figures.looks import current
from sim.figures.style import ALIGNMENT_CMAP, final, new_axes, normalised, poles
from sim.scenario import Scenario

NODE_AREA, LABEL_POINTS = 1100, 9  # a node holds its three-letter code at this size

# --- 3. trust matrix ---------------------------------------------------------------------------

def plot_trust_matrix(summary: pd.DataFrame, scenario: Scenario, month: int | None = None,
                      ax: Axes | None = None) -> Axes:
    """Heatmap of the median trust of each row actor in each column actor at ``month`` (default:
    the last). Each annotation's ``gid`` is "TRUSTER->TRUSTEE"."""
    ax = new_axes((9.5, 8)) if ax is None else ax
    summary, codes = normalised(summary), list(scenario.actors)
    rows = final(summary, "trust", month)
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
    summary = normalised(summary)
    ties = final(summary, "ties", month).pivot(index="actor", columns="partner", values="median")
    start = final(summary, "ties", 0).pivot(index="actor", columns="partner", values="median")
    security = final(summary, "alignment_security", month).set_index("actor")["median"]
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


ALLIANCE_COLOUR = "tab:blue"
TIER_STYLE = {"treaty": (2.4, (0, (5, 2))), "access": (1.6, (0, (3, 2))),
              "partnership": (1.0, (0, (1, 2)))}  # width, dash pattern: firmer tiers, bolder


def draw_alliances(ax: Axes, scenario: Scenario, pos: dict[str, np.ndarray]) -> list[Line2D]:
    """Hub and spokes: a blue broken line from the patron to each state it is committed to, styled
    by the tier of its commitment; returns the legend handles for the tiers drawn."""
    patron, drawn = scenario.patron, []
    for code, spec in scenario.actors.items():
        style = TIER_STYLE.get(spec.commitment)
        if code == patron or style is None:
            continue
        ax.plot(*np.transpose([pos[patron], pos[code]]), color=ALLIANCE_COLOUR, alpha=0.8,
                linewidth=style[0], linestyle=style[1], zorder=1.5, gid=f"alliance-{code}")
        drawn.append(spec.commitment)
    return [Line2D([], [], color=ALLIANCE_COLOUR, alpha=0.8, linewidth=TIER_STYLE[t][0],
                   linestyle=TIER_STYLE[t][1], label=f"{patron} commitment: {t}")
            for t in TIER_STYLE if t in drawn]


def _tie_width(tie: float) -> float:
    return 0.5 + 6.0 * tie


def plot_partnership_network(summary: pd.DataFrame, scenario: Scenario,
                             month: int | None = None, threshold: float = 0.1,
                             ax: Axes | None = None) -> Axes:
    """The network of partnership ties at ``month`` (default: the last): edge width by median tie
    strength, node colour by median security alignment, nodes roughly where the capitals are."""
    ax = new_axes((11, 7.5)) if ax is None else ax
    graph = partnership_graph(summary, scenario, month, threshold)
    pos = map_positions(scenario)
    for a, b, data in graph.edges(data=True):
        grew = data["growth"] >= GREW
        ax.plot(*np.transpose([pos[a], pos[b]]), color=GREW_COLOUR if grew else "0.45",
                alpha=0.75 if grew else 0.55, zorder=1, linewidth=_tie_width(data["tie"]),
                solid_capstyle="round", gid=f"{a}-{b}")
    alliances = draw_alliances(ax, scenario, pos)
    norm, cmap = Normalize(-1, 1), colormaps[ALIGNMENT_CMAP]
    alignment = [graph.nodes[c]["alignment"] for c in graph.nodes]
    label_size = max(LABEL_POINTS, current().min_font)  # slides raise every text
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=alignment, cmap=cmap, vmin=-1, vmax=1,
                           node_size=NODE_AREA * (label_size / LABEL_POINTS) ** 2,
                           edgecolors="white", linewidths=3.0).set_zorder(2)
    for code, a in zip(graph.nodes, alignment, strict=True):
        ax.text(*pos[code], code, ha="center", va="center", fontsize=label_size,
                fontweight="bold",
                color="white" if abs(a) > 0.55 else "black", zorder=3)
    bar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, fraction=0.035, pad=0.02)
    low, high = poles(scenario)
    bar.set_label(f"security alignment (-1 {low}, +1 {high})")
    handles = [Line2D([], [], color="0.45", alpha=0.55, linewidth=_tie_width(t),
                      label=f"tie {t:g}") for t in (0.25, 0.5, 1.0)]
    handles.append(Line2D([], [], color=GREW_COLOUR, alpha=0.75, linewidth=_tie_width(0.5),
                          label=f"grew by {GREW:g} or more since the start"))
    # below the ring, in three columns: inside the axes it sat on nodes and ties
    ax.legend(handles=handles + alliances, title="median tie strength; the patron's alliances",
              loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8,
              frameon=False)
    ax.set_axis_off()
    ax.margins(0.08)
    date = final(normalised(summary), "ties", month)["date"].iloc[0]
    ax.set_title(f"{scenario.name}: partnership ties in {date:%b %Y} (median of "
                 f"{scenario.replicates} replicates; ties >= {threshold:g})\nstates on a ring in "
                 "the direction of their capitals; blue broken lines: the patron's commitments "
                 "(hub and spokes)", fontsize=11)
    return ax


