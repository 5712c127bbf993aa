"""The Compare page (issue 10, item 1: two scenarios side by side, one time cursor, the paired
difference): its numbers, and the page rendered headless as a lecturer would drive it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import ipyvuetify as v
import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

solara = pytest.importorskip("solara")

from sim.analysis import compare as analysis  # noqa: E402
from sim.commands.compare import load_all  # noqa: E402
from sim.dashboard import compare as page  # noqa: E402
from sim.dashboard import comparison_figure, comparison_runs  # noqa: E402
from sim.dashboard.comparison_runs import Side, run_comparison  # noqa: E402
from sim.paths import scenario_dir  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARIFFS = ("steel tariffs", "auto tariffs", "tariffs on all goods", "steel tariffs doubled")


def japan_trust(view, table):
    label = view.labels[1]
    return comparison_runs.series(table, label, "trust_in_patron", "JPN", view.scenarios[0])


# --- the numbers --------------------------------------------------------------------------------

def test_switching_the_tariffs_off_raises_japans_trust_in_b():
    view = run_comparison(Side("tariff_escalation"),
                          Side("tariff_escalation", events_off=TARIFFS), 40)
    diff = japan_trust(view, view.differences)
    assert diff["median"].iloc[0] == 0.0  # the same start
    # steel (Feb), autos and all goods (Apr), steel doubled (Jun): without them B trusts more
    assert diff["median"].iloc[2:8].min() > 0.01
    assert view.labels[1] == "tariff_escalation (4 events off)"
    assert {e.key for e in view.scenarios[1].events}.isdisjoint(TARIFFS)


def test_a_scenario_against_itself_differs_by_exactly_zero():
    view = run_comparison(Side("trump_second_term"), Side("trump_second_term"), 30)
    assert (view.differences[["p10", "median", "p90", "mean"]].to_numpy() == 0.0).all()
    values = comparison_runs.values_at(view, "trust_in_patron", "JPN", 4)
    assert values["B-A"] == {"p10": 0.0, "median": 0.0, "p90": 0.0}
    assert values["A"] == values["B"]
    fig = comparison_figure.draw(view, "trust_in_patron", "JPN", 4)
    assert "identical at every month" in fig.axes[2].get_title(loc="left")


def test_the_downloaded_yamls_reproduce_the_page_through_sim_compare(tmp_path):
    a = Side("tariff_escalation")
    b = Side("tariff_escalation", events_off=("steel tariffs", "Taiwan Strait tension"),
             settings=(("forgetting", 0.95), ("negativity_bias", 3.0)))
    view = run_comparison(a, b, 25)
    paths = []
    for key, text in zip("AB", view.yaml_texts, strict=True):
        paths.append(tmp_path / f"{key}.yml")
        paths[-1].write_text(text, encoding="utf-8")
    again = analysis.compare(load_all(paths, None, None))
    assert again.replicates == 25 and again.seed == view.scenarios[0].seed
    numbers = ["p10", "median", "p90", "mean"]
    table = analysis.difference_table(again, comparison_runs.TABLED)
    np.testing.assert_array_equal(table[numbers].to_numpy(),
                                  view.differences[numbers].to_numpy())
    levels = analysis.level_table(again, comparison_runs.TABLED)
    np.testing.assert_array_equal(levels[numbers].to_numpy(), view.levels[numbers].to_numpy())


def test_the_difference_axis_never_exaggerates_a_tiny_difference():
    view = run_comparison(Side("baseline"), Side("baseline", settings=(("forgetting", 0.93),)),
                          20)
    fig = comparison_figure.draw(view, "alignment_security", "JPN", 10)
    low, high = fig.axes[2].get_ylim()
    assert low <= -0.05 and high >= 0.05
    title = fig.axes[2].get_title(loc="left")
    assert "(tiny;" in title or "(small;" in title


def test_a_bad_file_is_reported_as_sim_validate_reports_it(tmp_path):
    text = (scenario_dir() / "tariff_escalation.yml").read_text(encoding="utf-8")
    text = text.replace("rate: 0.25", "rate: -0.25", 1)  # the steel tariffs
    side, message = page.read_upload("my_tariffs.yml", text)
    assert side is None
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for shipped in scenario_dir().glob("*.yml"):
        (folder / shipped.name).write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "my_tariffs.yml").write_text(text, encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "sim", "validate", "my_tariffs.yml"],
                         cwd=folder, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert cli.returncode == 2
    assert message.splitlines() == (cli.stdout + cli.stderr).splitlines()
    assert "line " in message and "events[0].rate" in message
    good, none = page.read_upload("mine.yml", "name: mine\nextends: baseline.yml\n")
    assert none == "" and good == Side("mine.yml", "name: mine\nextends: baseline.yml\n")


# --- the page, headless -------------------------------------------------------------------------

def texts(rc, css_class: str) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html).widgets
            if css_class in (w.class_ or "").split() and w.children]


def wait(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not get there in time")
        time.sleep(0.05)


@pytest.fixture
def counted(monkeypatch):
    """Every comparison the page actually runs (cache misses)."""
    runs: list[tuple] = []

    def counting(a, b, replicates, build):
        runs.append((a, b, replicates))
        return run_comparison(a, b, replicates, build)

    monkeypatch.setattr(comparison_runs, "run_comparison", counting)
    return runs


def shown(rc) -> list[str]:
    return texts(rc, "cmp-value")


def test_the_cursor_restates_the_values_without_running_again(counted):
    box, rc = solara.render(page.Page(), handle_error=False)
    wait(lambda: len(shown(rc)) == 3)
    assert len(counted) == 1 and counted[0][2] == 200
    # it opens at the largest difference, where the story is: May 2025, not the last month
    assert texts(rc, "cmp-cursor-date") == ["time cursor: May 2025"]
    in_may = shown(rc)
    # trump_second_term minus baseline in May 2025: the spring bundle cost Japan's trust
    assert in_may[2].startswith("-") and in_may[2].endswith(" pp")
    before = bytes(rc.find(widgets.Image).widget.value)
    rc.find(v.Slider, label="month").widget.v_model = 48
    wait(lambda: texts(rc, "cmp-cursor-date") == ["time cursor: Jan 2029"])
    assert shown(rc) != in_may
    assert bytes(rc.find(widgets.Image).widget.value) != before  # the cursor line moved
    assert len(counted) == 1  # moved, not rerun
    rc.find(v.Slider, label="month").widget.v_model = 30
    wait(lambda: texts(rc, "cmp-cursor-date") == ["time cursor: Jul 2027"])
    rc.find(v.Btn, children=["go to the largest difference"]).widget.click()
    # the low point the facilitator's guide names: May 2025, after the spring bundle
    wait(lambda: texts(rc, "cmp-cursor-date") == ["time cursor: May 2025"])
    assert len(counted) == 1


def test_events_off_in_b_run_again_and_going_back_is_cached(counted):
    box, rc = solara.render(page.Page(), handle_error=False)
    wait(lambda: len(shown(rc)) == 3)
    rc.find(v.Select, label="scenario A").widget.v_model = "tariff_escalation"
    rc.find(v.Select, label="scenario B").widget.v_model = "tariff_escalation"
    wait(lambda: texts(rc, "cmp-value-B-A") == ["0 (identical)"])
    off = rc.find(v.Select, label="events switched off in B").widget
    off.v_model = [f"{d} · {k}" for d, k in zip(("Feb 2025", "Apr 2025", "Apr 2025", "Jun 2025"),
                                                TARIFFS, strict=True)]
    wait(lambda: "B: tariff_escalation (4 events off)" in texts(rc, "cmp-label"))
    rc.find(v.Slider, label="month").widget.v_model = 5
    wait(lambda: texts(rc, "cmp-cursor-date") == ["time cursor: Jun 2025"])
    assert texts(rc, "cmp-value-B-A")[0].startswith("+")  # no tariffs: more trust
    runs = len(counted)
    off.v_model = []
    wait(lambda: texts(rc, "cmp-value-B-A") == ["0 (identical)"])
    assert len(counted) == runs  # that comparison was cached


def test_a_pair_that_does_not_line_up_is_explained_and_the_page_keeps_working():
    box, rc = solara.render(page.Page(), handle_error=False)
    wait(lambda: len(shown(rc)) == 3)
    rc.find(v.Select, label="scenario B").widget.v_model = "trump_first_term"
    wait(lambda: bool(rc.find(v.Html, tag="pre").widgets))
    message = rc.find(v.Html, tag="pre").widgets[0].children[0]
    assert "differ in start (2025-01-01 vs 2017-01-01)" in message
    assert "valid: the same start in every scenario compared" in message
    rc.find(v.Select, label="scenario B").widget.v_model = "us_reassurance"
    wait(lambda: "B: us_reassurance" in texts(rc, "cmp-label"))
    assert not rc.find(v.Html, tag="pre").widgets


def test_each_session_has_its_own_choices():
    first, rc1 = solara.render(page.Page(), handle_error=False)
    second, rc2 = solara.render(page.Page(), handle_error=False)
    wait(lambda: len(shown(rc1)) == 3 and len(shown(rc2)) == 3)
    rc1.find(v.Select, label="scenario B").widget.v_model = "us_reassurance"
    wait(lambda: "B: us_reassurance" in texts(rc1, "cmp-label"))
    assert "B: trump_second_term" in texts(rc2, "cmp-label")


def test_the_csv_tables_are_the_analysis_tables():
    view = run_comparison(Side("baseline"), Side("us_reassurance"), 20)
    table = pd.read_csv(pd.io.common.StringIO(view.differences.to_csv(index=False)))
    assert set(table["scenario"]) == {"us_reassurance"}
    assert set(table["reference"]) == {"baseline"}
    assert {"trust", "alignment_economic", "defence_spending"} <= set(table["measure"])


def test_a_changed_side_has_a_short_label_its_details_below_and_short_file_names():
    from solara.components.file_download import FileDownloadWidget

    b = Side("trump_second_term", None, ("steel tariffs", "auto tariffs"),
             (("negativity_bias", 1.99),))
    scenario, _ = comparison_runs.side_scenario(b)
    assert scenario.name == "trump_second_term (2 events off, 1 parameter)"
    assert comparison_runs.side_details(b) == ("off: steel tariffs; auto tariffs. "
                                               "negativity_bias = 1.99")
    assert page.file_part(b) == "trump_second_term-changed"
    assert page.file_part(Side("baseline")) == "baseline"
    box, rc = solara.render(page.Page(), handle_error=False)
    wait(lambda: len(shown(rc)) == 3)
    off = rc.find(v.Select, label="events switched off in B").widget
    off.v_model = list(off.items)[:5]
    wait(lambda: "B: trump_second_term (5 events off)" in texts(rc, "cmp-label"))
    wait(lambda: texts(rc, "cmp-details")[0].startswith("off: "))
    names = [w.filename for w in rc.find(FileDownloadWidget).widgets]
    assert "compare-baseline-vs-trump_second_term-changed-JPN-trust_in_patron.png" in names
    assert max(len(n) for n in names) < 100
