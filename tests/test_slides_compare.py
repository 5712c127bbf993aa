"""Slide-ready figures of ``compare`` and ``attribute`` (and the options every verb shares):
type no smaller than the look's minimum, the focus ally in colour and the rest grey, each format
written, honest difference axes, bad options refused with a message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text

from sim.analysis import attribute as att
from sim.analysis import compare as cmp
from sim.cli import main as cli
from sim.figures import compare as plots_compare
from sim.figures.looks import SLIDES, Look
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
SMALL = {"replicates": 3, "horizon_months": 12}
MEASURES = ["trust", "alignment_economic", "alignment_security"]
# a scenario file that is quick to run from the command line (a year, three replicates)
QUICK = """\
name: {name}
extends: {parent}
horizon_months: 12
replicates: 3
"""


def small(name: str):
    return load_scenario(SCENARIOS / f"{name}.yml").model_copy(update=SMALL)


@pytest.fixture(scope="module")
def comparison() -> cmp.Comparison:
    return cmp.compare([small("baseline"), small("tariff_escalation")])


@pytest.fixture(scope="module")
def attribution() -> att.Attribution:
    return att.attribute(small("tariff_escalation"))


@pytest.fixture
def drawn(monkeypatch) -> list[Figure]:
    """The figures the writers draw, as they are saved (after the look has raised the type)."""
    figures: list[Figure] = []
    real = plots_compare.write_drawn

    def keep(size, draw, path, look, formats):
        return real(size, lambda fig: (figures.append(fig), draw(fig)), path, look, formats)

    monkeypatch.setattr(plots_compare, "write_drawn", keep)
    return figures


def visible_texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def is_grey(colour) -> bool:
    return float(np.ptp(to_rgb(colour))) < 0.02


def draw_comparison(comparison, folder, look) -> list[Path]:
    return plots_compare.make_comparison_plots(
        cmp.level_table(comparison, MEASURES), cmp.difference_table(comparison, MEASURES),
        comparison.scenarios, folder, focus=("JPN",), look=look)


def test_no_text_of_a_slides_comparison_is_below_the_looks_minimum(comparison, drawn,
                                                                    tmp_path):
    paths = draw_comparison(comparison, tmp_path, SLIDES)
    assert len(drawn) == len(paths) == 4  # three measures and Japan's focus plot
    for fig in drawn:
        sizes = [t.get_fontsize() for t in visible_texts(fig)]
        assert min(sizes) >= SLIDES.min_font >= 14


def test_no_text_of_a_slides_waterfall_is_below_the_looks_minimum(attribution, drawn,
                                                                  tmp_path):
    paths = plots_compare.make_attribution_plots(attribution, tmp_path, ["JPN"], SLIDES)
    assert len(drawn) == len(paths) == len(att.OUTCOMES)
    for fig in drawn:
        assert min(t.get_fontsize() for t in visible_texts(fig)) >= SLIDES.min_font
        assert {p.get_facecolor()[:3] for ax in fig.axes for p in ax.patches
                if p.get_gid()} <= {to_rgb(c) for c in (*plots_compare.SLIDES_BARS, "0.4")}


def test_the_focus_ally_is_in_colour_with_its_band_and_the_others_grey(comparison, drawn,
                                                                       tmp_path):
    draw_comparison(comparison, tmp_path, Look("slides", focus="KOR"))
    allies = set(comparison.scenarios[0].allies())
    for fig in drawn[:3]:  # the three measures, every ally in every panel
        for ax in fig.axes:
            lines = {line.get_gid(): line for line in ax.get_lines() if line.get_gid()}
            if not lines:
                continue  # the panel that explains the differences
            assert set(lines) == allies
            assert not is_grey(lines["KOR"].get_color())
            assert all(is_grey(lines[c].get_color()) for c in allies - {"KOR"})
            assert lines["KOR"].get_linewidth() > lines["JPN"].get_linewidth()
            assert len(ax.collections) >= 1  # Korea's band (the others have none)
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert legend[:2] == ["South Korea", "the others"]


def test_a_difference_row_is_not_clipped_to_its_first_panel(drawn, tmp_path):
    """Three scenarios: the second equals the first (zero difference), the third moves trust
    far; the shared difference row must hold the third's lines."""
    base = small("baseline")
    result = cmp.compare([base, base, small("tariff_escalation")])
    draw_comparison(result, tmp_path, SLIDES)
    fig = drawn[0]  # trust in the patron
    third = fig.axes[5]  # bottom row, third panel
    low, high = third.get_ylim()
    drawn_low = min(float(np.min(line.get_ydata())) for line in third.get_lines()
                    if line.get_gid())
    assert drawn_low < -plots_compare.DIFFERENCE_FLOOR["trust_in_patron"]  # beyond the floor
    assert low <= drawn_low and high >= plots_compare.DIFFERENCE_FLOOR["trust_in_patron"]


