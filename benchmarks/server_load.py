"""A seminar group against the dashboard server alone: N light protocol clients, no browser.

Issue 10 asks for 30 concurrent browser sessions against one server: every session responsive
(median and worst response time), server memory, no session sees another's state, nothing lost.
``dashboard_load.py`` runs 30 chromium pages on the server's own two cores, and chromium took
2-3 times the server's CPU: its figures mostly measure chromium. In a classroom each student's
browser runs on the student's laptop. This script measures the server alone: each session is a
small asyncio client speaking the protocol Solara's page speaks, over one websocket, and drawing
nothing.

The protocol, as Solara 1.58.2's page speaks it (``solara/server/static/main-vuetify.js``, the
widget manager in ``solara-vuetify-app8.js``; the frames below were checked against what
chromium sends):

- ``GET /`` sets the ``solara-session-id`` cookie (one per browser: its own session);
- the page opens ``/jupyter/api/kernels/<new uuid>/channels?session_id=<page uuid>`` with that
  cookie and speaks the Jupyter kernel protocol over it: JSON text frames, and binary frames
  (4-byte part count, 4-byte offsets, the JSON, then the buffers) for a message with binary
  buffers, such as the chart's PNG. No ``v1.kernel.websocket.jupyter.org`` subprotocol;
- ``kernel_info_request``; then a ``comm_open`` to target ``solara.control`` and, on that comm,
  ``{"method": "run", "args": {"path": "/", ...}}``: the server renders the app and sends a
  ``comm_open`` per widget (``data.state``, ``data.buffer_paths``), then ``{"method":
  "finished", "widget_id": <root>}`` on the control comm;
- widgets change with ``comm_msg`` ``{"method": "update", "state": {...}, "buffer_paths":
  [...]}`` both ways (``echo_update`` back to the sender) and go with ``comm_close``;
- once mounted, the page sends the theme's ``dark_effective`` and Vuetify puts seven of the ten
  sliders on their grid (``v_model`` updates); a key press on a slider sends its ``v_model`` and
  then the ``change`` event, ``{"method": "custom", "content": {"event": "change", "data": v}}``.

Per session: **first chart** from the GET to the status saying "Up to date" with the chart's
image widget (``ImageModel``, class ``solara-image``) holding its PNG; **slider -> own answer**
from sending the key press's messages to the status naming that parameter "Up to date" with the
picture changed (session i: slider i mod 10, key i div 10 of ``dashboard_load.py``'s, done in
Vuetify's arithmetic, so each asks for a (parameter, value) no other session asks for).

Regimes as in ``dashboard_load.py``: **at once** and **staggered** (session i opens at i * S / N
s and moves its slider S s after it opened), each against a fresh server that a lecturer's
session has warmed. Checks (exit code 1 if one fails), read back from the server at the end
(``request_state`` on each widget): every session got its first chart and its answer; its status
names exactly its own change, its own slider holds its value and the other nine their starting
values, its headline is the one this process computes for its own settings and its chart the one
drawn here for them (the same pixels, white margins aside); no session received a message
for a widget that is not its own, or a widget opened twice; no websocket closed by the server;
no error in the server log. Printed too: server RSS (before, peak, with all open, after
closing), CPU seconds of the server and of the clients (this process's event loop), how late
that loop ran, bytes each session received.

    python benchmarks/server_load.py [--sessions 30] [--stagger 30] [--quick]
                                     [--regimes at-once,staggered] [--keep-log DIR]
                                     [--py-spy DIR]
    python benchmarks/server_load.py --comm-probe   # see comm_probe

``--quick``: 4 sessions staggered over 4 s; 1.5-2 minutes for both regimes (each starts a
server, warms it and draws the expected charts to check them). 30 sessions: 6-8 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests"), str(HERE)]  # sim, tests, benchmarks
from browser.conftest import Dashboard  # noqa: E402  (a real `python -m sim dashboard`)
from dashboard_load import (  # noqa: E402  (the browser benchmark's checks and measures)
    SCENARIO,
    ServerWatch,
    Session,
    cpu,
    judge,
    mb,
    rss,
    spread,
    tree,
)

TIMEOUT = 300.0  # s: an answer later than this counts as lost (as in dashboard_load.py)
# dashboard_load.py's keys, as Vuetify's VSlider.parseKeyDown moves a slider: steps (Shift
# three, Control two) or an end. PageUp/PageDown are left out: on a slider of more than 100
# steps they leave the grid, which the browser benchmark had to work around.
MOVES: dict[str, int | str] = {"ArrowRight": 1, "ArrowLeft": -1, "Shift+ArrowRight": 3,
                               "Shift+ArrowLeft": -3, "Control+ArrowRight": 2,
                               "Control+ArrowLeft": -2, "Home": "min", "End": "max"}
KEYS = tuple(MOVES)


class Watch(ServerWatch):
    """The server's peak RSS, as ``ServerWatch`` samples it, with its process tree looked up
    every 2 s instead of at every sample: a scan of /proc costs 7 ms of CPU, the RSS of a few
    known processes a hundredth of that."""

    def _run(self) -> None:
        pids, looked = [], -math.inf
        while not self._stop.wait(self.period):
            if time.monotonic() - looked > 2:
                pids, looked = tree(self.pid), time.monotonic()
            self.peak = max(self.peak, rss(pids))


@dataclass
class Visit(Session):
    """One session's figures, as ``dashboard_load.Session`` has them, and what only the
    protocol client sees."""

    received: int = 0  # bytes over the websocket
    messages: int = 0
    picture_changed: bool | None = None  # by the slider's answer
    picture: bytes = b""  # the chart's PNG, read back at the end


def frame(msg_type: str, content: dict, page: str, metadata: dict | None = None) -> str:
    """A shell message as the page's JSON text frame."""
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "",
              "session": page, "date": "", "version": "5.2"}
    return json.dumps({"header": header, "parent_header": {}, "metadata": metadata or {},
                       "content": content, "channel": "shell", "buffers": []})


