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
    shows the value in use (the slider's knob sits on its grid, a hair off a calibrated value).

    The knob belongs to the browser: the server places it when the slider is drawn and never
    again (Reacton sets every property it is given at every render, and a value sent back while
    a student is still pressing an arrow key would snap the knob back to it: ten quick presses
    ended three steps short). A value set elsewhere (a reset, a new scenario) draws a new slider
    that starts there.
    """
    reported = solara.use_ref(value)  # the last value this slider reported, or was drawn at
    drawn = solara.use_ref((0, value))  # (which slider, the value it starts at)
    if value != reported.current:  # set elsewhere: a new slider at the new value
        reported.current = value
        drawn.current = (drawn.current[0] + 1, value)
    generation, start = drawn.current

    def commit(*args):
        data = args[-1]
        if isinstance(data, int | float):
            reported.current = spec.clamped(float(data))
            on_value(reported.current)

    with solara.Column(gap="0px", classes=["parameter"], style={"margin-bottom": "14px"}):
        solara.HTML(tag="div", unsafe_innerHTML=(
            f"<b>{spec.name}</b> = <b>{spec.shown(value)}</b> {spec.unit}"
            f"<br><span class='range'>range {spec.shown(spec.low)} to "
            f"{spec.shown(spec.high)}"
            + ("" if scenario_value is None else
               f"; scenario's value {spec.shown(scenario_value)}") + "</span>"),
            classes=["parameter-label"])
        slider = rv.Slider(min=spec.low, max=spec.high, step=spec.step, thumb_label=False,
                           hide_details=True, class_=f"slider-{spec.name}",
                           attributes={"aria-label": spec.label}).key(f"{spec.name}-{generation}")
        rv.use_event(slider, "change", commit)

        def place() -> None:  # once per slider drawn: its value is not a property Reacton sets
            solara.get_widget(slider).v_model = start

        solara.use_effect(place, [generation])
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
