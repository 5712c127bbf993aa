"""The dashboard's pages and their addresses (``solara run sim.dashboard.app``).

Started by ``python -m sim dashboard``, which binds to 127.0.0.1 unless told otherwise. Every
component keeps a session's choices inside the session (``solara.use_memo``/``use_state``),
never at module level: a module-level model would be shared by every browser in the class. Two
things are shared on purpose: the role-play game (:mod:`sim.play.registry`) and the store of
computed results, each a pure function of the settings that made it
(:mod:`sim.dashboard.results`).
"""

from __future__ import annotations

import solara

from sim.dashboard import compare, control_comm, explore, play, results
from sim.evidence.actors import DEFAULT_ACTORS

# a reconnecting page reloads its own session's widgets, on its own comm (see the module)
control_comm.install()

TITLE = "alliance-sim"


@solara.component
def Layout(children=[]):  # noqa: B006 (Solara's layout signature)
    """Solara's app layout, with tabs named for what they hold (its own tabs show the routes'
    paths, and "Home" for the first)."""
    current, level = solara.use_route()
    router = solara.use_router()
    index = level.index(current) if current in level else 0

    def go(i: int) -> None:
        router.push("/" if level[i].path == "/" else f"/{level[i].path}")

    with solara.AppLayout(title=TITLE) as main:
        with solara.AppBar():
            # a Tabs element in the app bar takes the place of the layout's own tabs
            with solara.lab.Tabs(value=index, on_value=go, align="center"):
                for route in level:
                    solara.lab.Tab(route.label or route.path)
        solara.Column(children=children)
    return main


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
    solara.Route("/", component=explore.Page, label="Explore", layout=Layout),
    solara.Route("compare", component=compare.Page, label="Compare"),
    solara.Route("play", label="Role play", children=[
        solara.Route("/", component=Lecturer, label="Lecturer"),
        *[solara.Route(path, component=_team(code), label=code) for code in DEFAULT_ACTORS
          for path in (code, code.lower())],  # /play/JPN and /play/jpn, as students type it
    ]),
]

# the store and its painter processes (sim/dashboard/drawing.py) start with the server, so the
# first session's first chart does not wait for the painters' imports
results.shared()
