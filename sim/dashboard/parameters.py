"""The key parameters a seminar moves, as the evidence register describes them.

Plain data, no Solara: the sliders of every page (:mod:`sim.dashboard.controls`) are built from
:func:`parameter_specs`, so each shows the parameter's unit, its plausible range (the slider's
ends) and its source, and every page offers the same ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.evidence.params import declarations

# The parameters a seminar moves: how trust is lost and rebuilt (the calibrated four), how far
# news about one ally travels to others (the Ukraine question), how noisy perception is (the
# bands), how sticky security alignment is, how fast the public follows, the rise of China and
# how far allies give in to demands (docs/ODD.md; docs/VALIDATION.md; README robustness table).
KEY_PARAMETERS = ("forgetting", "negativity_bias", "weight_costly", "cheap_talk_ratio",
                  "weight_observed", "perception_noise", "security_speed", "opinion_speed",
                  "challenger_growth", "compliance")
STEPS = 100  # positions along a slider
SOURCE_CHARACTERS = 160  # of the source's text under a slider (the whole text on hover)


@dataclass(frozen=True)
class ParameterSpec:
    """A parameter as a slider shows it: its register entry."""

    name: str
    default: float
    unit: str
    low: float
    high: float
    kind: str  # commentary, survey, literature, assumption, calibrated
    source: str  # the register's whole text
    doc: str
    gist: str = ""  # the source in a line: for a calibrated value, the literature behind it

    @property
    def step(self) -> float:
        """A round step giving about :data:`STEPS` positions between the ends."""
        raw = (self.high - self.low) / STEPS
        return float(f"{raw:.1g}")

    @property
    def decimals(self) -> int:
        return max(0, -math.floor(math.log10(self.step)))

    def clamped(self, value: float) -> float:
        """``value`` on the slider's grid and within the range (a slider's float arithmetic may
        land a hair outside it, which the register refuses)."""
        return min(self.high, max(self.low, round(value, self.decimals + 3)))

    def shown(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"

    @property
    def label(self) -> str:
        """The slider's label: name, unit and range."""
        return (f"{self.name} ({self.unit}; range {self.shown(self.low)} to "
                f"{self.shown(self.high)})")


def parameter_specs(names: tuple[str, ...] = KEY_PARAMETERS) -> list[ParameterSpec]:
    """The register entries of ``names``, in that order."""
    rows = {d["name"]: d for d in declarations()}
    return [ParameterSpec(name=n, default=float(rows[n]["default"]), unit=rows[n]["unit"],
                          low=float(rows[n]["low"]), high=float(rows[n]["high"]),
                          kind=rows[n]["source"].kind, source=rows[n]["source"].describe(),
                          doc=rows[n]["doc"], gist=_gist(rows[n]["source"])) for n in names]


def _gist(source) -> str:
    """The part of a source a slider can show: a calibrated value's fit is the same text for
    all of them, so its note (the literature) says more."""
    if source.kind == "calibrated":
        return f"calibrated on 2017-2021 polls; {source.note}"
    return source.describe()


def short(text: str, limit: int = SOURCE_CHARACTERS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
