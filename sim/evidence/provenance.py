"""Where a number comes from.

Every parameter and every actor attribute carries a :class:`Source`. A value taken from the
commentary quotes it (and a test finds the quote verbatim in ``seeds/``); a value from a survey or
a paper names it; an assumption says so and why; a calibrated value names the fit that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SourceKind = Literal["commentary", "survey", "literature", "assumption", "calibrated"]


@dataclass(frozen=True)
class Source:
    """Evidence for one value.

    Attributes:
        kind: what sort of evidence this is.
        text: for ``commentary`` the verbatim quote; otherwise the citation, survey or reason.
        note: how the evidence was turned into the number (scaling, proxy, caveat).
    """

    kind: SourceKind
    text: str
    note: str = ""

    def describe(self) -> str:
        body = f'"{self.text}"' if self.kind == "commentary" else self.text
        return f"{self.kind}: {body}" + (f" ({self.note})" if self.note else "")


def commentary(quote: str, note: str = "") -> Source:
    return Source("commentary", quote, note)


def survey(name: str, note: str = "") -> Source:
    return Source("survey", name, note)


def literature(citation: str, note: str = "") -> Source:
    return Source("literature", citation, note)


def assumption(reason: str, note: str = "") -> Source:
    return Source("assumption", reason, note)


def calibrated(fit: str, note: str = "") -> Source:
    return Source("calibrated", fit, note)
