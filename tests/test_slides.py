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


# --- the event key beside the plot (Look.key_beside): the plot gets the slide's height --------

def drawn(name: str, summary, scenario, look):
    """One of the run's figures drawn as ``sim run`` and the dashboard draw it, measured in
    inches: the picture (its tight box), the axes with data, and the event key's texts."""
    size, draw = next((size, draw) for file, size, draw in plots.FIGURES if file == name)
    fig = canvas_figure(size)
    with using(look):
        draw(summary, scenario, fig)
        look.finish(fig)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        inches = fig.dpi_scale_trans.inverted()
        picture = fig.get_tightbbox(renderer)
        axes = [ax.get_window_extent(renderer).transformed(inches) for ax in fig.axes]
        keys = [t.get_window_extent(renderer).transformed(inches)
                for ax in fig.axes for t in ax.texts if t.get_gid() == "event-key"]
    return picture, axes, keys


@pytest.mark.parametrize("name", ["trust_in_patron.png", "defence_spending.png",
                                  "alignment.png"])
def test_slides_put_the_event_key_beside_the_plot_which_gets_the_height(summary, ensemble,
                                                                         name):
    picture, axes, keys = drawn(name, summary, ensemble.scenario, SLIDES)
    assert len(keys) == 1  # one column, right of every panel, level with the data
    key = keys[0]
    assert key.x0 > max(ax.x1 for ax in axes)
    assert key.y1 <= max(ax.y1 for ax in axes)  # from the top of the plot down
    # the whole key of the second term (eight months of events) fits the 16:9 slide: it is
    # wrapped to the width left, so it neither widens nor lengthens the picture
    assert key.x1 <= 16.0 and key.y0 >= 0.0 and picture.width <= 16.2
    assert 1.65 <= picture.width / picture.height <= 1.9
    share = sum(ax.height for ax in axes) / picture.height
    assert share >= (0.6 if name == "alignment.png" else 0.75), share


@pytest.mark.parametrize("name", ["trust_in_patron.png", "alignment.png"])
def test_the_report_keeps_its_key_below_the_plot(summary, ensemble, name):
    picture, axes, keys = drawn(name, summary, ensemble.scenario, REPORT)
    assert len(keys) == 2 and all(k.y1 < min(ax.y0 for ax in axes) for k in keys)
    assert picture.width < 15  # an 11-inch figure and its legend, not a slide


def test_slides_alignment_file_is_a_slide_with_the_panels_tall(ensemble, summary, tmp_path):
    (path,) = plots.write_figure("alignment.png", summary, ensemble.scenario, tmp_path, SLIDES)
    data = path.read_bytes()
    width, height = (int.from_bytes(data[i:i + 4], "big") for i in (16, 20))
    assert 1.65 <= width / height <= 1.9, (width, height)  # it was 5:4, and wider than tall
    _, axes, _ = drawn("alignment.png", summary, ensemble.scenario, SLIDES)
    assert len(axes) == 3 and min(ax.height for ax in axes) >= 1.8  # inches, of 9


def test_a_wrapped_key_line_is_never_wider_than_its_column():
    from sim.figures.style import text_width, wrapped

    entries = ["3  Mar 2025: freeloader remark; 3% of GDP call (nominee); NATO allies told: pay "
               "or no defence; Ukraine support cut; WWWWWWWWWW MMMMMMMMMM"] * 2
    for points in (200.0, 300.0, 450.0):
        lines = wrapped(entries, 14, points)
        assert max(text_width(line, 14) for line in lines) <= points
        assert len(wrapped(entries, 14, points)) == len(lines)  # the same every time
        assert all(line.startswith("     ") for line in lines if not line[:1].isdigit())
