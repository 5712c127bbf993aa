"""Placeholder: the explore page (being built)."""

import solara


@solara.component
def Page():
    solara.Markdown("# explore")
