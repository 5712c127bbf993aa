"""Placeholder: the role-play pages (being built on branch play)."""

import solara


@solara.component
def LecturerPage():
    solara.Markdown("# Role play")


@solara.component
def TeamPage(actor: str):
    solara.Markdown(f"# Team {actor}")
