"""``python -m sim dashboard``: the seminar dashboard, a local web app in the browser.

It serves :mod:`sim.dashboard.app` with Solara's server in production mode (no reloader, no
debugger). It binds to 127.0.0.1 unless ``--host`` says otherwise: a dashboard open to a network
lets anyone on it run models on this machine, so that is a lecturer's explicit choice.
"""

from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sim.errors import UserError

LOOPBACK = "127.0.0.1"
GAMES_VARIABLE = "ALLIANCE_SIM_GAMES"  # where sim.play keeps the games this server hosts
LECTURER_KEY_VARIABLE = "ALLIANCE_SIM_LECTURER_KEY"  # what the lecturer's /play link must carry
INSTALL = 'pip install -e ".[dashboard]"'


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dashboard", help="start the seminar dashboard in the browser "
                                         f"(needs the dashboard extra: {INSTALL})")
    p.add_argument("--host", default=LOOPBACK,
                   help="address to listen on (default: 127.0.0.1, this machine only; "
                        "0.0.0.0 opens it to the classroom network)")
    p.add_argument("--port", type=_port, default=8765, help="port (default: 8765)")
    p.add_argument("--games", type=Path, default=Path("runs") / "games",
                   help="folder where role-play games are saved after every round "
                        "(default: runs/games)")
    p.add_argument("--open", action="store_true", help="open the page in this machine's browser")
    p.add_argument("--painters", type=_count, default=None, metavar="N",
                   help="processes that draw the charts, so a class's sessions use every core "
                        "(default: one per core, at most 4; 0 draws in the server itself)")
    p.set_defaults(func=main)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 1 to 65535, got {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def main(args: argparse.Namespace) -> int:
    missing = [m for m in ("solara", "solara_assets") if importlib.util.find_spec(m) is None]
    if missing:
        raise UserError(f"the dashboard needs {' and '.join(missing)}, which are not installed",
                        valid=f"install the dashboard extra: {INSTALL}")
    _check_free(args.host, args.port)
    games = args.games.resolve()
    if games.exists() and not games.is_dir():
        raise UserError(f"--games {args.games} is a file, not a folder",
                        valid="a folder for saved games (created if missing)")
    from sim.dashboard.drawing import PAINTERS_VARIABLE, default_painters

    painters = default_painters() if args.painters is None else args.painters
    env = {**os.environ, GAMES_VARIABLE: str(games), PAINTERS_VARIABLE: str(painters),
           # plain http on a classroom address: Solara falls back to a lax cookie, as it should
           "PYTHONWARNINGS": "ignore:Cookies with samesite=none require https:UserWarning",
           # no usage reports to Solara's makers: nothing leaves a classroom's machine
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           # a closed tab's session is freed after 15 minutes (Solara keeps it 24 hours by
           # default, 30-45 MB each: a seminar reloading pages would fill the memory)
           "SOLARA_KERNEL_CULL_TIMEOUT": os.environ.get("SOLARA_KERNEL_CULL_TIMEOUT", "15m")}
    key = os.environ.get(LECTURER_KEY_VARIABLE, "")  # a key of the user's own is kept
    if not _is_loopback(args.host):
        print(f"warning: the dashboard listens on {args.host}: anyone who can reach this "
              f"machine on port {args.port} can open it and run models here. Use it on a "
              "classroom network you trust, and stop it after the seminar.", file=sys.stderr)
        # on a shared network only the lecturer's link may run rounds or start games
        key = key or secrets.token_urlsafe(8)
    if key:
        env[LECTURER_KEY_VARIABLE] = key
    command = [sys.executable, "-m", "solara", "run", "sim.dashboard.app", "--production",
               "--host", args.host, "--port", str(args.port), "--log-level", "warning",
               "--no-check-version",  # no call to PyPI: the dashboard works offline
               "--open" if args.open else "--no-open"]
    print("Starting the dashboard ...", flush=True)
    server = subprocess.Popen(command, env=env)
    try:
        if _wait_until_listening(server, args.port):
            print(_addresses(args.host, args.port, key), flush=True)
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)  # the server got it too, as part of the terminal
        try:
            return server.wait(timeout=15) and 130
        except subprocess.TimeoutExpired:
            server.kill()
            return 130


def _wait_until_listening(server: subprocess.Popen, port: int, seconds: float = 120.0) -> bool:
    """Whether the server answers on ``port`` before it exits or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.3)
    return False


def _addresses(host: str, port: int, key: str) -> str:
    """Where to point the browsers: this machine's own address when the dashboard is open to a
    network (students cannot use 127.0.0.1), the lecturer's link with its key, the teams'."""
    here = host
    if host in ("0.0.0.0", "::"):
        here = _outward_address() or "THIS-MACHINE'S-ADDRESS"
    base = f"http://{here}:{port}"
    lines = [f"Dashboard ready: {base}/", f"  lecturer (role play): {base}/play"
             + (f"?key={key}   (keep this link to yourself)" if key else ""),
             f"  teams: {base}/play/JPN, {base}/play/US, ... (one page per team)",
             "  Ctrl-C stops it"]
    return "\n".join(lines)


def _outward_address() -> str | None:
    """The address other machines on the network reach this one at (no packet is sent: a UDP
    socket only picks its route)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: routed like any outside address
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_free(host: str, port: int) -> None:
    """Refuse a port that is taken or an address this machine does not have, before starting."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as e:
        taken = e.errno in (98, 48)  # EADDRINUSE on Linux, macOS
        raise UserError(f"cannot listen on {host}:{port}: "
                        + ("the port is in use" if taken else e.strerror or str(e)),
                        valid="another --port (e.g. --port 8766)" if taken
                        else "--host 127.0.0.1 or an address of this machine") from None
