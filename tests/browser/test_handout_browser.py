"""The handout as a student opens it: a real run folder, ``sim handout``, chromium.

The page is opened from disk (a file:// URL, no server), with every request routed through a
guard that lets only file: and data: URLs through, so a handout that fetched anything (a font, a
script, an image from the web) fails here. Then: every figure of the run folder is in the page,
every image has loaded, a screenshot is taken (under pytest's tmp_path) and the page prints to a
PDF of the expected length.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from sim.cli import main as cli
from tests import test_handout

# a small run of trump_second_term, written as `sim run` writes it (tests/test_handout.py's)
run_dir = test_handout.run_dir


@pytest.fixture(scope="module")
def handout_file(run_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("handouts") / "handout.html"
    assert cli(["handout", str(run_dir), "--out", str(out)]) == 0
    return out

LOCAL = ("file:", "data:")
# A4 pages: the story, the timeline, the headline table, the figures (each whole on a page, two
# at most to a page), the glossary and limitations, the questions; each section.page starts a page.
PAGES = range(7, 21)


class Guard:
    """Routes every request of a page: file: and data: go through, anything else is aborted and
    kept in :attr:`outside`."""

    def __init__(self, page) -> None:
        self.outside: list[str] = []
        self.seen: list[str] = []
        page.route("**/*", self._route)
        page.on("request", lambda request: self.seen.append(request.url))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    @property
    def left(self) -> list[str]:
        """Every URL the page asked for that is not local."""
        return sorted({*self.outside, *(u for u in self.seen if not u.startswith(LOCAL))})


def images(page) -> list[dict]:
    return page.eval_on_selector_all(
        "img", "els => els.map(e => ({src: e.getAttribute('src'), alt: e.alt, "
               "complete: e.complete, width: e.naturalWidth, height: e.naturalHeight}))")


def test_the_handout_opens_offline_with_every_figure_and_prints(handout_file, run_dir, page,
                                                                tmp_path):
    guard = Guard(page)
    page.goto(handout_file.as_uri(), wait_until="load")
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")

    shown = images(page)
    figures = sorted((run_dir / "plots").glob("*.png"))
    assert len(figures) >= 5 and len(shown) == len(figures)
    assert {base64.b64decode(img["src"].split(",", 1)[1]) for img in shown} == {
        p.read_bytes() for p in figures}  # each figure of the folder, whole
    broken = [img["alt"] for img in shown if not (img["complete"] and img["width"] > 0)]
    assert not broken, f"images that did not load: {broken}"
    assert all(img["src"].startswith("data:image/png;base64,") for img in shown)
    assert page.title().startswith("trump_second_term")
    for heading in ("The story", "Timeline of events", "Headline numbers", "Figures",
                    "Glossary", "Discussion questions"):
        assert page.get_by_role("heading", name=heading).is_visible()

    shot = tmp_path / "handout.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 50_000

    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > sum(p.stat().st_size for p in figures) // 4  # the figures are in it
    assert pdf_pages(pdf) in PAGES
    assert guard.left == [], f"the handout asked for outside resources: {guard.left}"


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF by its page tree's count (chromium writes it uncompressed)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)
              + re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    assert counts, "no page tree found in the PDF"
    return max(counts)


def test_the_guard_catches_a_page_that_reaches_outside(page, tmp_path):
    """The check above would pass vacuously if outside requests went unseen."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png" alt="x">'
                     '<link rel="stylesheet" href="https://example.invalid/s.css"></body></html>',
                     encoding="utf-8")
    guard = Guard(page)
    page.goto(leaky.as_uri(), wait_until="load")
    assert guard.left == ["http://127.0.0.1:9/x.png", "https://example.invalid/s.css"]
    assert images(page)[0]["width"] == 0  # and the image shows as broken