def decode(data: str | bytes) -> dict:
    """A message from a text frame (JSON) or a binary one (part count, offsets, JSON, buffers:
    ``solara.server.kernel.serialize_binary_message``)."""
    if isinstance(data, str):
        return {**json.loads(data), "buffers": []}
    parts = struct.unpack_from("!I", data)[0]
    offsets = [*struct.unpack_from(f"!{parts}I", data, 4), len(data)]
    message = json.loads(data[offsets[0]:offsets[1]])
    message["buffers"] = [data[a:b] for a, b in zip(offsets[1:-1], offsets[2:], strict=True)]
    return message


def with_buffers(state: dict, paths: list, buffers: list[bytes]) -> dict:
    """``state`` with each buffer put where its path says (an image's ``value``)."""
    for path, buffer in zip(paths, buffers, strict=True):
        place = state
        for key in path[:-1]:
            place = place[key]
        place[path[-1]] = buffer
    return state


def on_grid(value: float, low: float, high: float, step: float) -> float:
    """The value a Vuetify slider keeps for ``value``: VSlider.roundValue's arithmetic (JS's
    ``%`` is fmod, ``Math.round`` rounds halves up, ``toFixed`` the step's decimals)."""
    decimals = len(str(step).partition(".")[2])
    offset = math.fmod(low, step)
    value = min(max(value, low), high)
    snapped = math.floor((value - offset) / step + 0.5) * step + offset
    return float(f"{min(snapped, high):.{decimals}f}")


def key_press(key: str, value: float, low: float, high: float, step: float) -> float | None:
    """The value VSlider.parseKeyDown gives the ``change`` event (off the grid for several
    steps; v_model gets it on the grid); None when the key would leave the range (the slider
    ignores it)."""
    move = MOVES[key]
    target = low if move == "min" else high if move == "max" else value + move * step
    return target if low <= target <= high else None


