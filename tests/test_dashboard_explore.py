"""The Explore page without a browser: its parts, and the page rendered headless (Solara's
``render`` and widget look-ups), as a lecturer would use it."""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets
import numpy as np
import pandas as pd
import pytest

solara = pytest.importorskip("solara")
widgets = pytest.importorskip("solara.widgets")

from sim.analysis.tables import quantiles  # noqa: E402
from sim.dashboard import charts, downloads, explore  # noqa: E402
from sim.dashboard.parameters import KEY_PARAMETERS, parameter_specs  # noqa: E402
from sim.dashboard.playback import OneRun  # noqa: E402
from sim.dashboard.results import Results  # noqa: E402
from sim.dashboard.scenarios import (  # noqa: E402
    Source,
    load_source,
    message,
    shipped_source,
    uploaded_source,
)
from sim.dashboard.session import Settings, changed, scenario_yaml, settle  # noqa: E402
from sim.engine.ensemble import run_ensemble  # noqa: E402
from sim.errors import ScenarioError, UserError  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

BAD_RATE = "rate: -0.25"


@pytest.fixture(scope="module")
def tariffs():
    return load_source(shipped_source("tariff_escalation"))


# --- the parts ----------------------------------------------------------------------------------

def test_a_slider_label_shows_unit_range_and_source():
    specs = {s.name: s for s in parameter_specs()}
    assert set(specs) == set(KEY_PARAMETERS) and 6 <= len(specs) <= 10
    forgetting = specs["forgetting"]
    assert "retained per month" in forgetting.label and "0.850 to 0.995" in forgetting.label
    assert forgetting.kind == "calibrated" and "Josang" in forgetting.gist
    noise = specs["perception_noise"]
    assert noise.gist.startswith("assumption: governments read the same act differently")
    # a slider's float arithmetic landing a hair outside the range is brought back into it
    assert forgetting.clamped(0.99500000001) == 0.995


def test_the_server_never_moves_a_knob_the_student_is_moving():
    """A student presses an arrow key twice quickly: the first value comes back from the server
    (its ensemble, a re-render) while the knob is already one step further. The render must not
    put the knob back; a reset from elsewhere draws a new slider at the new value."""
    from sim.dashboard.controls import ParameterSlider

    spec = next(s for s in parameter_specs() if s.name == "negativity_bias")
    reported = []

    @solara.component
    def Parent():
        value, set_value = solara.use_state(2.0)
        ParameterSlider(spec, value, lambda v: (reported.append(v), set_value(v)))
        solara.Button("reset", on_click=lambda: set_value(2.0))

    _, rc = solara.render(Parent(), handle_error=False)
    knob = rc.find(v.Slider).widget
    assert knob.v_model == 2.0
    knob.v_model = 2.03  # first press, and the second, before the server answered the first
    knob.v_model = 2.06
    knob.fire_event("change", 2.03)  # the first press's value arrives: the parent re-renders
    assert reported == [2.03] and knob.v_model == 2.06  # the knob stays where the student is
    label = rc.find(widgets.HTML, attributes={"class": "parameter-label"}).widget
    assert "<b>2.03</b>" in label.unsafe_innerHTML  # the value in use
    knob.fire_event("change", 2.06)
    assert reported == [2.03, 2.06] and rc.find(v.Slider).widget is knob  # focus kept

    rc.find(v.Btn, children=["reset"]).widget.click()
    reset = rc.find(v.Slider).widget
    assert reset is not knob and reset.v_model == 2.0
    rc.close()


def test_switching_an_event_off_changes_the_ensemble_and_nothing_else(tariffs):
    on = settle(tariffs, Settings.of(tariffs, replicates=20))
    off = settle(tariffs, Settings.of(tariffs, replicates=20).with_event("steel tariffs", False))
    assert len(off.events) == len(on.events) - 1
    trust_on = run_ensemble(on).trust("JPN", "US")
    trust_off = run_ensemble(off).trust("JPN", "US")
    assert trust_off[:, 2].mean() > trust_on[:, 2].mean() + 0.005  # the tariffs of Feb 2025
    np.testing.assert_array_equal(trust_off[:, :1], trust_on[:, :1])  # same start


