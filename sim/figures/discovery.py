"""The peeling trajectory of a scenario discovery (:mod:`sim.analysis.discovery`).

Each box PRIM passes through is a point: its coverage (share of all points of interest inside it)
against its density (share of its points that are of interest), coloured by how many parameters
it restricts; the chosen box is ringed and labelled.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from sim.figures.looks import REPORT, Look, current
from sim.figures.style import new_axes, write_drawn


def plot_trajectory(trajectory: pd.DataFrame, chosen: int, ax: Axes | None = None,
                    condition: str = "", min_coverage: float | None = None) -> Axes:
    """Coverage vs density of every box on the trajectory, the chosen box marked (and the least
    coverage a box was chosen with, if given)."""
    ax = ax if ax is not None else new_axes((7.5, 5.5))
    if min_coverage is not None:
        ax.axvline(min_coverage, color="0.45", linestyle=":", linewidth=1, zorder=0,
                   label=f"least coverage for the chosen box ({min_coverage:.0%})")
    counts = sorted(trajectory["restricted"].unique())
    cmap = colormaps["viridis"]
    colour = {k: cmap(i / max(1, len(counts) - 1) * 0.8) for i, k in enumerate(counts)}
    ax.plot(trajectory["coverage"], trajectory["density"], color="0.75", linewidth=0.8,
            zorder=1)
    for k in counts:
        rows = trajectory[trajectory["restricted"] == k]
        ax.scatter(rows["coverage"], rows["density"], s=70 if current().slides else 26,
                   color=colour[k], zorder=2,
                   edgecolors="white", linewidths=0.4,
                   label=f"{k} parameter{'s' if k != 1 else ''} restricted")
    box = trajectory.iloc[chosen]
    ax.scatter([box["coverage"]], [box["density"]], s=160, facecolors="none",
               edgecolors="#c0392b", linewidths=2, zorder=3, gid="chosen")
    ax.annotate(f"chosen: box {chosen}\ncoverage {box['coverage']:.0%}, "
                f"density {box['density']:.0%}",
                xy=(box["coverage"], box["density"]), xytext=(-14, -12),
                textcoords="offset points", ha="right", va="top", fontsize=8.5,
                color="#c0392b")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlim(-0.02, 1.04)
    ax.set_ylim(-0.02, 1.04)
    ax.set_xlabel("coverage: points of interest inside the box (% of all points of interest)")
    ax.set_ylabel("density: points of interest in the box (% of the box's points)")
    title = "PRIM peeling trajectory"
    if condition:
        title += "\n" + textwrap.fill(f"points of interest: {condition}", width=80)
    ax.set_title(title, fontsize=10.5)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i].startswith("least coverage"))
    handles, labels = [handles[i] for i in order], [labels[i] for i in order]
    handles.append(Line2D([], [], marker="o", linestyle="", markersize=10,
                          markerfacecolor="none", markeredgecolor="#c0392b",
                          markeredgewidth=2))
    labels.append("chosen box")
    ax.legend(handles, labels, loc="lower left", fontsize=8.5, frameon=True,
              title="boxes on the trajectory", title_fontsize=8.5)
    ax.grid(True, color="0.92", linewidth=0.6)
    return ax


def write_trajectory_plot(trajectory: pd.DataFrame, chosen: int, path: Path,
                          condition: str = "", min_coverage: float | None = None,
                          look: Look = REPORT, formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """The trajectory as a file per format (``path`` with each suffix), drawn without a
    display; returns the paths."""
    def draw(fig) -> None:
        plot_trajectory(trajectory, chosen, fig.add_subplot(), condition, min_coverage)
        current().finish(fig)  # the larger type first, then the layout that fits it
        fig.tight_layout()

    size = (10, 7.5) if look.slides else (7.5, 5.5)
    return write_drawn(size, draw, path, look, formats, tight=False)
