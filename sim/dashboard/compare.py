"""Placeholder: the compare page (being built)."""

import solara


@solara.component
def Page():
    solara.Markdown("# compare")