def test_a_slider_value_outside_the_register_is_refused(tariffs):
    with pytest.raises(UserError, match="forgetting"):
        settle(tariffs, Settings.of(tariffs).with_parameter("forgetting", 1.2))


def test_the_downloaded_yaml_reproduces_the_pages_numbers(tariffs, tmp_path):
    settings = (Settings.of(tariffs, replicates=30).with_event("auto tariffs", False)
                .with_parameter("negativity_bias", 3.1).with_parameter("forgetting", 0.95))
    settled = settle(tariffs, settings)
    page = Results().summary(settled)
    file = tmp_path / "downloaded.yml"
    file.write_text(scenario_yaml(settled, tariffs, settings), encoding="utf-8")
    again = load_scenario(file)
    assert "negativity_bias = 3.1" in again.description and "auto tariffs" in again.description
    rerun = quantiles(run_ensemble(again))
    assert downloads.summary_csv(rerun) == downloads.summary_csv(page)
    changed = quantiles(run_ensemble(load_source(shipped_source("tariff_escalation"))
                                     .model_copy(update={"replicates": 30})))
    assert downloads.summary_csv(changed) != downloads.summary_csv(page)  # the settings count


def test_an_edited_scenario_gets_the_validate_message_naming_its_file_and_line(tariffs):
    text = shipped_source("tariff_escalation").text.replace("rate: 0.25", BAD_RATE, 1)
    with pytest.raises(ScenarioError) as caught:
        load_source(Source("my_tariffs.yml", text))
    shown = message(caught.value)
    assert shown.startswith("error: my_tariffs.yml, line ")
    assert "at 'events[0].rate'" in shown and "got -0.25" in shown
    assert "valid: rate: a number from 0 to 5" in shown


def test_uploaded_text_may_extend_a_shipped_scenario_by_its_file_name():
    source = uploaded_source("what_if.yml", b"name: what_if\nextends: tariff_escalation.yml\n"
                                            b"parameters:\n  forgetting: 0.9\n")
    scenario = load_source(source)
    assert scenario.parameters.forgetting == 0.9 and len(scenario.events) == 14


def test_an_uploaded_binary_file_is_refused_by_name():
    with pytest.raises(ScenarioError, match="not UTF-8") as caught:
        uploaded_source("photo.yml", b"\xff\xd8\xff\xe0 JFIF")
    assert caught.value.file == "photo.yml"


