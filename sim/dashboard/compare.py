"""The Compare page (``/compare``): two scenarios, or one scenario with two settings, side by
side, with one time cursor and the paired difference B - A (common random numbers).

Everything a session chooses lives in its own component state (``use_state``/``use_memo``
here, never module level): two students never see each other's settings. The ensembles run in
a worker thread (:func:`solara.use_thread`) and are cached per settings
(:class:`~sim.dashboard.comparison_runs.ComparisonCache`); the time cursor only redraws the
figure and restates the values from the cached tables.
"""

from __future__ import annotations

import textwrap

import ipywidgets as widgets
import solara

from sim.dashboard import comparison_figure as figure
from sim.dashboard.charts import DRAWING
from sim.dashboard.comparison_runs import (
    REPLICATE_CHOICES,
    SHOWN,
    ComparisonCache,
    ComparisonView,
    Side,
    error_text,
    format_difference,
    format_level,
    largest_difference_month,
    load_source,
    side_details,
    values_at,
)
from sim.dashboard.controls import PAGE_CSS, ParameterSlider, event_label
from sim.dashboard.parameters import parameter_specs
from sim.dashboard.scenarios import shipped_names
from sim.errors import UserError
from sim.outputs.run_folder import slug

DEFAULT_A, DEFAULT_B = "baseline", "trump_second_term"
CSS = """
.cmp-label, .cmp-value, .cmp-band { display: block; }
.cmp-value { font-size: 40px; font-weight: 700; line-height: 1.15; color: #111; }
.cmp-band { font-size: 18px; color: #333; }
.cmp-label { font-size: 18px; font-weight: 700; overflow-wrap: anywhere; }
.cmp-details { display: block; font-size: 14px; color: #444; overflow-wrap: anywhere; }
.cmp-card { flex: 1 1 0; min-width: 240px; }
.cmp-projector .cmp-value { font-size: 56px; }
.cmp-projector .cmp-band, .cmp-projector .cmp-label { font-size: 26px; }
.cmp-cursor-date { font-size: 28px; font-weight: 700; }
.cmp-projector .cmp-cursor-date { font-size: 36px; }
.cmp-sides { font-size: 22px; }
.cmp-error pre { font-size: 16px; white-space: pre-wrap; }
"""
MAX_FILE_PART = 32  # characters of a side's label in a download's file name
SIDE_NAMES = {"A": "A (reference)", "B": "B"}


@solara.component
def Page():
    cache = solara.use_memo(ComparisonCache, [])  # this session's, not the server's
    side_a, set_side_a = solara.use_state(Side(DEFAULT_A))
    side_b, set_side_b = solara.use_state(Side(DEFAULT_B))
    uploads, set_uploads = solara.use_state({})  # file name -> text, this session's
    replicates, set_replicates = solara.use_state(200)
    measure, set_measure = solara.use_state("trust_in_patron")
    actor, set_actor = solara.use_state("JPN")
    month, set_month = solara.use_state(None)  # None: the month of the largest difference
    projector, set_projector = solara.use_state(False)
    key = (side_a, side_b, replicates)

    def work():
        try:
            return cache.compute(key)
        except UserError as exc:
            return exc

    # not intrusive: its cancellation traces every line, which made a run five times slower;
    # a superseded run finishes in the background and stays in the cache
    result = solara.use_thread(work, dependencies=[key], intrusive_cancel=False)
    done = result.value if result.state == solara.ResultState.FINISHED else None
    view = done if isinstance(done, ComparisonView) else None

    solara.Style(CSS + PAGE_CSS)
    solara.Title("Compare scenarios")
    with solara.Column(classes=["cmp-projector"] if projector else [], style="padding: 8px"):
        if not projector:
            solara.Markdown("# Compare: two scenarios side by side, and the difference B - A")
        # on the projector the figure and the values take the whole width; the choices come
        # back as they were when it is switched off (they live in this component's state)
        with solara.Columns([1] if projector else [1, 3]):
            if not projector:
                with solara.Column():
                    choices = [*shipped_names(), *uploads]
                    SideControls("A", side_a, set_side_a, choices, uploads, cache)
                    SideControls("B", side_b, set_side_b, choices, uploads, cache,
                                 copy_from=side_a)
                    Upload(uploads, set_uploads, set_side_b)
            with solara.Column():
                Reading(measure, set_measure, actor, set_actor, replicates, set_replicates,
                        projector, set_projector, view)
                if result.state in (solara.ResultState.RUNNING, solara.ResultState.STARTING):
                    solara.ProgressLinear(True)
                    solara.Text(f"Updating: running A and B, {replicates} replicates each ...",
                                classes=["cmp-label", "cmp-updating"])
                elif isinstance(done, UserError):
                    with solara.Error(classes=["cmp-error"]):
                        solara.Preformatted(error_text("comparison", done))
                elif result.state == solara.ResultState.ERROR:
                    solara.Error(f"the comparison failed: {result.error}")
                if view is not None:
                    details = {"A": side_details(side_a), "B": side_details(side_b)}
                    parts = (file_part(side_a), file_part(side_b))
                    at = (largest_difference_month(view, measure, actor) if month is None
                          else min(max(month, 0), view.months))
                    Cursor(view, measure, actor, at, set_month)
                    if projector:  # values beside the figure, so both fit on one screen
                        with solara.Columns([3, 1]):
                            Chart(view, measure, actor, at, projector, parts)
                            Values(view, measure, actor, at, details, stacked=True)
                    else:
                        Values(view, measure, actor, at, details)
                        Chart(view, measure, actor, at, projector, parts)


