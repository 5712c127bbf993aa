"""A file upload a lecturer can click (a file chooser) or drop a file on.

Solara's ``FileDrop`` takes only a dragged file; a browser's file chooser (an
``<input type="file">``) is what most people reach for, and what a test can fill in. This is
ipyvuetify's own ``FileInput`` (the same chunked transfer Solara's drop zone uses), read in a
worker thread: reading waits for the browser to send the file, which an event handler must not.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import solara
from ipyvuetify.extra import FileInput


@solara.component
def FileUpload(on_file: Callable[[str, bytes], None], accept: str = ".yml,.yaml"):
    """``on_file(name, data)`` once a chosen file has arrived."""
    chosen, set_chosen = solara.use_state(None)
    files, set_files = solara.use_state(None)
    element = FileInput.element(multiple=False, accept=accept, on_file_info=set_chosen)

    def wire() -> None:
        if not chosen:
            return
        widget = solara.get_widget(element)
        widget.version += 1  # as Solara's FileDrop does: re-arm the widget's observers
        widget.reset_stats()
        set_files(widget.get_files())

    solara.use_effect(wire, [chosen])

    def read(cancel: threading.Event) -> None:
        if files:
            on_file(files[0]["name"], files[0]["file_obj"].read())

    result = solara.use_thread(read, [files])
    if result.error:
        raise result.error