def test_an_uploaded_binary_file_is_worded_as_the_cli_words_it(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00"
    (tmp_path / "logo.yml").write_bytes(data)
    with pytest.raises(ScenarioError) as cli:
        load_scenario(tmp_path / "logo.yml")
    with pytest.raises(ScenarioError) as page:
        uploaded_source("logo.yml", data)
    assert "(byte 0x89)" in str(page.value) and "cannot be read" not in str(page.value)
    assert str(page.value).replace("logo.yml", "") in str(cli.value).replace(
        str(tmp_path / "logo.yml"), "")


def test_one_run_month_by_month_shows_the_months_events(tariffs):
    run = OneRun(tariffs)
    months = [run.step() for _ in range(4)]
    assert [m.date.isoformat() for m in months] == ["2025-01-01", "2025-02-01", "2025-03-01",
                                                    "2025-04-01"]
    assert {"golden age summit", "steel tariffs"} <= {h.key for h in months[1].happenings}
    april = months[3]
    assert {h.key for h in april.happenings} == {"auto tariffs", "tariffs on all goods"}
    assert next(h for h in april.happenings if h.key == "auto tariffs").on == "JPN, KOR, EUR"
    japan = next(t for t in april.trust if t[0] == "Japan")
    assert japan[2] < japan[1] - 0.01  # the tariffs cost trust

    assert japan[1] == next(t for t in months[2].trust if t[0] == "Japan")[2]
    # the run is replicate 0 of the ensemble with the same seed
    ensemble = run_ensemble(tariffs.model_copy(update={"replicates": 2}))
    np.testing.assert_allclose(run.trust_so_far()["JPN"], ensemble.trust("JPN", "US")[0, :5],
                               rtol=1e-6)


def test_a_screen_picture_is_the_figure_with_a_remembered_layout(tariffs):
    settled = settle(tariffs, Settings.of(tariffs, replicates=20))
    results = Results()
    first = results.picture(charts.BY_KEY["trust"], settled, explore.Look("slides", "JPN"))
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and len(results.layouts) == 1
    moved = settle(tariffs, Settings.of(tariffs, replicates=20)
                   .with_parameter("negativity_bias", 3.5))
    second = results.picture(charts.BY_KEY["trust"], moved, explore.Look("slides", "JPN"))
    assert second != first and len(results.layouts) == 1  # same texts: the layout reused



def test_the_server_computes_each_ensemble_once_for_every_session(tariffs, monkeypatch):
    """One store for all sessions: the same settings (any session's) reuse one ensemble, other
    settings get their own, so no session can see numbers its own settings do not make."""
    from sim.dashboard import results as store

    monkeypatch.setattr(store, "_shared", None)
    runs = []
    monkeypatch.setattr(store, "run_ensemble", lambda s: runs.append(s.digest()) or
                        run_ensemble(s))
    first, second = store.shared(), store.shared()  # two sessions
    assert first is second
    mine = settle(tariffs, Settings.of(tariffs, replicates=10))
    theirs = settle(tariffs, Settings.of(tariffs, replicates=10)
                    .with_parameter("negativity_bias", 3.5))
    a, b = first.ensemble(mine), second.ensemble(mine)
    assert a is b and len(runs) == 1
    other = second.ensemble(theirs)
    assert len(runs) == 2 and not np.array_equal(other.trust("JPN", "US"), a.trust("JPN", "US"))


def test_a_new_session_reads_the_default_scenario_once():
    assert explore.first_scenario() is explore.first_scenario()


# --- the page, rendered headless ------------------------------------------------------------------

def _html(rc, css_class: str) -> list[str]:
    return [w.unsafe_innerHTML for w in rc.find(widgets.HTML).widgets
            if css_class in w.attributes.get("class", "")]


def _wait(condition, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("the page did not update in time")


def _headline(rc) -> str:
    return _wait(lambda: (_html(rc, "headline") or [""])[0])


def _up_to_date(rc) -> str:
    return _wait(lambda: [t for t in _html(rc, "status-text") if t.startswith("Up to date")])[0]


@pytest.fixture
def page():
    box, rc = solara.render(explore.Page(), handle_error=False)
    yield rc
    rc.close()


def test_the_page_opens_with_the_seminar_scenario_and_its_chart(page):
    assert "Japan's trust in the United States: 34% at the start" in _headline(page)
    images = page.find(ipywidgets.Image).widgets
    assert len(images) == 1 and images[0].value[:4] == b"\x89PNG"
    labels = [w.label for w in page.find(v.Checkbox).widgets]
    assert "Feb 2025 · steel tariffs" in labels and len(labels) == 33


def test_turning_an_event_off_on_the_page_changes_the_chart_and_the_numbers(page):
    before = _headline(page)
    picture = page.find(ipywidgets.Image).widget.value
    page.find(v.Checkbox, label="Feb 2025 · steel tariffs").widget.v_model = False
    after = _wait(lambda: _headline(page) != before and _headline(page))
    assert "34% at the start" in after
    _up_to_date(page)
    assert page.find(ipywidgets.Image).widget.value != picture
    assert "steel tariffs" in _up_to_date(page)  # the status says what changed


def test_a_bad_yaml_shows_the_located_message_and_keeps_the_old_scenario(page):
    before = _headline(page)
    text = shipped_source("trump_second_term").text.replace("intensity: 0.4", "intensity: 7")
    _up_to_date(page)  # the worker idle: its re-render cannot race the typing below
    page.find(v.Textarea).widget.v_model = text
    page.find(v.Btn, children=["Apply the edited YAML"]).widget.click()
    shown = _wait(lambda: [w.unsafe_innerHTML for w in page.find(widgets.HTML).widgets
                           if w.tag == "pre"])[0]
    assert "trump_second_term.yml was not applied; still showing trump_second_term" in shown
    assert ("error: trump_second_term.yml, line 36, column 5, at 'events[0].intensity': "
            "intensity must be a number from") in shown
    assert "valid: intensity:" in shown
    assert _headline(page) == before  # still the old scenario's numbers
    page.find(v.Checkbox, label="Feb 2025 · steel tariffs").widget.v_model = False
    _wait(lambda: _headline(page) != before)  # and the session keeps working


def test_two_sessions_keep_their_own_settings():
    _, first = solara.render(explore.Page(), handle_error=False)
    _, second = solara.render(explore.Page(), handle_error=False)
    try:
        before = _headline(second)
        first.find(v.Checkbox, label="Feb 2025 · steel tariffs").widget.v_model = False
        _wait(lambda: _headline(first) != before)
        time.sleep(0.5)
        assert _headline(second) == before
        assert second.find(v.Checkbox, label="Feb 2025 · steel tariffs").widget.v_model is True
    finally:
        first.close()
        second.close()


def test_the_summary_download_is_the_table_sim_run_writes(tariffs):
    settled = settle(tariffs, Settings.of(tariffs, replicates=10))
    table = pd.read_csv(pd.io.common.BytesIO(downloads.summary_csv(Results().summary(settled))))
    assert list(table.columns) == ["month", "date", "actor", "partner", "measure", "p10",
                                   "median", "p90"][:len(table.columns)] or "median" in table
    assert {"trust", "alignment_security", "defence_spending"} <= set(table["measure"])


def test_the_handout_of_what_is_on_screen_holds_every_figure(tariffs):
    settings = Settings.of(tariffs, replicates=10).with_event("steel tariffs", False)
    settled = settle(tariffs, settings)
    page = downloads.handout_html(run_ensemble(settled), explore.Look("slides", "JPN")).decode()
    assert page.startswith("<!DOCTYPE html>") and "tariff_escalation" in page
    assert page.count('src="data:image/png;base64,') == 5
    assert "<b>steel tariffs</b>" not in page and "<b>auto tariffs</b>" in page  # as on screen


def test_downloads_say_what_was_changed_on_the_page(tariffs):
    settings = (Settings.of(tariffs, replicates=10).with_event("steel tariffs", False)
                .with_parameter("negativity_bias", 2.29))
    settled = settle(tariffs, settings)
    changes = changed(tariffs, settings)
    shown = downloads.marked(settled, changes)
    assert shown.name.startswith("tariff_escalation (changed in the dashboard: ")
    assert shown.description.endswith(
        "Changed in the dashboard: negativity_bias = 2.29; events off: steel tariffs.")
    svg = charts.figure_file(charts.BY_KEY["trust"], Results().summary(settled, ("trust",)),
                             shown, explore.Look("report", None), "svg").decode()
    assert "changed in the dashboard" in svg  # in the title
    page = downloads.handout_html(downloads.with_scenario(run_ensemble(settled), shown),
                                  explore.Look("report", None)).decode()
    assert "Changed in the dashboard: negativity_bias = 2.29; events off: steel tariffs." in page
    assert downloads.file_name(settled.name, "handout.html", bool(changes)) == \
        "tariff_escalation-changed-handout.html"
    assert downloads.file_name(settled.name, "handout.html") == "tariff_escalation-handout.html"
    assert downloads.marked(settled, []) is settled


def test_the_page_names_its_downloads_changed_once_an_event_is_off(page):
    from solara.components.file_download import FileDownloadWidget

    def names() -> list[str]:
        return [w.filename for w in page.find(FileDownloadWidget).widgets]

    _up_to_date(page)
    assert "trump_second_term-handout.html" in names()
    page.find(v.Checkbox, label="Feb 2025 · steel tariffs").widget.v_model = False
    _wait(lambda: "trump_second_term-changed-handout.html" in names())


def test_the_one_run_survives_a_tab_switch_says_when_it_restarts_and_restarts(page):
    def played() -> str:
        texts = page.find(v.Html, class_="month-played").widgets
        return texts[0].children[0] if texts else ""

    def tab(k: int) -> None:
        page.find(v.BtnToggle).widget.v_model = k  # the tabs, in order; the last is One run

    _up_to_date(page)
    tab(len(charts.CHARTS))
    _wait(lambda: page.find(v.Btn, children=["Step one month"]).widgets)
    page.find(v.Btn, children=["Step one month"]).widget.click()
    page.find(v.Btn, children=["Step one month"]).widget.click()
    _wait(lambda: played().startswith("2 of 48 months played"))
    assert page.find(v.Btn, children=["Restart"]).widget.disabled is False
    tab(0)
    _up_to_date(page)
    tab(len(charts.CHARTS))
    _wait(lambda: played().startswith("2 of 48 months played"))  # kept across tabs
    assert not _html(page, "run-note")
    page.find(v.Checkbox, label="Feb 2025 · steel tariffs").widget.v_model = False
    _wait(lambda: played().startswith("0 of 48 months played"))
    assert _html(page, "run-note") == ["Settings changed: the run restarts from the first month."]
    page.find(v.Btn, children=["Step one month"]).widget.click()
    _wait(lambda: played().startswith("1 of 48"))
    assert not _html(page, "run-note")
    page.find(v.Btn, children=["Restart"]).widget.click()
    _wait(lambda: played().startswith("0 of 48 months played"))
    assert not _html(page, "run-note")


def test_the_month_log_says_who_re_engages_with_whom():
    """A re-engagement has no 'by': its actor and partner are who moved (not 'on CHN')."""
    second_term = load_scenario(explore.paths.scenario_file("trump_second_term"))
    run = OneRun(second_term)
    happened = [h for _ in range(6) for h in run.step().happenings if h.kind == "reengagement"]
    assert happened and all(h.by and " with " in h.by and not h.on for h in happened)


def test_a_result_asked_for_twice_at_once_is_made_once():
    """The lecturer says "set forgetting to 0.95": thirty sessions ask for the same ensemble
    within a second; the second asker waits for the first's, and a failure reaches both."""
    import threading

    from sim.dashboard.results import Newest

    cache, made, started = Newest(4), [], threading.Event()

    def make():
        made.append(1)
        started.set()
        time.sleep(0.3)
        return object()

    got = []
    first = threading.Thread(target=lambda: got.append(cache.get("k", make)))
    first.start()
    started.wait()
    got.append(cache.get("k", make))  # while the first is still making it
    first.join()
    assert len(made) == 1 and got[0] is got[1]

    def fail():
        started.set()
        time.sleep(0.2)
        raise ValueError("no")

    started.clear()
    errors = []
    failing = threading.Thread(target=lambda: errors.append(_raised(lambda: cache.get("x", fail))))
    failing.start()
    started.wait()
    errors.append(_raised(lambda: cache.get("x", fail)))
    failing.join()
    assert [type(e) for e in errors] == [ValueError, ValueError]
    assert cache.get("x", lambda: 7) == 7  # a failure is not kept: the next asker makes it


def _raised(call):
    try:
        call()
    except Exception as error:  # noqa: BLE001 (the test looks at it)
        return error
    return None


def test_the_server_runs_one_ensemble_per_core_at_a_time(tariffs, monkeypatch):
    """Thirty ensembles started together in thirty threads would all finish after the
    thirtieth's time; the gate runs them first come first served."""
    import threading

    from sim.dashboard import results as store

    running, overlap, lock = [0], [0], threading.Lock()

    def ensemble(scenario):
        with lock:
            running[0] += 1
            overlap[0] = max(overlap[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return scenario.seed

    monkeypatch.setattr(store, "run_ensemble", ensemble)
    results = store.Results(gate=threading.Semaphore(1))
    settled = [settle(tariffs, Settings.of(tariffs, replicates=10).with_parameter(
        "negativity_bias", 2.0 + k / 10)) for k in range(6)]
    threads = [threading.Thread(target=results.ensemble, args=(s,)) for s in settled]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlap[0] == 1 and len(results.ensembles) == 4  # one at a time; the newest four
