"""Pieces the role-play pages share: the projector's type sizes, a number field that refuses
what is not a number, a round's report, the class's path and the debrief as figures and tables.

Everything here reads a :class:`~sim.play.game.Game` (shared by all sessions, thread-safe) and
keeps nothing of its own between renders.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import solara

from sim.dashboard.charts import DRAWING
from sim.errors import UserError
from sim.figures.looks import SLIDES, using
from sim.play.debrief import words
from sim.play.game import Game
from sim.play.report import MEASURES, RoundReport

POLL_SECONDS = 1.5  # how often a page asks which game is current and whether it has changed

# Large type: a lecturer's page is read from the back of a seminar room.
CSS = """
.play-page { font-size: 20px; max-width: 1500px; }
.play-page h1 { font-size: 40px; margin: 8px 0 4px 0; }
.play-page h2 { font-size: 30px; margin: 18px 0 6px 0; }
.play-page h3 { font-size: 24px; margin: 12px 0 4px 0; }
.play-page p, .play-page li, .play-page td, .play-page th { font-size: 20px; line-height: 1.45; }
.play-page table { border-collapse: collapse; margin: 6px 0 12px 0; }
.play-page td, .play-page th { border-bottom: 1px solid #ccc; padding: 4px 18px 4px 0;
                               white-space: nowrap; text-align: left; }
.play-page .v-label, .play-page input, .play-page .v-select__selection { font-size: 20px; }
.play-page .v-btn, .play-page .v-tab { font-size: 18px; }
.play-page .v-alert { font-size: 20px; white-space: pre-wrap; }
.play-page .v-messages { font-size: 18px; min-height: 24px; }  /* a field's refusal, in red */
.play-page .v-messages__message { line-height: 1.35; }
"""


@solara.component
def NumberField(label: str, text: str, on_text: Callable[[str], None],
                read: Callable[[str], object]):
    """A number typed into a text box, kept as the text typed; text that ``read`` refuses (a
    :class:`~sim.errors.UserError`) is said under the box, in red, in the error's words.

    Not ``solara.InputInt``/``InputFloat``: on "abc" they keep their last number without a word,
    so a form would go on with a value nobody typed. The form reads the text again with the
    same ``read`` when it acts (a start, a move), so the refusal holds there too."""
    try:
        read(text)
        problem = None
    except UserError as exc:
        problem = exc.message
    solara.InputText(label, text, on_value=on_text, error=problem or False)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def _value(measure: str, value: float, signed: bool = False, unit: bool = True) -> str:
    """32%, +2 pp, 0.27, +0.01 (never -0)."""
    sign = "+" if signed else ""
    if measure == "trust_in_patron":
        text = f"{round(value * 100) + 0.0:{sign}.0f}"
        return text + (" pp" if signed else "%") * unit
    return f"{round(value, 2) + 0.0:{sign}.2f}"


def changes_table(report: RoundReport, actors: list[str], highlight: str | None) -> str:
    """Per ally: each measure before and after the round (median) and the change (median,
    10-90% band over the replicates)."""
    rows = []
    for actor in actors:
        name = f"**{actor}**" if actor == highlight else actor
        cells = [name]
        for measure in MEASURES:
            c = report.change(actor, measure)
            cells.append(f"{_value(measure, c.before[1])} → {_value(measure, c.after[1])} "
                         f"({_value(measure, c.change[1], True)} "
                         f"[{_value(measure, c.change[0], True, False)}, "
                         f"{_value(measure, c.change[2], True, False)}])")
        rows.append(cells)
    header = ["ally", "trust in the patron", "economic alignment", "security alignment"]
    return table(header, rows)


def _values(values: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in values.items())


def report_markdown(report: RoundReport, highlight: str | None = None) -> str:
    """The round's account: moves, rules, scripted events, and how the allies moved."""
    moves = [(f"- **{m['said']}**: {m['title']}" if m.get("said")  # older saves: no 'said'
              else f"- **{m['actor']}**: {m['title']}")
             + (f" ({_values(m['values'])})" if m["values"] else "")
             for m in report.moves] or ["- no team moved"]
    if report.idle:
        moves.append(f"- did nothing: {', '.join(report.idle)}")
    decided = [f"- {d['actor']} {d['act']} → {d['target']} in {d['share']:.0%} of replicates"
               for d in report.decisions] or ["- none"]
    scripted = [f"- {e['name']} ({e['type']}, {e['month']})"
                + (f" in {e['share']:.0%} of replicates" if e["share"] < 1 else "")
                for e in report.scripted] or ["- none"]
    actors = list(dict.fromkeys(c.actor for c in report.changes))
    return "\n".join([
        f"## Round {report.round}: {report.months[0]} to {report.months[1]}",
        "### The teams' moves", *moves,
        "### What the model's own rules decided (actors without a team)", *decided,
        "### Scripted events", *scripted,
        "### How the allies moved over the round",
        "Median before → after (change: median [10%, 90% of replicates]). Trust in %, its "
        "changes in percentage points; alignments from -1 (China) to +1 (the US).", "",
        changes_table(report, actors, highlight)])


