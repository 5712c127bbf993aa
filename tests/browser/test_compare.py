"""The Compare page in chromium against the real server, as a lecturer uses it: choose two
scenarios, read both and the difference, move the time cursor, switch events off, download the
figure, the tables and the scenarios (and reproduce them with ``python -m sim compare``)."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = os.environ.get("SCREENSHOTS")  # a folder to keep screenshots in, to look at them


def open_compare(page, dashboard):
    page.goto(dashboard.url + "/compare")
    page.locator(".cmp-value-B-A").wait_for()
    return page


def field(page, label: str):
    return page.locator(".v-input", has=page.locator("label", has_text=re.compile(
        f"^{re.escape(label)}$")))


def choose(page, label: str, option: str) -> None:
    field(page, label).locator(".v-select__slot").click()
    menu = page.locator(".menuable__content__active")
    menu.get_by_text(option, exact=True).click()
    page.keyboard.press("Escape")


def value(page, key: str) -> str:
    return page.locator(f".cmp-value-{key}").inner_text()


def label(page, key: str) -> str:
    return page.locator(f".cmp-card-{key} .cmp-label").inner_text()


def wait_text(page, selector: str, text: str, timeout: float = 30_000) -> None:
    page.locator(selector, has_text=re.compile(f"^{re.escape(text)}$")).wait_for(
        timeout=timeout)


def shot(page, name: str) -> None:
    if SCREENS:
        Path(SCREENS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENS) / f"{name}.png"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def download(page, button: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_two_scenarios_side_by_side_with_one_cursor_and_downloads(dashboard, page, tmp_path):
    open_compare(page, dashboard)
    choose(page, "scenario A", "tariff_escalation")
    choose(page, "scenario B", "us_reassurance")
    wait_text(page, ".cmp-card-A .cmp-label", "A: tariff_escalation")
    wait_text(page, ".cmp-card-B .cmp-label", "B: us_reassurance")
    page.locator(".cmp-updating").wait_for(state="detached")
    image = page.locator(".cmp-figure img, img.cmp-figure").first
    assert image.evaluate("img => img.naturalWidth") == 1600
    at_end = (value(page, "A"), value(page, "B"), value(page, "B-A"))
    assert at_end[0].endswith("%") and at_end[2].endswith(" pp")
    shot(page, "compare_two_scenarios")

    thumb = field(page, "month").locator("[role=slider]")
    thumb.focus()
    page.keyboard.press("Home")
    wait_text(page, ".cmp-cursor-date", "time cursor: Jan 2025")
    at_start = (value(page, "A"), value(page, "B"), value(page, "B-A"))
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_text(page, ".cmp-cursor-date", "time cursor: May 2025")
    in_may = (value(page, "A"), value(page, "B"), value(page, "B-A"))
    assert in_may != at_start
    shot(page, "compare_cursor_may_2025")

    figure = download(page, "figure (PNG)", tmp_path).read_bytes()
    assert png_size(figure) == (1600, 900)
    assert len(figure) > 60_000  # a drawn figure, not an empty canvas
    svg = download(page, "figure (SVG)", tmp_path).read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg

    a = download(page, "scenario A (YAML)", tmp_path)
    b = download(page, "scenario B (YAML)", tmp_path)
    shown = pd.read_csv(download(page, "differences B - A (CSV)", tmp_path))
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "sim", "compare", str(a), str(b), "--out", str(out),
                    "--no-plots"], check=True, cwd=tmp_path, env=env, capture_output=True)
    again = pd.read_csv(out / "differences.csv")
    again = again[again["measure"].isin(shown["measure"].unique())].reset_index(drop=True)
    numbers = ["p10", "median", "p90", "mean"]
    pd.testing.assert_frame_equal(again[numbers], shown[numbers])
    # the value on screen in May 2025 is the table's
    row = shown[(shown["measure"] == "trust") & (shown["actor"] == "JPN")
                & (shown["partner"] == "US") & (shown["month"] == 4)].iloc[0]
    assert in_may[2] == f"{100 * row['median']:+.1f} pp"


def test_switching_events_off_in_b_updates_quickly_and_the_cursor_never_reruns(dashboard,
                                                                              page):
    open_compare(page, dashboard)
    choose(page, "scenario A", "tariff_escalation")
    choose(page, "scenario B", "tariff_escalation")
    wait_text(page, ".cmp-value-B-A", "0 (identical)")
    thumb = field(page, "month").locator("[role=slider]")
    thumb.focus()
    page.keyboard.press("Home")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_text(page, ".cmp-cursor-date", "time cursor: Jun 2025")

    field(page, "events switched off in B").locator(".v-select__slot").click()
    started = time.perf_counter()
    page.locator(".menuable__content__active").get_by_text("Feb 2025 · steel tariffs",
                                                           exact=True).click()
    wait_text(page, ".cmp-card-B .cmp-label", "B: tariff_escalation (1 event off)")
    page.locator(".cmp-updating").wait_for(state="detached")
    seconds = time.perf_counter() - started
    page.keyboard.press("Escape")
    print(f"\nevents off in B -> values and chart updated: {seconds:.2f} s "
          "(200 replicates a side)")
    assert value(page, "B-A").startswith("+")  # without the steel tariffs Japan trusts more
    # how fast is measured by benchmarks/compare_page_speed.py (about 1.2 s on an idle 2-core
    # machine); a timed test fails on a loaded machine (8.8 s at load 6), so this bound only
    # catches an update that never comes back in reasonable time
    assert seconds < 30.0

    before = value(page, "B-A")
    started = time.perf_counter()
    thumb.focus()
    page.keyboard.press("ArrowRight")
    wait_text(page, ".cmp-cursor-date", "time cursor: Jul 2025")
    print(f"cursor moved -> values restated: {time.perf_counter() - started:.2f} s")
    assert page.locator(".cmp-updating").count() == 0  # no run for a cursor move
    assert value(page, "B-A") != before


def test_a_bad_file_chosen_shows_the_located_problem_and_the_page_keeps_working(
        dashboard, page, tmp_path):
    open_compare(page, dashboard)
    text = (ROOT / "scenarios" / "tariff_escalation.yml").read_text(encoding="utf-8")
    bad = text.replace("rate: 0.25", "rate: -0.25", 1)
    line = next(k for k, row in enumerate(bad.splitlines(), start=1) if "rate: -0.25" in row)
    (tmp_path / "my_tariffs.yml").write_text(bad, encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload").click()
    chooser.value.set_files(tmp_path / "my_tariffs.yml")
    problem = page.locator(".cmp-error pre")
    problem.wait_for()
    assert problem.inner_text().splitlines()[:2] == [
        "my_tariffs.yml: 1 problem",
        f"error: my_tariffs.yml, line {line}, column 5, at 'events[0].rate': rate must be a "
        "number from 0 to 5, got -0.25"]
    shot(page, "compare_bad_upload")
    choose(page, "scenario B", "us_reassurance")  # the session goes on
    wait_text(page, ".cmp-card-B .cmp-label", "B: us_reassurance")


def test_two_browsers_do_not_see_each_others_choices(dashboard, browser):
    contexts = [browser.new_context(viewport={"width": 1600, "height": 1000})
                for _ in range(2)]
    try:
        first, second = (c.new_page() for c in contexts)
        for p in (first, second):
            p.set_default_timeout(30_000)
            open_compare(p, dashboard)
        choose(first, "scenario B", "japan_china_thaw")
        wait_text(first, ".cmp-card-B .cmp-label", "B: japan_china_thaw")
        second.reload()
        second.locator(".cmp-value-B-A").wait_for()
        assert label(second, "B") == "B: trump_second_term"
    finally:
        for c in contexts:
            c.close()


@pytest.mark.parametrize("width,height", [(1920, 1080)])
def test_the_projector_view_fits_the_figure_and_the_values_on_one_screen(dashboard, page,
                                                                         width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_compare(page, dashboard)
    page.get_by_text("projector").click()
    page.locator(".cmp-projector").wait_for()
    image = page.locator(".cmp-figure img, img.cmp-figure").first
    image.wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('img')].some("
                           "i => i.naturalHeight > 0 && i.naturalHeight < 900)")
    box = image.bounding_box()
    assert box["y"] + box["height"] <= height + 5  # the difference panel is on screen
    size = page.locator(".cmp-value-B-A").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 48  # legible from the back of the room
    shot(page, "compare_projector")


def test_opening_the_parameters_of_b_moves_nothing(dashboard, page):
    """The sliders show a scenario's calibrated values (e.g. forgetting 0.9232, off the
    slider's grid) without snapping them: B stays identical to A until someone moves one."""
    open_compare(page, dashboard)
    page.get_by_role("button", name="same as A").click()
    wait_text(page, ".cmp-value-B-A", "0 (identical)")
    page.locator(".cmp-updating").wait_for(state="detached")
    page.get_by_text("parameters of B").click()
    page.locator(".slider-forgetting").last.wait_for()
    page.wait_for_timeout(2_000)  # any snapped value would have come back by now
    page.locator(".cmp-updating").wait_for(state="detached")
    assert page.get_by_text(re.compile(r"parameters of B \(\d+ moved\)")).count() == 0
    assert value(page, "B-A") == "0 (identical)"
    # the label restates the scenario's own value, not the slider's grid point
    shown = page.locator(".parameter-label", has_text="forgetting").last.inner_text()
    assert "scenario's value" in shown
