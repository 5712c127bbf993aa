"""Controls a lecturer moves: sliders for the key parameters, switches for a scenario's events.

The sliders' labels come from the evidence register (:func:`sim.evidence.params.declarations`):
each shows the parameter's unit, its plausible range (the slider's ends) and its source, so a
class sees what a number rests on while moving it. A slider reports its value when it is let go
(or moved with the keyboard), not at every pixel of a drag: each value costs an ensemble.
"""

from __future__ import annotations

from collections.abc import Callable

import reacton.ipyvuetify as rv
import solara

from sim.dashboard.parameters import ParameterSpec, short
from sim.scenario import Scenario

# Solara's "This website runs on Solara" badge (an unclassed absolutely placed div holding a link
# to solara.dev) sits over the lower right of a chart; every dashboard page hides it
PAGE_CSS = """
.v-application--wrap div[style*="position: absolute"]:has(> b > a[href*="solara"]) {
    display: none !important; }
"""


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