@solara.component
def SideControls(name: str, side: Side, set_side, choices: list[str], uploads: dict,
                 cache: ComparisonCache, copy_from: Side | None = None):
    """A side's scenario, the events switched off, and the parameters moved."""
    scenario = solara.use_memo(lambda: _loaded(side, cache), [side.source, side.text])
    if isinstance(scenario, UserError):  # checked on upload, so only a vanished shipped file
        with solara.Error(classes=["cmp-error"]):
            solara.Preformatted(error_text(side.source, scenario))
        return
    with solara.Card(SIDE_NAMES[name], margin=0, style="margin-bottom: 8px"):
        solara.Select(f"scenario {name}", values=choices, value=side.source,
                      on_value=lambda s: set_side(Side(s, uploads.get(s))))
        labels = {event_label(scenario, e): e.key for e in scenario.events}
        by_key = {v: k for k, v in labels.items()}
        solara.SelectMultiple(
            f"events switched off in {name}", all_values=list(labels),
            values=[by_key[k] for k in side.events_off if k in by_key],
            on_value=lambda chosen: set_side(Side(
                side.source, side.text, tuple(labels[c] for c in chosen), side.settings)))
        with solara.Details(f"parameters of {name}" + (f" ({len(side.settings)} moved)"
                                                       if side.settings else "")):
            Sliders(side, set_side, scenario)
        with solara.Row():
            if side.changed:
                solara.Button(f"reset {name}", text=True,
                              on_click=lambda: set_side(Side(side.source, side.text)))
            if copy_from is not None and copy_from != side:
                solara.Button("same as A", text=True, on_click=lambda: set_side(copy_from))
        solara.Text(textwrap.shorten(scenario.description, 300, placeholder=" ..."),
                    style="font-size: 13px; color: #555")


def _loaded(side: Side, cache: ComparisonCache):
    try:
        return cache.source(side)
    except UserError as exc:
        return exc


@solara.component
def Sliders(side: Side, set_side, scenario):
    """The key parameters on the sliders every page shows (:mod:`sim.dashboard.controls`)."""
    moved = dict(side.settings)
    for spec in parameter_specs():
        own = float(getattr(scenario.parameters, spec.name))

        def change(value: float, name: str = spec.name, own: float = own) -> None:
            settings = {k: v for k, v in moved.items() if k != name}
            if abs(value - own) > 1e-12:
                settings[name] = float(value)
            set_side(Side(side.source, side.text, side.events_off, tuple(sorted(settings.items()))))

        ParameterSlider(spec, moved.get(spec.name, own), change, scenario_value=own)


@solara.component
def Upload(uploads: dict, set_uploads, set_side_b):
    """A student's own scenario file: checked as ``sim validate`` checks it; a good one becomes a
    choice on both sides (and B), a bad one shows the located problems."""
    problem, set_problem = solara.use_state("")

    def received(files) -> None:
        if not files:
            return
        chosen = files[0]  # ipywidgets 8: a tuple of {name, content, ...}
        name = str(chosen["name"])
        text = bytes(chosen["content"]).decode("utf-8", errors="replace")
        side, message = read_upload(name, text)
        set_problem(message)
        if side is not None:
            set_uploads({**uploads, name: text})
            set_side_b(side)

    with solara.Card("your own scenario file", margin=0):
        solara.Text("checked as `python -m sim validate` checks it; a file that loads becomes "
                    "scenario B", style="font-size: 13px; color: #555")
        # a file chooser (an <input type=file>), which works without drag and drop
        widgets.FileUpload.element(accept=".yml,.yaml", multiple=False,
                                   description="choose a YAML file", on_value=received,
                                   layout=widgets.Layout(width="auto"))
        if problem:
            with solara.Error(classes=["cmp-error"]):
                solara.Preformatted(problem)


def file_part(side: Side) -> str:
    """A side in a download's file name: its scenario's name, at most :data:`MAX_FILE_PART`
    characters, and ``-changed`` if events or parameters were changed on the page (the YAML
    and the figure say which), so a name stays well under 100 characters."""
    stem = slug(side.source.removesuffix(".yml").removesuffix(".yaml"))[:MAX_FILE_PART]
    return stem.rstrip("-_") + ("-changed" if side.changed else "")


def read_upload(name: str, text: str) -> tuple[Side | None, str]:
    """(the side it makes, "") for a file that loads; (None, the located problems) if not."""
    side = Side(name, text)
    try:
        load_source(side)
    except UserError as exc:
        return None, error_text(name, exc)
    return side, ""


