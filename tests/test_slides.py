"""Slide-ready figures: ``run --style slides``, ``--focus``, ``--formats``; honest difference
axes."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.text import Text

from sim.analysis.tables import quantiles
from sim.cli import main as cli
from sim.engine.ensemble import run_ensemble
from sim.figures import run as plots
from sim.figures.looks import REPORT, SLIDES, Look, using
from sim.figures.style import PALETTE, actor_colour, actor_linestyle, canvas_figure
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SECOND_TERM = ROOT / "scenarios" / "trump_second_term.yml"


@pytest.fixture(scope="module")
def ensemble():
    scenario = load_scenario(SECOND_TERM).model_copy(update={"replicates": 4,
                                                            "horizon_months": 12})
    return run_ensemble(scenario)


@pytest.fixture(scope="module")
def summary(ensemble):
    return quantiles(ensemble)


def deuteranope(colour: str) -> np.ndarray:
    """A rough red-green-blind view: red and green merged (Vienot et al. 1999 in spirit)."""
    r, g, b = to_rgb(colour)
    return np.array([(r + g) / 2, (r + g) / 2, b])


def test_report_look_keeps_the_report_palette():
    with using(REPORT):
        assert all(actor_colour(code) == colour for code, colour in PALETTE.items())
        assert {actor_linestyle(code) for code in PALETTE} == {"-"}


def test_slides_allies_starting_at_the_same_level_never_look_alike():
    scenario = load_scenario(SECOND_TERM)
    start = {c: scenario.actors[c].trust[scenario.patron] for c in scenario.allies()}
    close = [(a, b) for a, b in itertools.combinations(start, 2) if abs(start[a] - start[b]) < 0.03]
    assert ("KOR", "UKR") in close or ("UKR", "KOR") in close  # the pair the issue names
    with using(SLIDES):
        for a, b in close:
            far = np.linalg.norm(deuteranope(actor_colour(a)) - deuteranope(actor_colour(b)))
            assert far > 0.35 or actor_linestyle(a) != actor_linestyle(b), (a, b, far)
        looks = {(actor_colour(c), actor_linestyle(c)) for c in scenario.allies()}
    assert len(looks) == len(scenario.allies())


def texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def test_slides_text_is_large_enough_for_the_back_of_the_room(summary, ensemble):
    fig = canvas_figure((11, 6))
    with using(SLIDES):
        plots.plot_trust_in_patron(summary, ensemble.scenario, fig.add_subplot())
        SLIDES.finish(fig)
    smallest = min(t.get_fontsize() for t in texts(fig))
    assert smallest >= SLIDES.min_font >= 14
    report = canvas_figure((11, 6))
    plots.plot_trust_in_patron(summary, ensemble.scenario, report.add_subplot())
    assert min(t.get_fontsize() for t in texts(report)) < SLIDES.min_font


def test_focus_greys_every_other_actor(summary, ensemble):
    fig = canvas_figure((11, 6))
    look = Look("slides", focus="JPN")
    with using(look):
        ax = plots.plot_trust_in_patron(summary, ensemble.scenario, fig.add_subplot())
    lines = {line.get_gid(): line for line in ax.get_lines() if line.get_gid()}
    grey = {code for code, line in lines.items()
            if np.ptp(to_rgb(line.get_color())) < 0.02}
    assert grey == set(lines) - {"JPN"}
    assert lines["JPN"].get_linewidth() > max(lines[c].get_linewidth() for c in grey)
    assert lines["JPN"].get_zorder() > lines["KOR"].get_zorder()


def test_every_format_is_written(ensemble, summary, tmp_path):
    paths = plots.make_plots(ensemble, summary, tmp_path, look=SLIDES,
                             formats=("png", "svg", "pdf"))
    names = {p.name for p in paths}
    for name in plots.FILES:
        stem = name.removesuffix(".png")
        assert {f"{stem}.png", f"{stem}.svg", f"{stem}.pdf"} <= names
        assert (tmp_path / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
        assert b"<svg" in (tmp_path / f"{stem}.svg").read_bytes()[:2000]


@pytest.mark.parametrize("extra, message", [
    (["--focus", "XYZ"], "XYZ"),
    (["--formats", "png,gif"], "gif"),
    (["--style", "poster"], "poster"),
])
def test_bad_look_options_are_refused_before_any_work(extra, message, tmp_path, capsys):
    out = tmp_path / "run"
    try:
        code = cli(["run", str(SECOND_TERM), "--out", str(out), *extra])
    except SystemExit as exc:  # argparse's refusal
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_difference_axes_have_a_floor_so_a_tiny_change_looks_tiny():
    from sim.analysis import compare as cmp
    from sim.figures import compare as plots_compare

    base = load_scenario(ROOT / "scenarios" / "baseline.yml").model_copy(
        update={"replicates": 3, "horizon_months": 6})
    result = cmp.compare([base, base])  # differences of exactly zero
    measures = ["trust", "alignment_economic", "alignment_security"]
    fig = canvas_figure((11.7, 8.5))
    plots_compare.plot_measure_by_scenario(
        cmp.level_table(result, measures), cmp.difference_table(result, measures),
        result.scenarios, "trust_in_patron",
        fig.subplots(2, 2, sharex=True, sharey="row", squeeze=False))
    low, high = fig.axes[3].get_ylim()
    assert high - low >= 2 * plots_compare.DIFFERENCE_FLOOR["trust_in_patron"] - 1e-9
    ticks = [t for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()]
    assert min(t.get_fontsize() for t in ticks) >= 9


def test_slides_event_key_is_one_column_so_large_type_cannot_overlap(summary, ensemble):
    fig = canvas_figure((11, 6))
    with using(SLIDES):
        ax = plots.plot_trust_in_patron(summary, ensemble.scenario, fig.add_subplot())
    keys = [t for t in ax.texts if t.get_gid() == "event-key" and t.get_text().strip()]
    assert len(keys) == 1 and "golden age summit" in keys[0].get_text()