@solara.component
def ReportView(report: RoundReport | None, highlight: str | None = None):
    if report is None:
        solara.Markdown("No round has been played yet.")
        return
    solara.Markdown(report_markdown(report, highlight))


def png(figure) -> bytes:
    """A figure as PNG bytes (drawn once, shown by every session that asks)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def path_png(game: Game, actors: tuple[str, ...], title: str) -> bytes:
    """The class's path figure after the rounds played, drawn once per round for all pages."""
    from sim.figures.play import class_path_figure

    def draw() -> bytes:
        paths = game.paths()  # the game re-run: before the drawing lock, not under it
        with DRAWING, using(SLIDES):  # matplotlib's settings are global: see DRAWING
            return png(class_path_figure(paths, game.scripted, actors, game.round_starts(),
                                         title))
    return game.cached(("path", actors, title), draw, game.played)


def debrief_png(game: Game, actors: tuple[str, ...]) -> bytes:
    from sim.figures.play import debrief_figure

    def draw() -> bytes:
        paths = game.debrief().paths
        with DRAWING, using(SLIDES):
            return png(debrief_figure(paths, game.scripted, actors, game.round_starts(),
                                      f"Debrief of '{game.name}': the class against "
                                      f"{game.scripted.name} as scripted"))
    return game.cached(("debrief", actors), draw, game.played)


@solara.component
def ClassPath(game: Game, played: int, actors: list[str], title: str):
    """The class's path so far for ``actors`` (trust in the patron, both alignments), after
    ``played`` rounds (a prop, so the figure follows the game). Drawn in a thread: the round's
    header and report show at once, the figure (a re-run of the game) when it is ready."""
    drawn = solara.use_thread(lambda: path_png(game, tuple(actors), title),
                              dependencies=[game, played, tuple(actors), title],
                              intrusive_cancel=False)
    if drawn.state == solara.ResultState.FINISHED:
        solara.Image(drawn.value, width="100%")
    elif drawn.state == solara.ResultState.ERROR:
        solara.Error(f"The class's path could not be drawn: {drawn.error}")
    else:
        solara.ProgressLinear(True)
        solara.Markdown(f"Drawing the class's path after round {played}…")


@solara.component
def DebriefView(game: Game, rounds: int):
    """The class's path against the scenario as scripted after ``rounds`` rounds, with the
    paired difference; the end-of-game table; the game's scenario YAML to download."""
    allies = game.scripted.allies()
    played = [t for t in game.teams if t in allies] or allies[:3]
    actors, set_actors = solara.use_state(played)
    solara.Markdown(
        "Both paths use the same seed and replicates, so each replicate of the class's path "
        "is paired with the same replicate of the scenario as scripted (common random "
        "numbers): the difference is what the class's choices changed, not noise.")
    solara.SelectMultiple("allies shown", actors, allies, on_value=set_actors)

    def compute() -> tuple[bytes, str] | None:  # seconds for a big game: not in the render
        if rounds == 0 or not actors:
            return None
        return debrief_png(game, tuple(actors)), _words_table(game)

    made = solara.use_thread(compute, dependencies=[game, rounds, tuple(actors)],
                             intrusive_cancel=False)
    if rounds == 0:
        solara.Info("Play a round first: the debrief compares the rounds played.")
    elif actors and made.state == solara.ResultState.FINISHED and made.value is not None:
        solara.Image(made.value[0], width="100%")
        solara.Markdown(made.value[1])
    elif actors and made.state == solara.ResultState.ERROR:
        solara.Error(f"The debrief could not be computed: {made.error}")
    elif actors:
        solara.ProgressLinear(True)
        solara.Info(f"Computing the debrief of the {rounds} rounds played: the class's path "
                    "against the scenario as scripted (a big game takes some seconds)…")
    if rounds:
        solara.Markdown("### The class's moves\n\n" + "\n".join(
            f"- {text}" for text in game.move_texts(rounds)) if game.move_texts(rounds)
            else "### The class's moves\n\nNo team moved.")
    solara.FileDownload(game.scenario_yaml(), filename=f"{game.folder.name}.yml",
                        label="Download the game as a scenario (python -m sim run replays it)")


def _words_table(game: Game) -> str:
    frame = words(game.debrief().table)
    month = game.scripted.month_date(game.debrief().month)
    return (f"### At the start of {month:%B %Y}\n\n"
            + table(list(frame.columns), frame.astype(str).values.tolist()))
