"""The dashboard starts as a user starts it and answers on loopback only."""

from __future__ import annotations

import socket
import subprocess

import pytest


def test_every_page_loads_in_chromium(dashboard, page):
    for path, heading in [("/", "Explore"), ("/compare", "Compare"), ("/play", "Role play")]:
        page.goto(dashboard.url + path)
        page.get_by_text(heading).first.wait_for()


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
