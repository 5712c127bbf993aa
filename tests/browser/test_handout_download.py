"""The Explore page's "students' handout" download in chromium against the real server: the
page ``sim run`` then ``sim handout`` make of what is on screen, byte for byte."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.browser.test_explore import headline, open_page, switch_off, wait_for_new


def expected_handout(event_off: str) -> bytes:
    """What ``sim run`` + ``sim handout`` make of the page's default scenario with ``event_off``
    switched off, named as the page names it (the figures in the report's look)."""
    from sim.dashboard import downloads
    from sim.dashboard.explore import DEFAULT_SCENARIO
    from sim.dashboard.scenarios import load_source, shipped_source
    from sim.dashboard.session import Settings, changed, settle
    from sim.engine.ensemble import run_ensemble
    from sim.figures.looks import Look
    from sim.outputs import handout
    from sim.outputs.run_writer import write_run

    loaded = load_source(shipped_source(DEFAULT_SCENARIO))
    settings = Settings.of(loaded).with_event(event_off, False)
    settled = settle(loaded, settings)
    shown = downloads.marked(settled, changed(loaded, settings))
    with tempfile.TemporaryDirectory() as parent:
        folder = Path(parent) / "run"
        write_run(downloads.with_scenario(run_ensemble(settled), shown), folder,
                  look=Look("report", None))
        return handout.build(folder).encode("utf-8")


def test_the_handout_download_is_sim_handouts_page_of_what_is_on_screen(dashboard, page):
    open_page(page, dashboard.url)
    numbers = headline(page)
    switch_off(page, "Feb 2025 · steel tariffs")
    wait_for_new(page, numbers)
    expected = expected_handout("steel tariffs")
    for _ in range(2):  # the second is the one built for the first, at once
        with page.expect_download(timeout=180_000) as caught:
            page.get_by_role("button", name="students' handout (HTML)").click()
        assert caught.value.suggested_filename == "trump_second_term-changed-handout.html"
        data = Path(caught.value.path()).read_bytes()
        page.locator(".handout-progress").wait_for(state="detached")  # the progress goes
        assert data == expected
        # Solara's download button resets itself after a download (the server clears the bytes
        # it sent); a click before that reset arrives downloads the cleared bytes ("null"), so
        # the second click comes a second later, as a person's would
        page.wait_for_timeout(1000)
