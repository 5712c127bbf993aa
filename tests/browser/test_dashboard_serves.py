"""The dashboard starts as a user starts it and answers on loopback only."""

from __future__ import annotations

import socket
import subprocess

import pytest


def test_every_page_loads_in_chromium_and_the_tabs_lead_to_them(dashboard, page):
    headings = {"Explore": "Explore a scenario", "Compare": "Compare: two scenarios",
                "Role play": "Role play"}
    page.goto(dashboard.url + "/")
    for tab, heading in headings.items():
        page.get_by_role("tab", name=tab).click()
        page.get_by_role("heading", name=heading).first.wait_for()
    assert page.url == dashboard.url + "/play"
    page.goto(dashboard.url + "/compare")  # an address typed in directly selects its tab
    selected = page.get_by_role("tab", selected=True)
    selected.wait_for()
    assert selected.inner_text().lower() == "compare"


def _outward_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback."""
    try:
        words = subprocess.run(["hostname", "-I"], capture_output=True, text=True,
                               timeout=5).stdout.split()
    except OSError:
        return []
    return [w for w in words if "." in w and not w.startswith("127.")]


def test_it_listens_on_loopback_only(dashboard):
    outward = _outward_addresses()
    if not outward:
        pytest.skip("this machine has no address but loopback to try")
    with socket.socket() as s:
        s.settimeout(2)
        assert s.connect_ex((outward[0], dashboard.port)) != 0  # refused there
    with socket.create_connection(("127.0.0.1", dashboard.port), timeout=2):
        pass  # and answered here


def test_team_pages_answer_in_either_case_and_unknown_teams_get_a_404(dashboard):
    import urllib.error
    import urllib.request

    for path in ("/play/JPN", "/play/jpn", "/play/us"):
        with urllib.request.urlopen(dashboard.url + path, timeout=30) as answer:
            assert answer.status == 200, path
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(dashboard.url + "/play/XYZ", timeout=30)
    assert refused.value.code == 404
