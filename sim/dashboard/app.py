"""The dashboard's pages and their addresses (``solara run sim.dashboard.app``).

Started by ``python -m sim dashboard``, which binds to 127.0.0.1 unless told otherwise. Every
component builds its state inside the session (``solara.use_memo``/``use_state``), never at
module level: a module-level model would be shared by every browser in the class.
"""

from __future__ import annotations

import solara

from sim.dashboard import compare, explore, play
from sim.evidence.actors import DEFAULT_ACTORS


@solara.component
def Lecturer():
    play.LecturerPage()


def _team(code: str):
    @solara.component
    def Team():
        play.TeamPage(code)

    Team.__name__ = f"Team{code}"
    return Team


# A team's page is /play/<CODE>: one route per actor of the evidence register (a scenario's own
# added actor cannot be played by a team), so a mistyped code gets a 404, not an empty page.
routes = [
    solara.Route("/", component=explore.Page, label="Explore"),
    solara.Route("compare", component=compare.Page, label="Compare"),
    solara.Route("play", label="Role play", children=[
        solara.Route("/", component=Lecturer, label="Lecturer"),
        *[solara.Route(code, component=_team(code), label=code) for code in DEFAULT_ACTORS],
    ]),
]
