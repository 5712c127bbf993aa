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
import socket
import subprocess
import sys
from pathlib import Path

from sim.errors import UserError

LOOPBACK = "127.0.0.1"
GAMES_VARIABLE = "ALLIANCE_SIM_GAMES"  # where sim.play keeps the games this server hosts
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
    p.set_defaults(func=main)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 1 to 65535, got {value}")
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
    if not _is_loopback(args.host):
        print(f"warning: the dashboard listens on {args.host}: anyone who can reach this "
              f"machine on port {args.port} can open it and run models here. Use it on a "
              "classroom network you trust, and stop it after the seminar.", file=sys.stderr)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"Dashboard: http://{shown}:{args.port}/   (role play: /play; Ctrl-C stops it)",
          flush=True)
    env = {**os.environ, GAMES_VARIABLE: str(games),
           # plain http on a classroom address: Solara falls back to a lax cookie, as it should
           "PYTHONWARNINGS": "ignore:Cookies with samesite=none require https:UserWarning"}
    command = [sys.executable, "-m", "solara", "run", "sim.dashboard.app", "--production",
               "--host", args.host, "--port", str(args.port), "--log-level", "warning",
               "--no-check-version",  # no call to PyPI: the dashboard works offline
               "--open" if args.open else "--no-open"]
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130


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