async def get_page(host: str, port: int) -> str:
    """GET / as a browser's first visit: the session cookie Solara sets (HTTP/1.1 by hand, on
    this event loop: a thread pool would queue thirty GETs six at a time)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
    answer = await reader.read()  # to the end: the server closes the connection
    writer.close()
    head = answer.partition(b"\r\n\r\n")[0].decode("latin-1")
    cookie = re.search(r"^set-cookie: (solara-session-id=[^;]+)", head, re.I | re.M)
    if not head.startswith("HTTP/1.1 200") or cookie is None:
        raise RuntimeError(f"GET / answered {head.splitlines()[0]!r} without a session cookie")
    return cookie[1]


class Client:
    """One browser's part of the protocol: its cookie, its kernel, its copy of its widgets."""

    def __init__(self, url: str, visit: Visit):
        self.host, port = url.removeprefix("http://").split(":")
        self.port = int(port)
        self.visit = visit
        self.page = str(uuid.uuid4())  # the page's id (Jupyter's session_id)
        self.models: dict[str, dict] = {}  # comm id -> widget state, as the server sent it
        self.closed: set[str] = set()
        self.replies: dict[str, asyncio.Future] = {}  # our msg_id -> the reply's message
        self.watches: list[tuple[Callable[[], bool], asyncio.Future]] = []
        self.control = str(uuid.uuid4())  # our solara.control comm
        self.opened = {self.control}  # comms this page opened itself
        self.on_opened: list[dict] = []  # the messages on those, but for "finished"
        self.done: set[str] = set()  # our messages the server has processed ("idle")
        self.foreign: list[dict] = []  # messages for comms this page does not have
        self.root: str | None = None  # the app's root widget, once rendered
        self.opened_at = 0.0  # perf_counter of the GET
        self.ws = None
        self.reader: asyncio.Task | None = None

    # -- the connection --

    async def open(self) -> None:
        """GET the page, connect, start the app at / and put its sliders on their grid, as the
        page does once mounted."""
        self.opened_at = time.perf_counter()
        cookie = await get_page(self.host, self.port)
        self.ws = await connect(
            f"ws://{self.host}:{self.port}/jupyter/api/kernels/{uuid.uuid4()}/channels"
            f"?session_id={self.page}", additional_headers={"Cookie": cookie},
            max_size=None,  # a chart's PNG is 100-200 kB
            ping_interval=None)  # a browser answers the server's pings but sends none
        self.reader = asyncio.create_task(self._read())
        await self.request("kernel_info_request", {})  # jupyterlab's connection waits for it
        await self.send("comm_open", {"comm_id": self.control, "target_name": "solara.control",
                                      "data": {}})
        finished = self.watch(lambda: self.root is not None)
        await self.send("comm_msg", {"comm_id": self.control, "data": {
            "method": "run", "args": {"path": "/", "dark": False, "themes": {},
                                      "appName": None}}})
        await asyncio.wait_for(finished, TIMEOUT)
        for comm_id, state in list(self.models.items()):
            if state.get("_model_name") == "ThemeModel":
                await self.update(comm_id, {"dark_effective": False})
            elif state.get("_model_name") == "SliderModel":
                snapped = on_grid(state["v_model"], state["min"], state["max"], state["step"])
                if snapped != state["v_model"]:
                    await self.update(comm_id, {"v_model": snapped})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)

    async def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        text = frame(msg_type, content, self.page, metadata)
        await self.ws.send(text)
        return json.loads(text)["header"]["msg_id"]

    async def processed(self, msg_type: str, content: dict, metadata: dict | None = None
                        ) -> None:
        """Send and wait until the server has handled it (its "idle" status)."""
        msg_id = await self.send(msg_type, content, metadata)
        await asyncio.wait_for(self.watch(lambda: msg_id in self.done), TIMEOUT)

    async def request(self, msg_type: str, content: dict) -> dict:
        """Send and wait for the message whose parent it is (a reply, a requested state)."""
        text = frame(msg_type, content, self.page)
        msg_id = json.loads(text)["header"]["msg_id"]
        self.replies[msg_id] = asyncio.get_running_loop().create_future()
        await self.ws.send(text)
        return await asyncio.wait_for(self.replies[msg_id], TIMEOUT)

    async def update(self, comm_id: str, state: dict) -> None:
        self.models[comm_id].update(state)  # the page holds what it sent
        await self.send("comm_msg", {"comm_id": comm_id, "data": {
            "method": "update", "state": state, "buffer_paths": []}})

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                arrived = time.perf_counter()
                self.visit.received += len(data)
                self.visit.messages += 1
                message = decode(data)
                self._handle(message)
                parent = message["parent_header"].get("msg_id")
                if parent in self.replies and message["header"]["msg_type"] != "status":
                    future = self.replies.pop(parent)
                    if not future.done():
                        future.set_result(message)
                for watch in [w for w in self.watches if w[0]()]:
                    self.watches.remove(watch)
                    if not watch[1].done():
                        watch[1].set_result(arrived)
        except ConnectionClosed as exc:  # the server closed it: whoever waits has lost
            self.visit.errors.append(f"the server closed the websocket "
                                     f"{time.perf_counter() - self.opened_at:.0f} s after "
                                     f"the GET: {exc}")
        for future in [f for _, f in self.watches] + list(self.replies.values()):
            if not future.done():
                future.set_exception(ConnectionError("the websocket is closed"))
                future.exception()  # read here: nobody may be waiting for this one

    def _handle(self, message: dict) -> None:
        """Keep this page's copy of its widgets, as the widget manager does."""
        kind, content = message["header"]["msg_type"], message["content"]
        comm_id = content.get("comm_id")
        if kind == "status" and content.get("execution_state") == "idle":
            self.done.add(message["parent_header"].get("msg_id"))
        elif kind == "comm_open":
            if comm_id in self.models or comm_id in self.closed:
                self.visit.errors.append(f"comm_open for comm {comm_id} a second time")
            data = content["data"]
            self.models[comm_id] = with_buffers(data["state"], data.get("buffer_paths", []),
                                                message["buffers"])
        elif kind == "comm_msg" and comm_id in self.opened:
            if comm_id == self.control and content["data"].get("method") == "finished":
                self.root = content["data"]["widget_id"]
            else:
                self.on_opened.append(message)
        elif kind == "comm_msg":
            data = content["data"]
            if comm_id not in self.models:
                # not a widget of this page's: another session's, or one it never opened
                self.foreign.append(message)
                self.visit.errors.append(f"a message for comm {comm_id}, not this page's: "
                                         f"{json.dumps(data)[:120]}")
            elif data.get("method") in ("update", "echo_update"):
                self.models[comm_id].update(with_buffers(
                    data["state"], data.get("buffer_paths", []), message["buffers"]))
        elif kind == "comm_close":
            self.closed.add(comm_id)
            self.models.pop(comm_id, None)

    def watch(self, condition: Callable[[], bool]) -> asyncio.Future:
        """A future holding the arrival time of the message after which ``condition`` holds."""
        future = asyncio.get_running_loop().create_future()
        if condition():
            future.set_result(time.perf_counter())
        else:
            self.watches.append((condition, future))
        return future

    # -- what the page shows --

    def _texts(self, css_class: str) -> list[str]:
        return [m.get("unsafe_innerHTML", "") for m in self.models.values()
                if (m.get("attributes") or {}).get("class") == css_class]

    def status(self) -> str:
        return " | ".join(self._texts("status-text"))

    def headline(self) -> str:
        return " | ".join(self._texts("headline"))

    def image(self) -> str | None:
        """The comm id of the chart's image widget (None while there is none)."""
        images = [c for c, m in self.models.items() if m.get("_model_name") == "ImageModel"
                  and "solara-image" in m.get("_dom_classes", ())]
        return images[0] if len(images) == 1 else None

    def picture(self) -> bytes:
        """The chart's PNG (empty while there is none)."""
        image = self.image()
        return bytes(self.models[image].get("value") or b"") if image else b""

    def sliders(self) -> list[tuple[str, dict]]:
        """(comm id, state) of each parameter slider, in the page's order."""
        return [(c, m) for c, m in self.models.items() if m.get("_model_name") == "SliderModel"
                and str(m.get("class_", "")).startswith("slider-")]


