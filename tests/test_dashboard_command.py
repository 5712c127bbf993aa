"""`python -m sim dashboard`: what it starts, with which settings, and what it prints."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from sim.cli import main as cli
from sim.commands import dashboard


class FakeServer:
    """Stands in for the Solara process: records how it was started, exits at once."""

    started: list[tuple[list[str], dict]] = []

    def __init__(self, command, env):
        FakeServer.started.append((command, env))

    def wait(self, timeout=None):
        return 0

    def poll(self):
        return 0


@pytest.fixture
def started(monkeypatch):
    FakeServer.started = []
    monkeypatch.setattr(subprocess, "Popen", FakeServer)
    monkeypatch.setattr(dashboard, "_wait_until_listening", lambda server, port: True)
    return FakeServer.started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_on_this_machine_only_no_lecturer_key_and_nothing_leaves(started, tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.delenv(dashboard.LECTURER_KEY_VARIABLE, raising=False)
    assert cli(["dashboard", "--port", str(free_port()), "--games", str(tmp_path)]) == 0
    command, env = started[0]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert "--no-check-version" in command and "--production" in command
    assert dashboard.LECTURER_KEY_VARIABLE not in env
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env[dashboard.GAMES_VARIABLE] == str(tmp_path.resolve())
    out = capsys.readouterr()
    assert "warning" not in out.err and "/play\n" in out.out


def test_on_a_network_it_warns_and_only_the_lecturers_link_carries_the_key(started, tmp_path,
                                                                           capsys):
    assert cli(["dashboard", "--host", "0.0.0.0", "--port", str(free_port()),
                "--games", str(tmp_path)]) == 0
    _, env = started[0]
    key = env[dashboard.LECTURER_KEY_VARIABLE]
    assert len(key) >= 8
    out = capsys.readouterr()
    assert "anyone who can reach this machine" in out.err
    lecturer = next(line for line in out.out.splitlines() if "lecturer" in line)
    assert f"/play?key={key}" in lecturer
    teams = next(line for line in out.out.splitlines() if "teams" in line)
    assert key not in teams and "127.0.0.1" not in teams  # students need the machine's address


def test_the_key_is_the_one_the_role_play_pages_read(started, tmp_path, monkeypatch, capsys):
    import importlib

    registry = importlib.import_module("sim.play.registry")  # the module, not sim.play.registry()
    assert dashboard.LECTURER_KEY_VARIABLE == registry.LECTURER_KEY_ENV
    monkeypatch.setenv(dashboard.LECTURER_KEY_VARIABLE, "mine")  # a key of the user's own is kept
    assert cli(["dashboard", "--host", "0.0.0.0", "--port", str(free_port()),
                "--games", str(tmp_path)]) == 0
    assert started[0][1][dashboard.LECTURER_KEY_VARIABLE] == "mine"
    assert "/play?key=mine" in capsys.readouterr().out


def test_a_port_in_use_is_refused_before_starting(started, tmp_path, capsys):
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        assert cli(["dashboard", "--port", str(port), "--games", str(tmp_path)]) == 2
    assert started == []
    assert "the port is in use" in capsys.readouterr().err


def test_without_the_dashboard_extra_it_says_how_to_install_it(started, monkeypatch, tmp_path,
                                                               capsys):
    real = dashboard.importlib.util.find_spec
    monkeypatch.setattr(dashboard.importlib.util, "find_spec",
                        lambda name: None if name.startswith("solara") else real(name))
    assert cli(["dashboard", "--port", str(free_port()), "--games", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert 'pip install -e ".[dashboard]"' in err and "Traceback" not in err
    assert started == []


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True),
                                            ("::1", True), ("0.0.0.0", False),
                                            ("192.168.1.5", False)])
def test_loopback_addresses(host, loopback):
    assert dashboard._is_loopback(host) is loopback


def test_it_starts_one_painter_per_core_unless_told(started, tmp_path, monkeypatch, capsys):
    from sim.dashboard.drawing import PAINTERS_VARIABLE

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert cli(["dashboard", "--port", str(free_port()), "--games", str(tmp_path)]) == 0
    assert started[-1][1][PAINTERS_VARIABLE] == "2"
    assert cli(["dashboard", "--port", str(free_port()), "--games", str(tmp_path),
                "--painters", "0"]) == 0
    assert started[-1][1][PAINTERS_VARIABLE] == "0"
    with pytest.raises(SystemExit) as exited:
        cli(["dashboard", "--painters", "-1"])
    assert exited.value.code == 2
    assert "--painters: expected 0 or more, got -1" in capsys.readouterr().err