@solara.component
def Reading(measure, set_measure, actor, set_actor, replicates, set_replicates, projector,
            set_projector, view: ComparisonView | None):
    titles = {f"{title} ({unit})": m for m, (title, unit) in SHOWN.items()}
    by_measure = {m: t for t, m in titles.items()}
    with solara.Row(style="align-items: center; flex-wrap: wrap"):
        solara.Select("measure", values=list(titles), value=by_measure[measure],
                      on_value=lambda t: set_measure(titles[t]), style="min-width: 320px")
        if view is not None:
            scenario = view.scenarios[0]
            names = {f"{scenario.actors[c].name} ({c})": c for c in scenario.allies()}
            shown = next((n for n, c in names.items() if c == actor), None)
            solara.Select("ally or partner", values=list(names), value=shown,
                          on_value=lambda n: set_actor(names[n]), style="min-width: 200px")
        solara.Select("replicates per side", values=[str(r) for r in REPLICATE_CHOICES],
                      value=str(replicates), on_value=lambda r: set_replicates(int(r)),
                      style="max-width: 180px")
        solara.Switch(label="projector", value=projector, on_value=set_projector)


@solara.component
def Cursor(view: ComparisonView, measure: str, actor: str, month: int, set_month):
    date = view.scenarios[0].month_date(month)
    with solara.Row(style="align-items: center"):
        solara.Text(f"time cursor: {date:%b %Y}", classes=["cmp-cursor-date"])
        solara.Button("go to the largest difference", outlined=True,
                      on_click=lambda: set_month(largest_difference_month(view, measure,
                                                                          actor)))
    solara.SliderInt("month", value=month, min=0, max=view.months, on_value=set_month,
                     thumb_label=False)


@solara.component
def Values(view: ComparisonView, measure: str, actor: str, month: int,
           details: dict[str, str] | None = None, stacked: bool = False):
    """A's, B's and B - A's median and band at the cursor, large enough for the back row; below
    a side's short label, what it changes in full (``details``)."""
    values = values_at(view, measure, actor, month)
    box = solara.Column if stacked else solara.Row
    with box(classes=["cmp-values"], style="flex-wrap: wrap; margin-top: 4px"):
        for key, label in (("A", f"A: {view.labels[0]}"), ("B", f"B: {view.labels[1]}"),
                           ("B-A", "B - A (paired)")):
            v = values[key]
            show = format_difference if key == "B-A" else format_level
            colour = figure.SIDE_COLOURS.get(key, figure.DIFFERENCE_COLOUR)
            with solara.Card(margin=0, style=f"border-top: 8px solid {colour}",
                             classes=["cmp-card", f"cmp-card-{key}"]):
                solara.Text(label, classes=["cmp-label"], style=f"color: {colour}")
                if (details or {}).get(key):
                    solara.Text(details[key], classes=["cmp-details"])
                solara.Text(show(measure, v["median"]), classes=["cmp-value", f"cmp-value-{key}"])
                solara.Text(f"10-90%: {show(measure, v['p10'])} to {show(measure, v['p90'])}",
                            classes=["cmp-band"])


@solara.component
def Chart(view: ComparisonView, measure: str, actor: str, month: int, projector: bool,
          parts: tuple[str, str]):
    # drawn once per comparison, measure, actor and look; the cursor moves only the cursor.
    # Drawn holding the server's drawing lock: the slides look sets matplotlib's global type
    # sizes while it draws, which another session's drawing at the same time would inherit
    def draw():
        with DRAWING:
            return figure.draw(view, measure, actor, None, projector)

    def picture():
        with DRAWING:
            return figure.png(figure.place_cursor(fig, view, measure, actor, month))

    fig = solara.use_memo(draw, [id(view), measure, actor, projector])
    image = solara.use_memo(picture, [fig, month])
    solara.Image(image, width="100%", classes=["cmp-figure"])
    name = f"compare-{parts[0]}-vs-{parts[1]}-{actor}-{measure}"
    with solara.Row(style="flex-wrap: wrap"):
        solara.FileDownload(image, f"{name}.png", label="figure (PNG)", mime_type="image/png")
        solara.FileDownload(lambda: figure.svg(fig), f"{name}.svg", label="figure (SVG)",
                            mime_type="image/svg+xml")
        solara.FileDownload(lambda: view.levels.to_csv(index=False, float_format="%.6g"),
                            "comparison.csv", label="levels (CSV)", mime_type="text/csv")
        solara.FileDownload(lambda: view.differences.to_csv(index=False, float_format="%.6g"),
                            "differences.csv", label="differences B - A (CSV)",
                            mime_type="text/csv")
        for k, key in enumerate("AB"):
            solara.FileDownload(view.yaml_texts[k], f"{key}_{parts[k]}.yml",
                                label=f"scenario {key} (YAML)", mime_type="text/yaml")
    solara.Text(f"A and B ran in {view.seconds:.1f} s. Reproduce them with: python -m sim "
                f"compare A_{parts[0]}.yml B_{parts[1]}.yml",
                style="font-size: 14px; color: #555")
