"""The ensemble's charts on a page: the figures ``sim run`` draws, as image bytes.

Each :class:`Chart` is one of the run's figures (:data:`sim.figures.run.FIGURES`), drawn by the
same function from the same summary table (:func:`sim.analysis.tables.quantiles`), so the page
and a run folder show the same pictures. A chart needs only its own measures
(:attr:`Chart.measures`), which makes its summary cheap.

For the screen, :func:`screen_png` draws at a lower resolution and remembers each chart's layout
(the box ``bbox_inches="tight"`` finds, which costs a second pass of drawing) as long as the
figure's texts are the same: moving a slider changes the lines, not the titles and legends.
:func:`figure_file` draws a file exactly as ``sim run`` writes it (PNG, SVG or PDF).

Matplotlib's type sizes for slides are set through its global ``rcParams``
(:func:`sim.figures.looks.using`), so two sessions drawing at once in different looks would mix
them: every drawing here holds :data:`DRAWING`, a lock for the process's one matplotlib.
"""

from __future__ import annotations

import io
import tempfile
import threading
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.evidence.actors import with_article
from sim.figures.looks import Look, using
from sim.scenario import Scenario

SCREEN_DPI = 100  # an 11-inch figure is 1,100 pixels wide: a projector's width
LAYOUT_MARGIN = 0.15  # inches around a remembered layout (a tick label a digit wider)
DRAWING = threading.Lock()  # matplotlib's rcParams are global: one drawing at a time


@dataclass(frozen=True)
class Chart:
    """One of the run's figures: ``key`` for code, ``title`` for its tab, ``file`` as named in
    :data:`sim.figures.run.FIGURES`, and the summary ``measures`` it reads."""

    key: str
    title: str
    file: str
    measures: tuple[str, ...]

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".png")


CHARTS: tuple[Chart, ...] = (
    Chart("trust", "Trust in the patron", "trust_in_patron.png", ("trust",)),
    Chart("alignment", "Alignment (Kuik)", "alignment.png",
          ("alignment_economic", "alignment_security", "hedging")),
    Chart("defence", "Defence spending", "defence_spending.png", ("defence_spending",)),
    Chart("network", "Alliances and ties", "partnership_network.png",
          ("ties", "alignment_security")),
    Chart("matrix", "Trust matrix", "trust_matrix.png", ("trust",)),
)
BY_KEY = {c.key: c for c in CHARTS}


def _drawing(file: str) -> tuple[tuple[float, float], Callable]:
    from sim.figures import run

    return next((size, draw) for name, size, draw in run.FIGURES if name == file)


def screen_png(chart: Chart, summary: pd.DataFrame, scenario: Scenario, look: Look,
               layouts: MutableMapping | None = None, dpi: int = SCREEN_DPI) -> bytes:
    """``chart`` as PNG bytes for the page, drawn in ``look``.

    ``layouts`` (a dict the caller keeps, e.g. per session) remembers each chart's tight box by
    the figure's texts, so an unchanged layout is drawn once instead of twice.
    """
    from matplotlib.text import Text

    from sim.figures.style import canvas_figure

    size, draw = _drawing(chart.file)
    with DRAWING:
        fig = canvas_figure(size)
        with using(look):
            draw(summary, scenario, fig)
            look.finish(fig)
            texts = (chart.key, look, dpi, tuple(t.get_text() for t in fig.findobj(Text)))
            box = None if layouts is None else layouts.get(texts)
            out = io.BytesIO()
            fig.savefig(out, format="png", dpi=dpi, bbox_inches=box or "tight",
                        pil_kwargs={"compress_level": 1})  # a quarter faster, a little larger
            if layouts is not None and box is None:
                renderer = fig.canvas.get_renderer()
                layouts[texts] = fig.get_tightbbox(renderer).padded(LAYOUT_MARGIN)
    return out.getvalue()


def figure_file(chart: Chart, summary: pd.DataFrame, scenario: Scenario, look: Look,
                fmt: str = "png") -> bytes:
    """``chart`` as the file ``sim run --formats FMT`` writes (same size, resolution, metadata)."""
    from sim.figures.run import write_figure

    with DRAWING, tempfile.TemporaryDirectory(prefix="alliance-sim-figure-") as folder:
        (path,) = write_figure(chart.file, summary, scenario, Path(folder), look, (fmt,))
        return path.read_bytes()


MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


# --- a light chart for one run, drawn as SVG text (no matplotlib: a month must take < 100 ms) --

SVG_WIDTH, SVG_HEIGHT = 1150, 460
_PLOT = {"left": 80, "right": 820, "top": 50, "bottom": 400}  # the axes' box, in pixels
DASHES = {"--": "10 6", "-.": "10 5 3 5", ":": "3 5"}


def trajectory_svg(series: dict[str, list[float]], scenario: Scenario, title: str,
                   focus: str | None = None) -> str:
    """Each ally's trust in the patron so far (``series``: code -> values from month 0), on a
    time axis spanning the scenario's horizon, 0-100%, in the slides palette and line styles."""
    from sim.figures.style import actor_colour, actor_linestyle

    left, right, top, bottom = (_PLOT[k] for k in ("left", "right", "top", "bottom"))
    horizon = max(scenario.horizon_months, 1)

    def x(month: int) -> float:
        return left + (right - left) * month / horizon

    def y(value: float) -> float:
        return bottom - (bottom - top) * value

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" '
             f'width="100%" role="img" aria-label="{_escape(title)}" '
             'style="font-family: DejaVu Sans, Arial, sans-serif; max-width: 1250px">',
             f'<text x="{left}" y="28" font-size="21" font-weight="bold">{_escape(title)}</text>']
    for level in range(0, 101, 20):
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y(level / 100):.1f}" '
                     f'y2="{y(level / 100):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 8}" y="{y(level / 100) + 6:.1f}" font-size="17" '
                     f'text-anchor="end">{level}%</text>')
    for month in range(0, horizon + 1, 12 if horizon > 24 else 3):
        parts.append(f'<line x1="{x(month):.1f}" x2="{x(month):.1f}" y1="{bottom}" '
                     f'y2="{bottom + 6}" stroke="#333"/><text x="{x(month):.1f}" '
                     f'y="{bottom + 26}" font-size="17" text-anchor="middle">'
                     f'{scenario.month_date(month):%b %Y}</text>')
    parts.append(f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
                 'fill="none" stroke="#333"/>')
    with DRAWING, using(Look("slides", focus)):
        styles = {code: (actor_colour(code), actor_linestyle(code)) for code in series}
    for k, (code, values) in enumerate(series.items()):
        colour, style = styles[code]
        width = 5 if code == focus else 3
        points = " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in enumerate(values))
        dash = f' stroke-dasharray="{DASHES[style]}"' if style in DASHES else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="{width}"{dash} stroke-linejoin="round"/>')
        name = scenario.actors[code].name
        last = f" {values[-1]:.0%}" if len(values) else ""
        ly = top + 10 + 30 * k
        parts.append(f'<line x1="{right + 15}" x2="{right + 50}" y1="{ly}" y2="{ly}" '
                     f'stroke="{colour}" stroke-width="{width}"{dash}/><text x="{right + 58}" '
                     f'y="{ly + 6}" font-size="18">{_escape(name)}{last}</text>')
    patron = with_article(scenario.actors[scenario.patron].name)
    parts.append(f'<text x="{(left + right) / 2}" y="{SVG_HEIGHT - 10}" font-size="17" '
                 f'text-anchor="middle">month; trust in {_escape(patron)} (share trusting, %)'
                 '</text></svg>')
    return "".join(parts)


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
