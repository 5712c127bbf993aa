"""Controls a lecturer moves: sliders for the key parameters, switches for a scenario's events.

The sliders' labels come from the evidence register (:func:`sim.evidence.params.declarations`):
each shows the parameter's unit, its plausible range (the slider's ends) and its source, so a
class sees what a number rests on while moving it. A slider reports its value when it is let go
(or moved with the keyboard), not at every pixel of a drag: each value costs an ensemble.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import reacton.ipyvuetify as rv
import solara

from sim.evidence.params import declarations
from sim.scenario import Scenario

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


@solara.component
def ParameterSlider(spec: ParameterSpec, value: float, on_value: Callable[[float], None],
                    scenario_value: float | None = None):
    """One parameter on a slider; ``on_value`` is called when the slider is let go. The label
    shows the value in use (the slider's knob sits on its grid, a hair off a calibrated value)."""
    shown, set_shown = solara.use_state(value)
    solara.use_memo(lambda: set_shown(value), [value])  # a reset or a new scenario moves it

    def commit(*args):
        data = args[-1]
        if isinstance(data, int | float):
            on_value(spec.clamped(float(data)))

    with solara.Column(gap="0px", classes=["parameter"], style={"margin-bottom": "14px"}):
        solara.HTML(tag="div", unsafe_innerHTML=(
            f"<b>{spec.name}</b> = <b>{spec.shown(value)}</b> {spec.unit}"
            f"<br><span class='range'>range {spec.shown(spec.low)} to "
            f"{spec.shown(spec.high)}"
            + ("" if scenario_value is None else
               f"; scenario's value {spec.shown(scenario_value)}") + "</span>"),
            classes=["parameter-label"])
        slider = rv.Slider(v_model=shown, on_v_model=lambda v: set_shown(float(v)),
                           min=spec.low, max=spec.high, step=spec.step, thumb_label=False,
                           hide_details=True, class_=f"slider-{spec.name}",
                           attributes={"aria-label": spec.label})
        rv.use_event(slider, "change", commit)
        solara.HTML(tag="div", unsafe_innerHTML=(
            f"<span title=\"{_attribute(spec.source)}\">source: "
            f"{_text(short(spec.gist or spec.source))}</span>"), classes=["parameter-source"])


@solara.component
def EventSwitches(scenario: Scenario, off: frozenset[str],
                  on_switch: Callable[[str, bool], None]):
    """A checkbox per event of ``scenario``, with its date (or window and monthly chance) and
    its name; ``on_switch(key, on)`` when one is clicked."""
    for timed in scenario.events:
        solara.Checkbox(label=event_label(scenario, timed), value=timed.key not in off,
                        on_value=lambda on, key=timed.key: on_switch(key, on),
                        style="margin: 0px")


def event_label(scenario: Scenario, timed) -> str:
    """"Feb 2025 · steel tariffs", or "1% a month, Jan 2025 to Dec 2028 · Taiwan Strait
    tension" for a random event."""
    event = timed.event
    first = scenario.month_date(timed.first_month)
    if event.probability is None:
        return f"{first:%b %Y} · {timed.key}"
    last = scenario.month_date(timed.last_month)
    return (f"{event.probability:.1%} a month, {first:%b %Y} to {last:%b %Y} · "
            f"{timed.key}").replace(".0%", "%")


def _attribute(text: str) -> str:
    return _text(text).replace('"', "&quot;")


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
