"""Browser tests: the real dashboard server, driven by Playwright in Debian's chromium.

Not a headless mock: ``python -m sim dashboard`` runs as a user would start it, and chromium
loads its pages over loopback. Playwright's own browser download does not work on these
machines, so the tests launch the system's chromium (``.ci/run`` and ``tests/setup.sh`` install
it); set ``CHROMIUM`` to use another build.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The flags these machines need: no sandbox as root, and no calls home (a closed network refuses
# them, many at a time).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
START_TIMEOUT = 60.0  # seconds for the server to answer (Solara's first import is slow)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.browser)


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("the browser tests need chromium: `apt-get install chromium` (Debian, Ubuntu; "
                    "tests/setup.sh does it) or set CHROMIUM to a chromium binary")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True,
                                    args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (its own cookies, so its own dashboard session) and page."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Dashboard:
    """A running ``python -m sim dashboard`` on loopback; :meth:`restart` stops and starts it
    again on the same port and games folder (a lecturer's server going down mid-seminar)."""

    games: Path
    log: Path
    port: int = field(default_factory=free_port)
    lecturer_key: str = "lecturer-key-of-the-tests"  # as $ALLIANCE_SIM_LECTURER_KEY
    options: tuple[str, ...] = ()  # more of the command's options, e.g. ("--painters", "0")
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Dashboard:
        paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]  # this checkout's sim
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths),
               "ALLIANCE_SIM_LECTURER_KEY": self.lecturer_key}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sim", "dashboard", "--port", str(self.port),
                 "--games", str(self.games), *self.options], cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the dashboard exited ({self.process.returncode}):\n"
                                   + self.log.read_text())
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the dashboard did not answer within "
                           f"{START_TIMEOUT:.0f} s:\n" + self.log.read_text())

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)  # as Ctrl-C would
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def restart(self) -> Dashboard:
        self.stop()
        return self.start()


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory) -> Iterator[Dashboard]:
    """One server per test module (starting one takes seconds); each test uses its own browser
    context, hence its own session."""
    folder = tmp_path_factory.mktemp("dashboard")
    server = Dashboard(games=folder / "games", log=folder / "server.log").start()
    yield server
    server.stop()


def run_async(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own: Playwright's sync API keeps an event
    loop running in the main thread once a test has used the browser, and asyncio.run refuses
    to start inside it."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