def test_a_slides_waterfall_never_spans_less_than_the_difference_floor(attribution, drawn,
                                                                       tmp_path):
    plots_compare.make_attribution_plots(attribution, tmp_path, ["JPN"], SLIDES)
    for fig, measure in zip(drawn, att.OUTCOMES, strict=True):
        for ax in fig.axes:
            low, high = ax.get_xlim()
            assert high - low >= 2 * plots_compare.DIFFERENCE_FLOOR[measure] - 1e-9
        assert "at least" in fig.get_suptitle()


# --- the command line ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scenarios")
    files = {}
    for name in ("baseline", "tariff_escalation"):
        files[name] = folder / f"{name}.yml"
        files[name].write_text(QUICK.format(name=f"quick_{name}",
                                            parent=SCENARIOS / f"{name}.yml"), encoding="utf-8")
    return files


def suffixes(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.iterdir():
        found.setdefault(path.stem, set()).add(path.suffix)
    return found


@pytest.mark.slow
def test_compare_writes_each_format_in_the_slides_look(quick, tmp_path):
    out = tmp_path / "cmp"
    assert cli(["compare", str(quick["baseline"]), str(quick["tariff_escalation"]), "--out",
                str(out), "--style", "slides", "--focus", "KOR", "--formats", "png,svg,pdf"]) == 0
    found = suffixes(out / "plots")
    assert set(found) == {"trust_in_patron", "alignment_economic", "alignment_security",
                          "focus_KOR"}  # the focus plot follows --focus
    assert all(s == {".png", ".svg", ".pdf"} for s in found.values())
    assert (out / "plots" / "focus_KOR.pdf").read_bytes().startswith(b"%PDF")
    assert b"<svg" in (out / "plots" / "focus_KOR.svg").read_bytes()[:2000]


@pytest.mark.slow
def test_attribute_writes_each_format_in_the_slides_look(quick, tmp_path):
    out = tmp_path / "att"
    assert cli(["attribute", str(quick["tariff_escalation"]), "--out", str(out),
                "--replicates", "2", "--style", "slides", "--formats", "svg,pdf"]) == 0
    found = suffixes(out / "plots")
    assert set(found) == {"waterfall_JPN", "waterfall_JPN_alignment_economic",
                          "waterfall_JPN_alignment_security"}
    assert all(s == {".svg", ".pdf"} for s in found.values())


@pytest.mark.parametrize("argv, message", [
    (["compare", "A", "B", "--focus", "XYZ"], "XYZ"),
    (["compare", "A", "B", "--focus", "US"], "--focus US"),  # the patron: no focus plot
    (["compare", "A", "B", "--formats", "png,gif"], "gif"),
    (["compare", "A", "B", "--style", "poster"], "poster"),
    (["attribute", "T", "--formats", ","], "figure format"),
    (["attribute", "T", "--style", "poster"], "poster"),
    (["attribute", "T", "--focus", "JPN"], "--focus"),  # attribute's figures use --actors
])
def test_bad_look_options_are_refused_before_any_work(argv, message, quick, tmp_path, capsys):
    files = {"A": quick["baseline"], "B": quick["tariff_escalation"],
             "T": quick["tariff_escalation"]}
    out = tmp_path / "out"
    argv = [str(files.get(a, a)) for a in argv] + ["--out", str(out)]
    try:
        code = cli(argv)
    except SystemExit as exc:  # argparse's refusal
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("ticks, expected", [
    ([0, 0.025, 0.05, 0.075], ["0", "+0.025", "+0.050", "+0.075"]),  # not "+0.03", "+0.05"
    ([-0.04, -0.02, 0, 0.02], ["-0.04", "-0.02", "0", "+0.02"]),
    ([-10, 0, 10, 20], ["-10", "0", "+10", "+20"]),
])
def test_difference_ticks_never_round_two_ticks_to_one_label(ticks, expected):
    from sim.figures.compare import SignedFormatter

    formatter = SignedFormatter()
    formatter.set_locs(np.array(ticks, dtype=float))
    labels = [formatter(t) for t in ticks]
    assert labels == expected
    assert len(set(labels)) == len(labels)
