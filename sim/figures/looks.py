"""How a figure looks: the printed report (the default) or slides for a projector.

A :class:`Look` is chosen once per figure with :func:`using`; the drawing code asks
:func:`current` through ``actor_colour``, ``actor_linestyle`` and ``band`` of
:mod:`sim.figures.style`, so the plot functions keep their signatures. The report
look changes nothing: its figures are byte for byte those drawn before looks existed.

Slides use large type, thicker lines and a colour-blind-safe palette (Okabe & Ito 2008, with
two of Tol's 2021 colours) in which actors that share a colour family, or start at the same level
(South Korea and Ukraine at 50%, Taiwan and Europe at 45%), differ in line style too. With a
``focus`` actor, every other actor is drawn thin and grey.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line reads the looks without importing matplotlib
    from matplotlib.figure import Figure

STYLES = ("report", "slides")
FORMATS = ("png", "svg", "pdf")

# Okabe-Ito (blue, orange, bluish green, reddish purple, sky blue, vermillion, black) and Tol's
# indigo and wine; no yellow (unreadable as a line on white).
SLIDES_PALETTE: dict[str, str] = {
    "US": "#332288", "CHN": "#D55E00", "RUS": "#555555", "JPN": "#0072B2", "KOR": "#E69F00",
    "AUS": "#009E73", "PHL": "#CC79A7", "TWN": "#56B4E9", "EUR": "#000000", "UKR": "#882255",
}
# Dashed where a colour shares a family with another actor's (TWN's sky blue with JPN's blue,
# UKR's wine with PHL's purple, EUR's black with RUS's grey), or starts level with one.
SLIDES_LINESTYLES: dict[str, str] = {"TWN": "--", "UKR": "--", "EUR": "-.", "RUS": ":"}
FOCUS_GREY = "#a6a6a6"

SLIDES_RC = {"font.size": 16, "axes.titlesize": 18, "axes.labelsize": 16,
             "xtick.labelsize": 14, "ytick.labelsize": 14, "legend.fontsize": 14,
             "legend.title_fontsize": 15, "figure.titlesize": 18}


@dataclass(frozen=True)
class Look:
    """``name`` "report" or "slides"; ``focus``: an actor code to highlight, the rest grey."""

    name: str = "report"
    focus: str | None = None

    @property
    def slides(self) -> bool:
        return self.name == "slides"

    @property
    def key_beside(self) -> bool:
        """Put the event key in a column beside the plot, under its legend, on a 16:9 figure
        (slides: a projector is wide, and a key below would take half of its height), rather
        than below the plot in two columns (the report: a printed page is narrow)."""
        return self.slides

    @property
    def min_font(self) -> float:
        """No text smaller than this (points): legible from the back of a seminar room."""
        return 14.0 if self.slides else 0.0

    def line_width(self, code: str | None = None) -> float:
        """An actor's line width: thick for the focus actor, thin for the rest (a line that is
        no actor's, ``code`` None, keeps the base width)."""
        base = 3.0 if self.slides else 1.8
        if self.focus is None or code is None:
            return base
        return base * 1.6 if code == self.focus else base * 0.6

    def finish(self, fig: Figure) -> None:
        """Raise every text of ``fig`` to :attr:`min_font` (slides only; the report untouched)."""
        if not self.slides:
            return
        from matplotlib.text import Text

        for text in fig.findobj(Text):
            if text.get_fontsize() < self.min_font:
                text.set_fontsize(self.min_font)
        for ax in fig.axes:  # the larger event numbers above an axes would cross its title
            if ax.get_title() and any(t.get_gid() == "event-number" for t in ax.texts):
                ax.set_title(ax.get_title(), pad=30)


REPORT, SLIDES = Look("report"), Look("slides")
_CURRENT: ContextVar[Look] = ContextVar("look", default=REPORT)


def current() -> Look:
    """The look figures are being drawn in (:data:`REPORT` outside :func:`using`)."""
    return _CURRENT.get()


@contextlib.contextmanager
def using(look: Look) -> Iterator[Look]:
    """Draw in ``look`` inside the block: its palette, and for slides its type sizes."""
    import matplotlib as mpl

    token = _CURRENT.set(look)
    try:
        with mpl.rc_context(SLIDES_RC if look.slides else {}):
            yield look
    finally:
        _CURRENT.reset(token)