async def open_session(url: str, v: Visit) -> Client:
    """The page, until its first chart."""
    client = Client(url, v)
    started = time.perf_counter()
    try:
        await client.open()
        shown = client.watch(lambda: client.status().startswith("Up to date")
                             and client.picture().startswith(b"\x89PNG"))
        v.first = await asyncio.wait_for(shown, TIMEOUT) - started
    except Exception as exc:  # noqa: BLE001  (a lost session is a figure, not a crash)
        v.errors.append(f"no first chart: {exc.__class__.__name__} {exc}")
        return client
    sliders = client.sliders()
    v.start_values = [m["v_model"] for _, m in sliders]
    v.slider %= len(sliders)
    v.name = sliders[v.slider][1]["class_"].removeprefix("slider-")
    return client


async def move_slider(client: Client, v: Visit) -> None:
    """The key press's two messages (v_model on the grid, then ``change``), then wait for the
    status to name this change "Up to date" and for the picture to follow."""
    if v.first is None:
        return
    comm_id, state = client.sliders()[v.slider]
    low, high, step = state["min"], state["max"], state["step"]
    target = key_press(v.key, state["v_model"], low, high, step)
    if target is None:
        v.errors.append(f"{v.key} would leave {v.name}'s range from {state['v_model']}")
        return
    v.value = on_grid(target, low, high, step)
    before = client.picture()
    prefix = f"Up to date; changed: {v.name} = "
    named = client.watch(lambda: client.status().startswith(prefix))
    drawn = client.watch(lambda: client.status().startswith(prefix)
                         and client.picture() not in (b"", before))
    started = time.perf_counter()
    try:
        await client.update(comm_id, {"v_model": v.value})
        await client.send("comm_msg", {"comm_id": comm_id, "data": {
            "method": "custom", "content": {"event": "change", "data": target}}})
        answered = await asyncio.wait_for(named, TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        v.errors.append(f"no answer to the slider: {exc.__class__.__name__}")
        return
    try:  # the picture comes in the same render; a change under a pixel leaves it the same
        answered = await asyncio.wait_for(drawn, 5.0)
        v.picture_changed = True
    except TimeoutError:
        v.picture_changed = False
    v.answer = answered - started


async def read_back(client: Client, v: Visit) -> None:
    """What the server holds for this page once every session has acted: the state of each
    slider, the status, the headline and the chart asked for again (``request_state``)."""
    if v.first is None:
        return
    wanted = [c for c, _ in client.sliders()] + [
        c for c, m in client.models.items()
        if (m.get("attributes") or {}).get("class") in ("status-text", "headline")]
    wanted += [client.image()] if client.image() else []
    for comm_id in wanted:
        try:
            reply = await client.request("comm_msg", {"comm_id": comm_id,
                                                      "data": {"method": "request_state"}})
        except Exception as exc:  # noqa: BLE001  (the judge reports what is missing)
            v.errors.append(f"no read-back: {exc.__class__.__name__} {exc}")
            return
        data = reply["content"]["data"]
        client.models[comm_id].update(with_buffers(data["state"], data.get("buffer_paths", []),
                                                   reply["buffers"]))
    v.values = [m["v_model"] for _, m in client.sliders()]
    v.status, v.headline, v.picture = client.status(), client.headline(), client.picture()


async def regime(url: str, visits: list[Visit], stagger: float,
                 opened: Callable[[], None] = lambda: None) -> list[Client]:
    """Open, move and read back every session; ``stagger`` 0 means all at once, and then
    ``opened`` is called between the first charts and the sliders."""
    n = len(visits)
    if stagger == 0:
        clients = await asyncio.gather(*(open_session(url, v) for v in visits))
        opened()
        await asyncio.gather(*(move_slider(c, v) for c, v in zip(clients, visits, strict=True)))
    else:
        began = time.perf_counter()

        async def one(v: Visit) -> Client:
            opens = began + v.index * stagger / n
            await asyncio.sleep(max(0.0, opens - time.perf_counter()))
            client = await open_session(url, v)
            await asyncio.sleep(max(0.0, opens + stagger - time.perf_counter()))
            await move_slider(client, v)
            return client

        clients = await asyncio.gather(*(one(v) for v in visits))
    await asyncio.gather(*(read_back(c, v) for c, v in zip(clients, visits, strict=True)))
    return clients


async def lateness(stop: asyncio.Event, period: float = 0.1) -> float:
    """The most this event loop woke up late for a ``period`` timer until ``stop``: how long a
    server's message (or ping) could wait on the clients' side."""
    worst = 0.0
    while not stop.is_set():
        due = time.perf_counter() + period
        await asyncio.sleep(period)
        worst = max(worst, time.perf_counter() - due)
    return worst


async def pulse(ws, stop: asyncio.Event, period: float = 0.5) -> list[float]:
    """How long the server took to answer a websocket ping, every ``period`` s until ``stop``:
    its event loop, which serves every websocket, is late by that much (it shares the
    interpreter lock with the sessions' threads). Solara closes a websocket whose answer to its
    own ping is 20 s late."""
    delays = []
    while not stop.is_set():
        started = time.perf_counter()
        try:
            await asyncio.wait_for(await ws.ping(), TIMEOUT)
        except (ConnectionClosed, TimeoutError):
            break
        delays.append(time.perf_counter() - started)
        await asyncio.sleep(period)
    return delays


async def run_regime(name: str, n: int, stagger: float, folder: Path, after: float = 10.0,
                     py_spy: Path | None = None, options: tuple[str, ...] = ()
                     ) -> tuple[list[str], dict]:
    """One regime against a fresh server (started with the command's ``options``): (failed
    checks, figures); with ``py_spy`` a folder for the server's CPU profile."""
    log = folder / f"server-{name}.log"
    server = Dashboard(games=folder / f"games-{name}", log=log, options=options).start()
    visits = [Visit(i, slider=i % 10, key=KEYS[(i // 10) % len(KEYS)]) for i in range(n)]
    figures: dict = {"sessions": visits, "after": after}
    spy = None
    try:
        # the lecturer opened the page before the class came in (imports, fonts, the first
        # ensemble and picture warm); that session stays open
        warm = Visit(-1, slider=0, key="")
        lecturer = await open_session(server.url, warm)
        figures["warm-up"] = warm.first
        await asyncio.sleep(2)
        pids = tree(server.process.pid)
        figures["rss before"] = rss(pids)
        # the clients' CPU is this thread's, the event loop's (the sampler has its own thread)
        server_cpu, client_cpu = cpu(pids), time.thread_time()
        if py_spy:
            spy = profile(server.process.pid, py_spy / f"{name}.txt")

        def opened() -> None:  # at once: what the first charts cost the server
            figures["server cpu opened"] = cpu(tree(server.process.pid)) - server_cpu

        began, stop = time.perf_counter(), asyncio.Event()
        late = asyncio.create_task(lateness(stop))
        pings = asyncio.create_task(pulse(lecturer.ws, stop))  # on the lecturer's websocket
        with Watch(server.process.pid) as watch:
            clients = await regime(server.url, visits, stagger, opened)
            figures["wall"] = time.perf_counter() - began
            stop.set()
            figures["late"] = await late
            figures["pings"] = await pings
            figures["client cpu"] = time.thread_time() - client_cpu
            pids = tree(server.process.pid)  # with any worker process started meanwhile
            figures["server cpu"] = cpu(pids) - server_cpu
            figures["rss open"] = rss(pids)
            figures["load"] = os.getloadavg()
            if spy is not None:
                spy.send_signal(signal.SIGINT)  # py-spy writes its profile and exits
                spy.wait(timeout=60)
            await asyncio.gather(*(c.close() for c in [*clients, lecturer]))
            figures["rss peak"] = watch.peak
        await asyncio.sleep(after)
        figures["rss after"] = rss(tree(server.process.pid))
    finally:
        if spy is not None and spy.poll() is None:
            spy.kill()
        server.stop()
    return check(visits, log.read_text(errors="replace")), figures


def profile(server: int, output: Path) -> subprocess.Popen:
    """py-spy recording the ``solara run`` process (raw collapsed stacks, 50 samples a second)."""
    solara = next(p for p in tree(server)
                  if b"solara\x00run" in Path(f"/proc/{p}/cmdline").read_bytes())
    output.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(["py-spy", "record", "--pid", str(solara), "--rate", "50",
                             "--nonblocking", "--format", "raw", "--output", str(output)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def expected_pictures(visits: list[Visit]) -> dict[int, bytes]:
    """The chart each session should show for its own settings, drawn here as the server draws
    it: the first chart's layout measured first, on the scenario as written (the lecturer's
    page), then kept while the figure's texts stay the same (``charts.screen_png``)."""
    from sim.dashboard import charts
    from sim.dashboard.parameters import parameter_specs
    from sim.dashboard.results import Results
    from sim.dashboard.scenarios import load_source, shipped_source
    from sim.dashboard.session import Settings, settle
    from sim.figures.looks import Look

    base = load_source(shipped_source(SCENARIO))
    specs = {spec.name: spec for spec in parameter_specs()}
    results, chart, look = Results(), charts.CHARTS[0], Look("report", None)
    results.picture(chart, settle(base, Settings.of(base)), look)
    return {v.index: results.picture(chart, settle(base, Settings.of(base).with_parameter(
        v.name, specs[v.name].clamped(v.value))), look) for v in visits if v.value is not None}


def same_chart(a: bytes, b: bytes) -> bool:
    """Whether two screen PNGs show the same chart: the same bytes, or the same pixels once the
    white margins are trimmed. A server with several painter processes remembers a layout per
    painter (``charts.screen_png``), so the same chart can come with a margin a few pixels
    wider, depending on which painter drew it first."""
    if a == b:
        return True
    import io

    from PIL import Image, ImageChops

    def trimmed(png: bytes):
        image = Image.open(io.BytesIO(png)).convert("RGB")
        white = Image.new("RGB", image.size, (255, 255, 255))
        return image.crop(ImageChops.difference(image, white).getbbox())

    first, second = trimmed(a), trimmed(b)
    return first.size == second.size and first.tobytes() == second.tobytes()


def check(visits: list[Visit], log: str) -> list[str]:
    """Every failed check, in words: ``dashboard_load.judge``'s (each session got its answers;
    its status, sliders and headline are its own; no error seen; a clean server log) and the
    chart's: each session's PNG shows the one its own settings draw (:func:`same_chart`).
    Headlines are rounded to whole percents, so two sessions' often read the same: the picture
    tells them apart."""
    problems = judge(visits, log)
    pictures = expected_pictures(visits)
    for v in visits:  # (a session without an answer is reported already)
        if (v.index in pictures and v.answer is not None
                and not same_chart(v.picture, pictures[v.index])):
            others = [w.index for w in visits if w.index in pictures and w is not v
                      and same_chart(v.picture, pictures[w.index])]
            problems.append(f"session {v.index} ({v.name} {v.key}): its chart is not the one "
                            "its settings draw" + (f", but that of session(s) {others}"
                                                   if others else ""))
    return problems


async def comm_probe(url: str) -> list[str]:
    """What a page does when its websocket reconnects, tried with two sessions A and B: the
    lines of a finding.

    After a reconnect Solara's page calls ``widgetManager.fetchAll()``: ipywidgets'
    ``_loadFromKernel`` opens a ``jupyter.widget.control`` comm, sends ``request_states`` and
    waits 4 s for ``update_states`` on that comm; failing that, it sends a
    ``comm_info_request`` and creates a comm for every listed id that has no widget model,
    where ``kernel.createComm`` throws "Comm is already created" for an id the page holds."""
    # each page up to date first: a chart still being computed changes the page's widgets
    # while it asks for their states (a fresh server under load answered B's "nowhere")
    a = await open_session(url, Visit(0, 0, ""))
    b = await open_session(url, Visit(1, 1, ""))
    for client in (a, b):  # A, then B, opens its control comm, as a reconnecting page does
        client.widget_control = str(uuid.uuid4())
        client.opened.add(client.widget_control)
        await client.processed("comm_open", {"comm_id": client.widget_control, "data": {},
                                             "target_name": "jupyter.widget.control"},
                               metadata={"version": "1.0.0"})

    def answers(to: Client, asked: Client) -> list[str]:
        """Where ``asked``'s states went on ``to``'s websocket: the comm ids they named."""
        return [m["content"]["comm_id"] for m in to.on_opened + to.foreign
                if m["content"]["data"].get("method") == "update_states"
                and set(m["content"]["data"]["states"]) <= set(asked.models) | asked.closed]

    def comm(client: Client, comm_id: str) -> str:
        owner = "A's" if comm_id in a.opened else "B's" if comm_id in b.opened else "no page's"
        return f"{owner} control comm" + (" (its own)" if comm_id in client.opened else "")

    lines = []
    for asking, name in ((a, "A"), (b, "B")):
        await asking.processed("comm_msg", {"comm_id": asking.widget_control,
                                            "data": {"method": "request_states"}})
        await asyncio.sleep(1.0)
        found = [f"on {page_name}'s websocket addressed to {comm(page, c)}"
                 for page, page_name in ((a, "A"), (b, "B")) for c in answers(page, asking)]
        lines.append(f"{name}'s request_states: its widgets' states went "
                     + ("; ".join(found) if found else "nowhere"))
        for page in (a, b):
            page.on_opened.clear()
            page.foreign.clear()
    reply = await a.request("comm_info_request", {"target_name": "jupyter.widget"})
    comms = reply["content"]["comms"]
    targets = [c["target_name"] for c in comms.values()]
    lines.append(f"A's comm_info_request for target jupyter.widget lists {len(comms)} comms ("
                 + ", ".join(f"{t}: {targets.count(t)}" for t in sorted(set(targets)))
                 + f"), {sum(c in comms for c in a.opened)} of them opened by A itself")
    await a.close()
    await b.close()
    return lines

def report(name: str, n: int, stagger: float, problems: list[str], f: dict) -> None:
    visits: list[Visit] = f["sessions"]
    firsts = [v.first for v in visits if v.first is not None]
    answers = [v.answer for v in visits if v.answer is not None]
    how = "all at once" if stagger == 0 else f"staggered over {stagger:g} s"
    print(f"\n== {name}: {n} sessions, {how}; load average at the end "
          f"{' '.join(f'{x:.1f}' for x in f['load'])}; {f['wall']:.0f} s in all")
    print(f"first chart (GET -> status 'Up to date' with the PNG), {len(firsts)} of {n}: "
          f"{spread(firsts)}")
    print(f"slider -> own answer (key press's messages -> status names it 'Up to date'), "
          f"{len(answers)} of {n}: {spread(answers)}")
    same = [v.index for v in visits if v.picture_changed is False]
    print(f"  the picture changed with the answer in {len(answers) - len(same)} of "
          f"{len(answers)}" + (f" (the same PNG for sessions {same})" if same else ""))
    print(f"the lecturer's page (opened first, alone; stays open): first chart "
          f"{f['warm-up'] or float('nan'):.2f} s")
    per = (f["rss open"] - f["rss before"]) / n
    print(f"server RSS: before {mb(f['rss before'])}, peak {mb(f['rss peak'])}, with all {n} "
          f"open {mb(f['rss open'])}, {f['after']:g} s after closing them "
          f"{mb(f['rss after'])}; per session {mb(per)}")
    ratio = f["client cpu"] / max(f["server cpu"], 1e-9)
    print(f"CPU seconds: server {f['server cpu']:.1f}, the {n} clients (this event loop) "
          f"{f['client cpu']:.1f}: {ratio:.1%} of the server's")
    if "server cpu opened" in f:
        print(f"  the server's: {f['server cpu opened']:.1f} until every first chart, "
              f"{f['server cpu'] - f['server cpu opened']:.1f} for the sliders and the "
              "read-back")
    if f["pings"]:
        print(f"the server answered a websocket ping (every 0.5 s) in: {spread(f['pings'])}")
    print(f"the clients' event loop woke up at most {f['late'] * 1000:.0f} ms late: the "
          "server's messages and pings did not wait for them")
    received = [v.received for v in visits if v.first is not None]
    if received:
        print(f"received per session: median {statistics.median(received) / 1e3:.0f} kB in "
              f"{statistics.median([v.messages for v in visits]):.0f} messages")
    worst = sorted(visits, key=lambda v: -(v.answer or 1e9))[:3]
    print("slowest answers: " + ", ".join(
        f"#{v.index} {v.name} {v.key} {v.answer if v.answer is None else round(v.answer, 2)}"
        for v in worst))
    if problems:
        print(f"FAILED checks ({len(problems)}):")
        for p in problems:
            print("  " + p)
    else:
        print(f"checks: all {n} sessions got their first chart and their answer; each reads "
              "back its own value, its own sliders and its own headline; no message for "
              "another page's widget; no error in the server log")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--stagger", type=float, default=30.0,
                        help="seconds over which the staggered regime's sessions arrive")
    parser.add_argument("--regimes", default="at-once,staggered")
    parser.add_argument("--quick", action="store_true", help="4 sessions, staggered over 4 s")
    parser.add_argument("--after", type=float, default=10.0,
                        help="seconds after closing the sessions to read the server's RSS")
    parser.add_argument("--keep-log", type=Path, help="copy the server logs here")
    parser.add_argument("--py-spy", type=Path, metavar="DIR",
                        help="record the server's CPU profile per regime (py-spy, raw "
                             "collapsed stacks) into DIR")
    parser.add_argument("--painters", type=int, default=None, metavar="N",
                        help="the server's painter processes (sim dashboard --painters; "
                             "default: the command's own, one per core)")
    parser.add_argument("--comm-probe", action="store_true",
                        help="only check how a reconnecting page's widget reload fares with "
                             "two sessions (see the docstring)")
    args = parser.parse_args(argv)
    if args.comm_probe:
        with tempfile.TemporaryDirectory() as folder:
            server = Dashboard(games=Path(folder) / "games", log=Path(folder) / "log").start()
            try:
                lines = asyncio.run(comm_probe(server.url))
            finally:
                server.stop()
        print("\n".join(lines))
        return 0
    if args.quick:
        args.sessions, args.stagger = 4, 4.0
    if not 1 <= args.sessions <= 10 * len(KEYS):
        parser.error(f"--sessions: 1 to {10 * len(KEYS)}")
    print(f"server_load: {args.sessions} protocol clients on the Explore page ({SCENARIO}, "
          f"200 replicates), no browser; painters: "
          f"{'one per core' if args.painters is None else args.painters}; "
          f"{os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for name in args.regimes.split(","):
            stagger = 0.0 if name == "at-once" else args.stagger
            options = () if args.painters is None else ("--painters", str(args.painters))
            problems, figures = asyncio.run(run_regime(name, args.sessions, stagger,
                                                       Path(folder), args.after, args.py_spy,
                                                       options))
            report(name, args.sessions, stagger, problems, figures)
            failed |= bool(problems)
            if args.keep_log:
                args.keep_log.mkdir(parents=True, exist_ok=True)
                (args.keep_log / f"server-{name}.log").write_bytes(
                    (Path(folder) / f"server-{name}.log").read_bytes())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
