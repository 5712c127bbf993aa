"""The Explore page (route ``/``): one scenario, live.

A lecturer picks a shipped scenario (or uploads one, or edits its YAML), switches its events on
and off, moves the key parameters, and sees the ensemble's charts: the figures ``sim run``
draws, one tab at a time (only the shown tab is drawn). The last tab steps one run month by
month with its events. Everything on screen can be downloaded: the figure (PNG, SVG), the
summary table, the scenario as YAML that ``sim run`` reproduces, and the students' handout.

Every piece of state lives in this session's components (``solara.use_state``/``use_memo``):
two browsers never see each other's choices. The ensemble and the chart are computed in a
worker thread (``solara.use_thread``), so the page answers while they run and says it is
updating.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np
import solara

from sim import paths
from sim.dashboard import charts, downloads
from sim.dashboard.controls import PAGE_CSS, EventSwitches, ParameterSlider
from sim.dashboard.parameters import parameter_specs
from sim.dashboard.playback import Month, OneRun
from sim.dashboard.results import Results, ensemble_key, shared
from sim.dashboard.scenarios import (
    Source,
    load_source,
    message,
    shipped_names,
    shipped_source,
    uploaded_source,
)
from sim.dashboard.session import (
    Settings,
    changed,
    scenario_yaml,
    settle,
)
from sim.dashboard.upload import FileUpload
from sim.engine.ensemble import Ensemble
from sim.errors import UserError
from sim.evidence.actors import with_article
from sim.figures.looks import Look
from sim.scenario import Scenario

DEFAULT_SCENARIO = "trump_second_term"  # the seminar's story: the commentary's 2025
PLAY = "run"  # the tab that steps one run
PLAY_SECONDS = 0.5  # between months when playing
LOG_MONTHS = 24  # months of the event log shown, newest first
CSS = """
.explore { font-size: 18px; }
.explore h1 { font-size: 26px; margin: 0 0 4px 0; }
.explore h2 { font-size: 24px; margin: 14px 0 6px 0; }
.explore .v-label, .explore .v-input, .explore .v-btn { font-size: 17px !important; }
.explore .v-btn { text-transform: none; letter-spacing: 0; }
.explore .parameter-label { font-size: 17px; line-height: 1.3; }
.explore .parameter-label .range { font-size: 15px; color: #444; }
.explore .parameter-source { font-size: 14px; color: #555; line-height: 1.25; }
.explore .events { max-height: 640px; overflow-y: auto; border: 1px solid #ccc;
                   padding: 4px 8px; display: grid !important;
                   grid-template-columns: repeat(2, minmax(0, 1fr)); column-gap: 24px; }
.explore .events .v-input--selection-controls { margin-top: 0; padding-top: 0; }
.explore .headline { font-size: 20px; font-weight: bold; margin: 2px 0; line-height: 1.25; }
.explore .status { font-size: 16px; color: #555; min-height: 22px; }
.explore .chart-controls { align-items: center; flex-wrap: wrap; column-gap: 16px; }
.explore .problem pre { white-space: pre-wrap; font-size: 16px; margin: 0; }
.explore .log { font-size: 18px; max-height: 520px; overflow-y: auto; }
.explore .log .month { font-weight: bold; margin-top: 8px; }
.explore .run-note { font-size: 18px; font-weight: bold; color: #8a4b00; margin: 4px 0; }
.explore .log.latest { background: #fff8e1; border-left: 6px solid #f9a825; padding: 4px 12px;
                       margin: 8px 0; }
.explore .solara-image img, .explore img.widget-image { max-width: 100%; height: auto; }
/* the whole chart, x-axis and event key included, on one screen (a 1080p projector, a 768-pixel
   laptop): the area below the app bar (112 pixels) and the page's padding is the screen's
   height, and the chart gets what the tabs, the status and the headline leave of it, shrunk to
   fit (never enlarged: a blurred chart reads worse) */
.explore .chart-area { height: calc(100vh - 150px); min-height: 420px; }
.explore .chart-area .chart-box { flex: 1 1 0; min-height: 0; }
.explore .chart-area .chart-box > div { height: 100%; }
.explore img.chart { width: 100%; height: 100% !important; object-fit: scale-down !important;
                     object-position: left top; }
"""


@dataclass(frozen=True)
class Loaded:
    """The scenario a session shows: its source text and the resolved scenario."""

    source: Source
    scenario: Scenario


@dataclass(frozen=True)
class View:
    """What the worker thread computed for the screen."""

    key: tuple
    picture: bytes | None
    headline: str


def first_scenario() -> Loaded:
    """The scenario a new session opens with, read once per server (again if its file changes):
    thirty students opening the page at once need not parse and check it thirty times."""
    path = paths.scenario_file(DEFAULT_SCENARIO)
    return _read_shipped(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _read_shipped(path: str, modified: int) -> Loaded:
    source = shipped_source(DEFAULT_SCENARIO)
    return Loaded(source, load_source(source))


def focus_actor(scenario: Scenario, focus: str) -> str:
    """The actor the headline speaks of: the focus, else Japan, else the first ally."""
    allies = scenario.allies()
    return next(c for c in (focus, "JPN", *allies) if c in allies)


def headline(ensemble: Ensemble, focus: str) -> str:
    """"Japan's trust in the United States: 34% at the start, lowest 21% (May 2025), 34% at
    the end (median of 200 replicates)"."""
    scenario = ensemble.scenario
    median = np.median(ensemble.trust(focus, scenario.patron), axis=0)
    low = int(np.argmin(median))
    patron = with_article(scenario.actors[scenario.patron].name)
    return (f"{scenario.actors[focus].name}'s trust in {patron}: {median[0]:.0%} at the start, "
            f"lowest {median[low]:.0%} ({scenario.month_date(low):%b %Y}), {median[-1]:.0%} "
            f"at the end (median of {ensemble.replicates} replicates)")


@solara.component
def Page():
    initial = solara.use_memo(first_scenario, [])
    loaded, set_loaded = solara.use_state(initial)
    problem, set_problem = solara.use_state("")
    settings, set_settings = solara.use_state(Settings.of(initial.scenario))
    tab, set_tab = solara.use_state(charts.CHARTS[0].key)
    projector, set_projector = solara.use_state(False)
    focus, set_focus = solara.use_state("")
    results = shared()  # a content-addressed store: see sim/dashboard/results.py

    def adopt(source: Source) -> None:
        """Show ``source`` if it loads; else its located message, keeping the scenario."""
        try:
            scenario = load_source(source)
        except UserError as exc:
            set_problem(f"{source.name} was not applied; still showing "
                        f"{loaded.scenario.name}.\n{message(exc)}")
            return
        # the old message goes first: from an upload's worker thread each setter renders at
        # once, and a render of the new scenario must not leave a stale error on screen
        set_problem("")
        set_focus(focus if focus in scenario.actors else "")
        set_settings(Settings.of(scenario, settings.replicates))
        set_loaded(Loaded(source, scenario))

    settled, refused = solara.use_memo(lambda: _settled(loaded.scenario, settings),
                                       [loaded, settings])
    look = Look("slides" if projector else "report", focus or None)
    solara.Style(CSS + PAGE_CSS)
    with solara.Column(classes=["explore"], style={"padding": "8px 16px"}):
        # the title and the view's switches head the left column: the right one starts with the
        # chart, which then has the screen's height below the tabs (a 768-pixel laptop too)
        with solara.Columns([1, 2.6], gutters_dense=True):
            with solara.Column():
                solara.HTML(tag="h1", unsafe_innerHTML="Explore a scenario")
                with solara.Row(classes=["chart-controls"]):
                    solara.Switch(label="projector: large type, colour-blind-safe palette",
                                  value=projector, on_value=set_projector)
                    FocusSelect(loaded.scenario, focus, set_focus)
                ScenarioPanel(loaded, problem, adopt, set_problem)
                EnsemblePanel(loaded.scenario, settings, set_settings)
                ParameterPanel(loaded.scenario, settings, set_settings)
            with solara.Column(classes=["results"]):
                if refused:
                    solara.Error(refused)
                else:
                    ResultPanel(settled, loaded, settings, results, tab, set_tab, look, focus)
                EventPanel(loaded.scenario, settings, set_settings)


@solara.component
def FocusSelect(scenario: Scenario, focus: str, set_focus):
    """The focus actor by name, as Compare lists them: "Japan (JPN)"; "" for none."""
    names = {"": "", **{f"{scenario.actors[c].name} ({c})": c for c in scenario.allies()}}
    shown = next((n for n, c in names.items() if c == focus), "")
    solara.Select("focus actor (others grey)", values=list(names), value=shown,
                  on_value=lambda name: set_focus(names.get(name or "", "")),
                  style={"max-width": "260px", "min-width": "200px"})


def _settled(scenario: Scenario, settings: Settings) -> tuple[Scenario, str]:
    try:
        return settle(scenario, settings), ""
    except (UserError, ValueError) as exc:
        return scenario, str(exc)


@solara.component
def ScenarioPanel(loaded: Loaded, problem: str, adopt, set_problem):
    """Pick, upload or edit the scenario; a refused one's located message."""
    text, set_text = solara.use_state(loaded.source.text)
    typed = solara.use_ref(loaded.source.text)  # read by Apply: the text as typed, not rendered

    def renew() -> None:
        typed.current = loaded.source.text
        set_text(loaded.source.text)

    solara.use_memo(renew, [loaded])

    def type_text(value: str) -> None:
        typed.current = value
        set_text(value)

    names = shipped_names()
    current = loaded.source.name.removesuffix(".yml")
    solara.HTML(tag="h2", unsafe_innerHTML="Scenario")
    choices = names if loaded.source.shipped else [*names, current]
    solara.Select("shipped scenario", values=choices, value=current,
                  on_value=lambda name: adopt(shipped_source(name)) if name in names else None)
    if not loaded.source.shipped:
        solara.Text(f"showing {loaded.source.name} (uploaded or edited)")

    def uploaded(name: str, data: bytes) -> None:
        try:
            adopt(uploaded_source(name, data))
        except UserError as exc:
            set_problem(f"{name} was not applied; still showing "
                        f"{loaded.scenario.name}.\n{message(exc)}")

    solara.HTML(tag="div", unsafe_innerHTML="Upload a scenario file (.yml): click the field "
                "to choose one, or drop it there", classes=["upload-label"])
    FileUpload(uploaded)
    with solara.Details(f"Edit {loaded.source.name} as YAML"):
        solara.InputTextArea("scenario YAML", value=text, on_value=type_text, rows=16,
                             auto_grow=False, continuous_update=True)
        solara.Button("Apply the edited YAML", color="primary",
                      on_click=lambda: adopt(Source(loaded.source.name, typed.current)))
    if problem:
        with solara.Div(classes=["problem"]):
            solara.Error(solara.HTML(tag="pre", unsafe_innerHTML=_escape(problem)))


@solara.component
def EnsemblePanel(scenario: Scenario, settings: Settings, set_settings):
    """Replicates, seed, and a reset of every setting."""
    solara.HTML(tag="h2", unsafe_innerHTML="Ensemble")
    with solara.Row():
        solara.InputInt("replicates", value=settings.replicates,
                        on_value=lambda n: set_settings(lambda s: _replace(s, replicates=n)))
        solara.InputInt("seed", value=settings.seed,
                        on_value=lambda n: set_settings(lambda s: _replace(s, seed=n)))
    solara.Button("Reset to the scenario's own values",
                  on_click=lambda: set_settings(Settings.of(scenario, settings.replicates)))


def _replace(settings: Settings, **change) -> Settings:
    return replace(settings, **change)


@solara.component
def ParameterPanel(scenario: Scenario, settings: Settings, set_settings):
    """The key parameters on sliders, labelled from the evidence register."""
    solara.HTML(tag="h2", unsafe_innerHTML="Key parameters")
    for spec in parameter_specs():
        ParameterSlider(spec, settings.value(spec.name, scenario),
                        lambda v, name=spec.name: set_settings(  # as of the event, not the render
                            lambda s: s.with_parameter(name, v)),
                        scenario_value=float(getattr(scenario.parameters, spec.name)))


@solara.component
def EventPanel(scenario: Scenario, settings: Settings, set_settings):
    """A checkbox per event: on or off."""
    on = len(scenario.events) - len(settings.events_off & {e.key for e in scenario.events})
    solara.HTML(tag="h2", unsafe_innerHTML=f"Events ({on} of {len(scenario.events)} on)")
    with solara.Column(classes=["events"], gap="0px"):
        EventSwitches(scenario, settings.events_off,
                      lambda key, is_on: set_settings(lambda s: s.with_event(key, is_on)))


@solara.component
def ResultPanel(settled: Scenario, loaded: Loaded, settings: Settings, results: Results,
                tab: str, set_tab, look: Look, focus: str):
    """The tabs, the shown chart (computed in a worker thread) and its downloads."""
    key = (ensemble_key(settled), settled.name, tab, look, focus)

    def compute() -> View:
        if tab == PLAY:
            return View(key, None, "")
        ensemble = results.ensemble(settled)
        picture = results.picture(charts.BY_KEY[tab], settled, look)
        return View(key, picture, headline(ensemble, focus_actor(settled, focus)))

    view = solara.use_thread(compute, dependencies=[key], intrusive_cancel=False)
    # the one run lives here, not in its tab: switching tabs keeps the months played; new
    # settings (or Restart) start it again, and the tab says so
    restarts, set_restarts = solara.use_state(0)
    run = solara.use_memo(lambda: OneRun(settled), [ensemble_key(settled), restarts])
    solara.use_effect(lambda: run.close, [run])
    last = solara.use_ref((run, restarts))  # the run shown before, and its restart count
    note = solara.use_ref("")
    if last.current[0] is not run:
        if last.current[0].month > 0 and last.current[1] == restarts:  # not a Restart click
            note.current = "Settings changed: the run restarts from the first month."
        last.current = (run, restarts)

    def restart() -> None:
        note.current = ""
        set_restarts(restarts + 1)

    titles = {c.key: c.title for c in charts.CHARTS} | {PLAY: "One run"}
    # a chart's tab: the tabs, the status, the headline and the chart fill the screen's height
    # (CSS), the chart taking what the others leave, so its x-axis and key are on screen
    # without scrolling; the tabs stay in place (the same widget) when One run is chosen
    with solara.Column(classes=[] if tab == PLAY else ["chart-area"], gap="6px"):
        solara.ToggleButtonsSingle(value=tab, on_value=set_tab, children=[
            solara.Button(t, value=k) for k, t in titles.items()])
        if tab == PLAY:
            PlayPanel(settled, focus, run, note, restart)
            return
        busy = view.state in (solara.ResultState.STARTING, solara.ResultState.WAITING,
                              solara.ResultState.RUNNING)
        shown = view.value
        with solara.Div(classes=["status"]):
            if view.state == solara.ResultState.ERROR:
                solara.Error(f"the ensemble failed: {view.error}")
            elif busy or shown is None or shown.key != key:
                solara.HTML(tag="span", classes=["status-text"], unsafe_innerHTML=(
                    f"Updating: running {settled.replicates} replicates and drawing…"))
                solara.ProgressLinear(True)
            else:
                what = changed(loaded.scenario, settings)
                solara.HTML(tag="span", classes=["status-text"], unsafe_innerHTML=_escape(
                    "Up to date" + (f"; changed: {'; '.join(what)}" if what else
                                    "; the scenario as written")))
        if shown is not None and shown.picture is not None:
            solara.HTML(tag="div", unsafe_innerHTML=_escape(shown.headline),
                        classes=["headline"])
            with solara.Div(classes=["chart-box"]):
                solara.Image(shown.picture, width="100%", classes=["chart"])
    Downloads(settled, loaded, settings, results, charts.BY_KEY[tab], look)


@solara.component
def Downloads(settled: Scenario, loaded: Loaded, settings: Settings, results: Results,
              chart: charts.Chart, look: Look):
    """What is on screen as files: the figure, the summary, the scenario, the handout. When the
    page's settings differ from the scenario's own, the figure's title and the handout's story
    say what was changed, and the file names carry ``-changed``."""
    key = (ensemble_key(settled), settled.name, chart.key, look)
    changes = changed(loaded.scenario, settings)
    shown = downloads.marked(settled, changes)
    building, set_building = solara.use_state(False)

    def figure(fmt: str):
        return lambda: charts.figure_file(chart, results.summary(settled, chart.measures),
                                          shown, look, fmt)

    def handout() -> bytes:
        set_building(True)  # the download runs in a worker thread: the page shows progress
        try:
            return downloads.handout_of(results, settled, shown, look)
        finally:
            set_building(False)

    makers = solara.use_memo(lambda: {
        "png": figure("png"), "svg": figure("svg"),
        "csv": lambda: downloads.summary_csv(results.summary(settled)),
        "yml": lambda: scenario_yaml(settled, loaded.scenario, settings),
        "html": handout,
    }, [key, tuple(changes)])
    name = settled.name
    solara.HTML(tag="h2", unsafe_innerHTML="Download what is on screen")
    with solara.Row(style={"flex-wrap": "wrap"}):
        for what, file, mime, label in (
                ("png", f"{chart.stem}.png", "image/png", "figure (PNG)"),
                ("svg", f"{chart.stem}.svg", "image/svg+xml", "figure (SVG)"),
                ("csv", "summary.csv", "text/csv", "summary table (CSV)"),
                ("yml", "scenario.yml", "application/x-yaml", "scenario (YAML for sim run)"),
                ("html", "handout.html", "text/html", "students' handout (HTML)")):
            solara.FileDownload(makers[what],
                                filename=downloads.file_name(name, file, bool(changes)),
                                label=label, mime_type=mime)
    if building:
        with solara.Div(classes=["handout-progress"]):
            solara.HTML(tag="span", classes=["status-text"], unsafe_innerHTML=(
                "Building the students' handout: drawing its figures at print resolution "
                "(some seconds); the download starts when it is ready…"))
            solara.ProgressLinear(True)


@solara.component
def PlayPanel(settled: Scenario, focus: str, run: OneRun, note, restart):
    """One run (replicate 0 of the ensemble) stepped or played month by month; ``note`` (a ref)
    says why it started again, ``restart`` starts it again from the first month."""
    months, set_months = solara.use_state(0)
    playing, set_playing = solara.use_state(False)

    def play(cancel) -> None:
        while playing and not cancel.is_set() and not run.over:
            run.step()
            note.current = ""
            set_months(run.month)
            cancel.wait(PLAY_SECONDS)
        if playing:
            set_playing(False)

    solara.use_thread(play, dependencies=[playing, run], intrusive_cancel=False)

    def step() -> None:
        if not run.over:
            run.step()
            note.current = ""
            set_months(run.month)

    def again() -> None:
        set_playing(False)
        restart()

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button("Step one month", on_click=step, disabled=playing or run.over,
                      color="primary")
        solara.Button("Pause" if playing else "Play", on_click=lambda: set_playing(not playing),
                      disabled=run.over)
        solara.Button("Restart", on_click=again, disabled=run.month == 0 and not playing)
        solara.Text(f"{run.month} of {settled.horizon_months} months played"
                    + (" (the end: press Restart to play it again)" if run.over
                       else f"; next: {run.date:%B %Y}"),
                    classes=["month-played"])
    if note.current:
        solara.HTML(tag="div", classes=["run-note"], unsafe_innerHTML=_escape(note.current))
    series = {code: values.tolist() for code, values in run.trust_so_far().items()}
    patron = with_article(settled.actors[settled.patron].name)
    title = f"{settled.name}: trust in {patron}, one run (replicate 0)"
    latest = (f"<div class='log latest'>{event_log(run.log[-1:], settled)}</div>"
              if run.log else "")  # the month just played, above the chart, as it happens
    # one widget for the month's news, the chart and the log: one message per month played
    solara.HTML(tag="div", classes=["played"], unsafe_innerHTML=(
        latest + charts.trajectory_svg(series, settled, title, focus or None)
        + "<h2>What happened, month by month (newest first)</h2><div class='log'>"
        + event_log(run.log[-LOG_MONTHS:], settled) + "</div>"))
    del months  # only there to redraw after each step


def event_log(months: list[Month], scenario: Scenario) -> str:
    """The months played, newest first: each event that fired, then the trust it left."""
    if not months:
        return "<p>Nothing played yet: press <b>Step one month</b> or <b>Play</b>.</p>"
    parts = []
    for month in reversed(months):
        parts.append(f"<div class='month'>{month.date:%B %Y}</div>")
        if month.happenings:
            items = "".join(
                f"<li><b>{_escape(h.key)}</b> ({h.kind.replace('_', ' ')}"
                + (f", {h.by}" if h.by else "") + (f" on {h.on}" if h.on else "") + ")"
                + (f": <i>“{_escape(h.quote)}”</i>" if h.quote else "") + "</li>"
                for h in month.happenings)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<div>no event</div>")
        moves = ", ".join(f"{name} {before:.0%} → {after:.0%}"
                          for name, before, after in month.trust)
        parts.append(f"<div>trust in {scenario.patron} after it: {moves}</div>")
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

