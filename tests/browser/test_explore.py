"""The Explore page in chromium against the real server, as a lecturer uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

UP_TO_DATE = "Up to date"
CHART = "img.solara-image"


def open_page(page, url: str):
    page.goto(url + "/")
    page.get_by_text(UP_TO_DATE).first.wait_for(timeout=90_000)
    page.wait_for_function("(css) => { const i = document.querySelector(css);"
                           " return i && i.src && i.complete; }", arg=CHART)
    return page


def picture(page) -> tuple[int, int]:
    """The shown chart's byte length and a hash of its bytes (its blob's content)."""
    return tuple(page.evaluate("""async (css) => {
        const img = document.querySelector(css);
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let h = 0; for (const b of bytes) h = (h * 31 + b) | 0;
        return [bytes.length, h]; }""", CHART))


def switch_off(page, event: str) -> None:
    """Click an event's label, as a person does (Vuetify's ripple covers the box itself)."""
    page.locator("label", has_text=event).click()
    assert not page.get_by_label(event).is_checked()


def headline(page) -> str:
    return page.locator(".headline").inner_text()


def wait_for_new(page, before: str, src: str | None = None) -> str:
    """Wait until the headline differs from ``before``, the page is up to date, and the chart's
    image (its blob address ``src``, when given) has been replaced."""
    page.wait_for_function("([old, src, css]) => { const h = document.querySelector('.headline');"
                           " const i = document.querySelector(css);"
                           " return h && h.innerText !== old && document.body.innerText"
                           ".includes('Up to date') && (!src || (i && i.src !== src"
                           " && i.complete)); }", arg=[before, src, CHART], timeout=60_000)
    return headline(page)


def src(page) -> str:
    return page.locator(CHART).get_attribute("src")


def test_a_slider_moves_the_chart(dashboard, page):
    open_page(page, dashboard.url)
    before, numbers, old = picture(page), headline(page), src(page)
    slider = page.get_by_role("slider").nth(1)  # negativity_bias
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    after = wait_for_new(page, numbers, old)
    status = page.locator(".status")
    page.wait_for_function("() => /negativity_bias = 2\\.[2-9]/.test("
                           "document.querySelector('.status').innerText)")
    assert status.inner_text().startswith("Up to date; changed: negativity_bias = 2.")
    assert picture(page) != before
    assert "34% at the start" in after and after != numbers


def test_an_event_switched_off_changes_the_chart(dashboard, page):
    open_page(page, dashboard.url)
    before, numbers, old = picture(page), headline(page), src(page)
    switch_off(page, "Feb 2025 · steel tariffs")
    wait_for_new(page, numbers, old)
    assert picture(page) != before
    assert "events off: steel tariffs" in page.locator(".status").inner_text()


def test_a_figure_downloads_as_a_png(dashboard, page, tmp_path):
    open_page(page, dashboard.url)
    with page.expect_download(timeout=60_000) as caught:
        page.get_by_role("button", name="figure (PNG)").click()
    download = caught.value
    assert download.suggested_filename == "trump_second_term-trust_in_patron.png"
    path = Path(tmp_path / download.suggested_filename)
    download.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and 50_000 < len(data) < 3_000_000


def test_the_scenario_downloads_as_yaml_with_the_switches(dashboard, page, tmp_path):
    open_page(page, dashboard.url)
    numbers = headline(page)
    switch_off(page, "Feb 2025 · steel tariffs")
    wait_for_new(page, numbers)
    with page.expect_download(timeout=60_000) as caught:
        page.get_by_role("button", name="scenario (YAML for sim run)").click()
    path = tmp_path / "scenario.yml"
    caught.value.save_as(path)
    from sim.scenario import load_scenario

    scenario = load_scenario(path)
    assert "steel tariffs" not in {e.key for e in scenario.events}
    assert len(scenario.events) == 32 and scenario.replicates == 200


def test_two_browsers_keep_their_own_sessions(dashboard, browser):
    contexts = [browser.new_context(viewport={"width": 1600, "height": 1000})
                for _ in range(2)]
    try:
        first, second = (open_page(c.new_page(), dashboard.url) for c in contexts)
        numbers, theirs = headline(first), picture(second)
        switch_off(first, "Feb 2025 · steel tariffs")
        wait_for_new(first, numbers)
        second.wait_for_timeout(1500)
        assert headline(second) == numbers and picture(second) == theirs
        assert second.get_by_label("Feb 2025 · steel tariffs").is_checked()
        assert "the scenario as written" in second.locator(".status").inner_text()
    finally:
        for context in contexts:
            context.close()


def test_a_broken_scenario_shows_its_message_and_the_page_goes_on(dashboard, page, tmp_path):
    open_page(page, dashboard.url)
    numbers = headline(page)
    broken = tmp_path / "my_tariffs.yml"
    broken.write_text("name: my_tariffs\nextends: baseline.yml\nevents:\n  - type: tariff\n"
                      "    date: 2025-03-01\n    targets: [JPN]\n    sector: steel\n"
                      "    rate: -0.25\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(broken))
    error = page.locator(".problem pre")
    error.wait_for(timeout=30_000)
    text = error.inner_text()
    assert "my_tariffs.yml was not applied; still showing trump_second_term" in text
    assert ("error: my_tariffs.yml, line 8, column 5, at 'events[0].rate': rate must be a "
            "number from 0 to 5, got -0.25") in text
    assert "valid: rate: a number from 0 to 5" in text
    assert headline(page) == numbers
    switch_off(page, "Feb 2025 · steel tariffs")  # the session goes on
    wait_for_new(page, numbers)


@pytest.mark.parametrize("steps", [3])
def test_one_run_steps_month_by_month_with_its_events(dashboard, page, steps):
    open_page(page, dashboard.url)
    page.get_by_role("button", name="One run", exact=True).click()
    step = page.get_by_role("button", name="Step one month")
    for k in range(1, steps + 1):
        step.click()
        page.get_by_text(f"{k} of 48 months played").wait_for()
    log = page.locator(".log").last.inner_text()
    assert "March 2025" in page.locator(".log.latest").inner_text()  # the month just played
    assert "February 2025" in log and "steel tariffs" in log and "golden age summit" in log
    assert "trust in US after it: Japan" in log
    assert page.locator("svg polyline").count() == 7  # one line per ally


def test_a_good_upload_after_a_bad_one_clears_the_error(dashboard, page, tmp_path):
    open_page(page, dashboard.url)
    numbers = headline(page)
    bad = tmp_path / "syntax.yml"
    bad.write_text("name: syntax\nextends: baseline.yml\nparameters: [forgetting: 0.9\n",
                   encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.locator(".problem pre").wait_for(timeout=30_000)
    assert "syntax.yml was not applied" in page.locator(".problem pre").inner_text()
    good = tmp_path / "good.yml"
    good.write_text("name: good\nextends: tariff_escalation.yml\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_text("showing good.yml (uploaded or edited)").wait_for(timeout=30_000)
    wait_for_new(page, numbers)
    page.locator(".problem pre").wait_for(state="detached", timeout=10_000)


def painted(page) -> dict:
    """Where the chart's picture is painted: ``object-fit`` shrinks it inside the image's box."""
    return page.locator(CHART).evaluate("""img => {
        const r = img.getBoundingClientRect(), fit = getComputedStyle(img).objectFit;
        const w = img.naturalWidth, h = img.naturalHeight;
        let s = Math.min(r.width / w, r.height / h);
        if (fit === 'scale-down') s = Math.min(1, s);
        if (fit === 'fill') return {top: r.top, bottom: r.bottom, height: r.height, aspect: w / h};
        return {top: r.top, bottom: r.top + h * s, height: h * s, aspect: w / h}; }""")


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
def test_the_chart_is_whole_on_a_projector_and_nothing_is_clipped_on_a_laptop(
        dashboard, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, dashboard.url)
    badge = page.get_by_text("This website runs on")
    assert badge.count() == 0 or not badge.first.is_visible()  # it sat over the chart
    tab = page.get_by_role("button", name="One run", exact=True)
    assert tab.evaluate("b => b.scrollWidth <= b.clientWidth && "
                        "b.getBoundingClientRect().right <= window.innerWidth")
    for projector in (False, True):
        if projector:
            old = src(page)
            page.locator("label", has_text="projector: large type").click()
            page.wait_for_function("([css, old]) => { const i = document.querySelector(css);"
                                   " return i && i.src !== old && i.complete; }",
                                   arg=[CHART, old], timeout=60_000)
        for name in ("Trust in the patron", "Alignment (Kuik)"):
            if page.get_by_role("button", name=name, exact=True).get_attribute(
                    "class").find("active") < 0:
                old = src(page)
                page.get_by_role("button", name=name, exact=True).click()
                page.wait_for_function("([css, old]) => { const i = document.querySelector(css);"
                                       " return i && i.src !== old && i.complete; }",
                                       arg=[CHART, old], timeout=60_000)
            shown = painted(page)
            # the whole chart, x-axis and event key, on the screen without scrolling, and big:
            # most of the screen's height
            assert shown["bottom"] <= height, (name, projector, shown)
            assert shown["height"] >= 0.55 * height, (name, projector, shown)
            if projector:  # a slide: the event key beside the plot, not below it
                assert 1.6 <= shown["aspect"] <= 1.95, (name, shown)
    page.locator(".v-input", has=page.locator("label", has_text="focus actor")) \
        .locator(".v-select__slot").click()
    page.locator(".menuable__content__active").get_by_text("Japan (JPN)", exact=True).click()
    page.get_by_text(UP_TO_DATE).first.wait_for(timeout=60_000)
    shown = painted(page)
    assert shown["bottom"] <= height and shown["height"] >= 0.55 * height
