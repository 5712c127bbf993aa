"""Each page's widget reload answered on its own comm, with its own session's widgets.

When a page's websocket reconnects, Solara's page calls ``widgetManager.fetchAll()``:
ipywidgets' front end (``_loadFromKernel``) opens a ``jupyter.widget.control`` comm, sends
``request_states`` and waits 4 s for ``update_states`` on that comm. On the server two things
go wrong when several sessions share the process (every Solara server does):

* ipywidgets keeps the control comm in ONE class attribute, ``Widget._control_comm``
  (ipywidgets/widgets/widget.py, ``Widget.handle_control_comm_opened``), and
  ``Widget._handle_control_comm_msg`` answers on it. Solara makes the widget registry
  (``ipywidgets.widgets.widget._instances``) per session (solara/server/patch.py ``patch``) but
  not this attribute, so session A's answer goes out on the comm opened last, say B's.
* The comm a page opens is an ``ipykernel.comm.Comm`` (ipykernel/comm/manager.py
  ``CommManager.comm_open``) whose kernel is resolved lazily, at its first send, from the
  session current at that moment (``BaseComm.publish_msg``: ``Kernel.instance()``, which
  Solara dispatches per session). A's answer on B's comm therefore binds B's comm to A's
  kernel, and from then on B's own answers, B's whole widget state (its settings, its
  chart), go to A's browser: a cross-session leak, and neither page reloads its widgets.

``install`` replaces ``Widget.handle_control_comm_opened``, which ipywidgets'
``register_comm_target`` registers for every new session's kernel
(solara/server/kernel_context.py ``initialize_virtual_kernel``; this module is installed from
:mod:`sim.dashboard.app`, which Solara imports at server start, before any session). When a
control comm opens, it is bound to the opening session's kernel at once, and its message
handler is a closure over that comm: under a lock, ``Widget._control_comm`` is that comm
while ipywidgets' own ``_handle_control_comm_msg`` runs, so the states (read from the
session's own registry: the comm's messages are dispatched in its session's context,
solara/server/server.py ``app_loop``) go on the comm that asked.

A second, smaller fix: Solara answers a ``comm_info_request`` ignoring its ``target_name``
(solara/server/server.py ``process_kernel_messages`` reads ``msg["target_name"]``, the Jupyter
protocol puts it in ``msg["content"]``), so ipywidgets' fallback after an unanswered
``request_states`` receives the page's own ``solara.control`` and ``jupyter.widget.control``
comms too and throws "Comm is already created". ``install`` wraps that function to copy the
content's ``target_name`` to where Solara reads it.

Both can go when Solara and ipywidgets fix them (checked with Solara 1.58.2, ipywidgets 8.1.9,
ipykernel 7.4.0); ``benchmarks/server_load.py --comm-probe`` and
tests/browser/test_control_comm.py show whether they are still needed.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import weakref

_lock = threading.Lock()
_installed = False


def install() -> None:
    """Patch ipywidgets' control comm handler and Solara's ``comm_info_request`` answer, once,
    when Solara's server runs (imported without it, as in the unit tests, nothing is patched:
    importing the server would patch ipywidgets for the whole process)."""
    global _installed
    solara_server = sys.modules.get("solara.server.server")
    if _installed or solara_server is None:
        return
    from ipywidgets.widgets.widget import Widget
    from solara.server import kernel_context

    opened = Widget.handle_control_comm_opened  # ipywidgets' own, bound to the class
    handle = Widget._handle_control_comm_msg

    def handle_control_comm_opened(cls, comm, msg) -> None:
        # bind the comm to the session that opened it, not to the one that first sends on it
        comm.kernel = kernel_context.get_current_context().kernel
        with _as_control_comm(Widget, comm):
            opened(comm, msg)  # ipywidgets' version check; it sets its own handler, replaced here
        ref = weakref.ref(comm)  # the comm holds its handler: no cycle through the closure

        def on_msg(message) -> None:
            own = ref()
            if own is None:
                return
            with _as_control_comm(Widget, own):
                handle(message)

        comm.on_msg(on_msg)

    Widget.handle_control_comm_opened = classmethod(handle_control_comm_opened)

    process = solara_server.process_kernel_messages

    def process_kernel_messages(kernel, msg):
        if (msg.get("header", {}).get("msg_type") == "comm_info_request"
                and "target_name" not in msg):
            target = (msg.get("content") or {}).get("target_name")
            if target is not None:
                msg = {**msg, "target_name": target}
        return process(kernel, msg)

    solara_server.process_kernel_messages = process_kernel_messages
    _installed = True


@contextlib.contextmanager
def _as_control_comm(widget_class, comm):
    """``Widget._control_comm`` is ``comm`` while inside, under the module's lock: ipywidgets
    reads it in its handlers, and other sessions may answer at the same time."""
    with _lock:
        previous = widget_class._control_comm
        widget_class._control_comm = comm
        try:
            yield
        finally:
            widget_class._control_comm = previous
