"""The plots show what the ensemble says: the right series, orientation, units, dates and files."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.analysis.tables import quantiles
from sim.engine.ensemble import run_ensemble
from sim.engine.mechanics.hedging import KUIK_SPECTRUM
from sim.figures import network as plots_network
from sim.figures import run as plots
from sim.figures import style as plot_style
from sim.scenario import load_scenario

SCENARIO = """\
name: plot test
start: 2025-01-01
horizon_months: 24
seed: 3
replicates: 8
events:
  - {type: tariff, name: steel tariffs, date: 2025-03-01, targets: [JPN], sector: steel, rate: 0.25}
  - {type: support_cut, name: Ukraine aid cut, date: 2025-04-01, partner: UKR, fraction: 0.6}
  - {type: defence_demand, name: 3% demand, date: 2025-05-01, targets: [JPN, KOR],
     target_pct: 3.0}
  - {type: rhetoric, name: freeloading jibe, date: 2025-05-01, targets: [JPN], intensity: 0.5}
  - {type: tariff, name: auto tariffs, date: 2025-06-01, targets: [JPN, KOR], sector: autos,
     rate: 0.25}
"""
EXPECTED_FILES = {"trust_in_patron.png", "alignment.png", "trust_matrix.png",
                  "partnership_network.png", "defence_spending.png"}
ALLIES = ["JPN", "KOR", "AUS", "PHL", "TWN", "EUR", "UKR"]


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    path = tmp_path_factory.mktemp("scenario") / "plot_test.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return run_ensemble(load_scenario(path))


@pytest.fixture(scope="module")
def summary(ensemble):
    return quantiles(ensemble)


@pytest.fixture(scope="module")
def written(ensemble, summary, tmp_path_factory):
    return plots.make_plots(ensemble, summary, tmp_path_factory.mktemp("plots"))


def new_ax():
    fig = Figure(figsize=(11, 6))
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def date_tick_labels(ax):
    """The x tick labels as they will be drawn (without drawing the figure)."""
    ticks = ax.xaxis.get_major_locator()()
    return [ax.xaxis.get_major_formatter()(x, k) for k, x in enumerate(ticks)]


# --- files -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_make_plots_writes_the_five_named_pngs(written):
    folder = written[0].parent
    assert {p.name for p in written} == EXPECTED_FILES
    assert {p.name for p in folder.iterdir()} == EXPECTED_FILES
    for path in written:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path.name
        width, height = (int.from_bytes(data[i:i + 4], "big") for i in (16, 20))
        assert 700 <= width <= 3000 and 500 <= height <= 3000, (path.name, width, height)
        assert len(data) > 30_000, path.name  # a blank figure of that size is a few kB


def test_make_plots_reads_a_summary_back_from_csv(ensemble, summary, tmp_path):
    summary.to_csv(tmp_path / "summary.csv", index=False)
    from_csv = pd.read_csv(tmp_path / "summary.csv")  # dates as text, "" partners as NaN
    ax = plots.plot_trust_in_patron(from_csv, ensemble.scenario, ax=new_ax())
    assert len(ax.lines) == len(ALLIES)


# --- 1. trust in the patron --------------------------------------------------------------------

def test_trust_plot_has_one_median_line_per_ally_with_full_names(ensemble, summary):
    ax = plots.plot_trust_in_patron(summary, ensemble.scenario, ax=new_ax())
    assert [line.get_gid() for line in ax.lines] == ALLIES
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Japan" in legend and "South Korea" in legend
    assert not {"China", "Russia", "United States"} & set(legend)
    japan = ax.lines[0]
    expected = np.median(ensemble.trust("JPN", "US").astype(float), axis=0)
    np.testing.assert_allclose(japan.get_ydata(), expected, rtol=1e-5)


def test_trust_plot_labels_units_dates_and_title(ensemble, summary):
    ax = plots.plot_trust_in_patron(summary, ensemble.scenario, ax=new_ax())
    assert "%" in ax.get_ylabel() and "United States" in ax.get_ylabel()
    labels = date_tick_labels(ax)
    assert len(labels) >= 3
    assert all(re.search(r"\b20\d\d\b", t) for t in labels), labels
    assert ax.yaxis.get_major_formatter()(0.5, 0).endswith("%")
    assert "plot test" in ax.get_title() and "8 replicates" in ax.get_title()


def test_events_are_numbered_above_the_axes_and_explained_in_a_key(ensemble, summary):
    ax = plots.plot_trust_in_patron(summary, ensemble.scenario, ax=new_ax())
    ax.figure.canvas.draw()
    numbers = [t for t in ax.texts if t.get_gid() == "event-number"]
    # Two events in the same month share one number rather than printing over each other.
    assert [t.get_text() for t in numbers] == ["1", "2", "3", "4"]
    boxes = sorted((t.get_window_extent() for t in numbers), key=lambda b: b.x0)
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left.x1 <= right.x0 + 0.5, (left, right)
    assert all(b.y0 >= ax.get_window_extent().y1 for b in boxes)  # above the data, not on it
    columns = [t for t in ax.texts if t.get_gid() == "event-key"]
    key = " ".join(" ".join(t.get_text() for t in columns).split())
    # below the axes (and so clear of the legend beside them), never over the data
    assert all(t.get_window_extent().y1 < ax.get_window_extent().y0 for t in columns)
    # these test events say nothing of their dates: assumed, so marked and drawn dashed
    assert "1 Mar 2025: steel tariffs (assumed)" in key
    assert "3% demand (assumed); freeloading jibe (assumed)" in key
    assert [c.get_linestyle() for c in ax.collections if c.get_gid() == "events-assumed"]
    assert not [c for c in ax.collections if c.get_gid() == "events"]


def test_events_of_known_date_are_dotted_and_unmarked(second_term):
    ax = new_ax()
    ax.set_xlim(second_term.start, second_term.month_date(second_term.horizon_months))
    key = " ".join(plot_style.mark_events(ax, second_term).split())
    assert "Nippon Steel deal blocked (assumed)" not in key
    assert "PM intends to visit China (assumed)" in key
    # the assumed intention shares March with reported events: the month's line stays dotted
    assert {c.get_gid() for c in ax.collections} == {"events"}


def test_event_label_slots_keep_a_gap_and_stay_left_of_the_edge():
    ax = new_ax()
    at = plot_style.label_slots([0.1, 0.1, 0.1, 0.99, 1.0], ax, points=9)
    gap = 9 / (ax.get_position().width * 11 * 72)
    assert np.all(np.diff(at) >= gap - 1e-12)
    assert at[-1] <= 1.0 and at[0] == pytest.approx(0.1)


# --- 2. alignment ------------------------------------------------------------------------------

def test_alignment_has_three_panels_over_kuiks_spectrum(ensemble, summary):
    fig = Figure(figsize=(11, 10))
    FigureCanvasAgg(fig)
    plots.plot_alignment(summary, ensemble.scenario, fig.subplots(3, 1, sharex=True))
    economic, security, hedge = fig.axes
    for ax in (economic, security):
        assert ax.get_ylim()[0] < -1 < 1 < ax.get_ylim()[1]
        assert {label for _, label in KUIK_SPECTRUM} <= {t.get_text() for t in ax.texts}
        assert "China" in ax.get_ylabel() and "US" in ax.get_ylabel()
    assert hedge.get_ylim() == (0, 1)
    korea = next(line for line in security.lines if line.get_gid() == "KOR")
    expected = np.median(ensemble.measure("alignment_security", "KOR").astype(float), axis=0)
    np.testing.assert_allclose(korea.get_ydata(), expected, rtol=1e-5)
    assert all(re.search(r"\b20\d\d\b", t) for t in date_tick_labels(hedge))


# --- 3. trust matrix ---------------------------------------------------------------------------

def test_trust_matrix_annotations_read_row_trusts_column_in_percent(ensemble, summary):
    ax = plots_network.plot_trust_matrix(summary, ensemble.scenario, ax=new_ax())
    notes = {t.get_gid(): t.get_text() for t in ax.texts}
    n = len(ensemble.codes)
    assert len(notes) == n * (n - 1)  # no self-trust on the diagonal
    for truster, trustee in (("JPN", "US"), ("US", "JPN"), ("AUS", "CHN")):
        end = float(np.median(ensemble.trust(truster, trustee)[:, -1].astype(float)))
        assert notes[f"{truster}->{trustee}"] == f"{round(end * 100)}%"
    # The cell in Japan's row and the US column holds Japan's trust in the US.
    codes = list(ensemble.codes)
    cell = next(t for t in ax.texts if t.get_gid() == "JPN->US")
    assert cell.get_position() == (codes.index("US"), codes.index("JPN"))
    assert "Jan 2027" in ax.get_title()


# --- 4. partnership network --------------------------------------------------------------------

def median_tie(ensemble, a, b):
    ties = ensemble.dyads["ties"][:, -1].astype(float)
    i, j = ensemble.index(a), ensemble.index(b)
    return float(np.mean([np.median(ties[:, i, j]), np.median(ties[:, j, i])]))


def test_network_edges_are_the_ties_above_threshold(ensemble, summary):
    graph = plots_network.partnership_graph(summary, ensemble.scenario)
    for a, b in (("JPN", "AUS"), ("JPN", "CHN"), ("CHN", "RUS"), ("US", "JPN")):
        assert graph.has_edge(a, b) == (median_tie(ensemble, a, b) >= 0.1), (a, b)
    assert graph.has_edge("JPN", "AUS")  # the scenario starts them at 0.6
    ax = plots_network.plot_partnership_network(summary, ensemble.scenario, ax=new_ax())
    drawn = {line.get_gid() for line in ax.lines}
    ties = {g for g in drawn if not g.startswith("alliance-")}
    assert ties == {f"{a}-{b}" for a, b in graph.edges}
    # hub and spokes: a line from the patron to every state it is committed to, and no other
    committed = {c for c, spec in ensemble.scenario.actors.items()
                 if spec.commitment != "none" and c != ensemble.scenario.patron}
    assert drawn - ties == {f"alliance-{c}" for c in committed}
    assert {"JPN", "KOR", "AUS", "PHL"} <= committed and "RUS" not in committed
    security = graph.nodes["CHN"]["alignment"]
    assert security == pytest.approx(-1.0)
    # the change since the start is on each edge, and growing ties are drawn in colour
    growth = graph.edges["JPN", "AUS"]["growth"]
    assert growth == pytest.approx(median_tie(ensemble, "JPN", "AUS") - 0.6, abs=1e-6)
    assert graph.edges["CHN", "RUS"]["growth"] == pytest.approx(0.0, abs=1e-6)
    colours = {line.get_gid(): line.get_color() for line in ax.lines}
    assert colours["CHN-RUS"] == "0.45"


def test_network_positions_are_fixed_and_apart(ensemble):
    first = plots_network.map_positions(ensemble.scenario)
    again = plots_network.map_positions(ensemble.scenario)
    points = np.array(list(first.values()))
    assert all(np.array_equal(first[c], again[c]) for c in first)
    gaps = np.linalg.norm(points[:, None] - points[None], axis=-1)[np.triu_indices(len(points), 1)]
    assert gaps.min() > 0.4
    # Europe sits west of Japan, Australia south of Japan.
    assert first["EUR"][0] < first["JPN"][0] and first["AUS"][1] < first["JPN"][1]


# --- 5. defence spending -----------------------------------------------------------------------

def test_defence_plot_leaves_out_ukraine_and_draws_plan_and_demand(ensemble, summary):
    ax = plots.plot_defence_spending(summary, ensemble.scenario, ax=new_ax())
    gids = [line.get_gid() for line in ax.lines]
    assert "UKR" not in gids and "Ukraine" in ax.get_title()
    assert [g for g in gids if g in ALLIES] == [c for c in ALLIES if c != "UKR"]
    demand = next(line for line in ax.lines if line.get_gid() == "demand")
    assert set(demand.get_ydata()) == {3.0} and demand.get_color() == "red"
    assert any(t.get_text() == "demanded 3% of GDP" for t in ax.texts)
    plan = next(line for line in ax.lines if line.get_gid() == "plan:JPN")
    assert plan.get_linestyle() == "--"
    # Japan's plan: 1.6% in Jan 2025 to 2.0% in Apr 2027, so 1.6 + 0.4 * 24 / 27 in Jan 2027.
    assert plan.get_ydata()[-1] == pytest.approx(1.6 + 0.4 * 24 / 27)
    assert "% of GDP" in ax.get_ylabel() and ax.get_ylim()[1] < 10


# --- colours -----------------------------------------------------------------------------------

def test_each_actor_keeps_its_colour_across_figures(ensemble, summary):
    trust = plots.plot_trust_in_patron(summary, ensemble.scenario, ax=new_ax())
    spending = plots.plot_defence_spending(summary, ensemble.scenario, ax=new_ax())
    for code in ("JPN", "AUS"):
        colours = {line.get_color() for ax in (trust, spending) for line in ax.lines
                   if line.get_gid() == code}
        assert colours == {plot_style.PALETTE[code]}


def test_added_actors_get_a_stable_colour_unlike_the_palette():
    colour = plot_style.actor_colour("IND")
    assert colour == plot_style.actor_colour("IND")
    assert colour not in plot_style.PALETTE.values()


def test_files_constant_matches_make_plots(written):
    assert set(plots.FILES) == {Path(p).name for p in written}
