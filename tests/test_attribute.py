"""Attribution: leave-one-out effects, interaction and total add up; no event, no effect.

Scenarios are small (12 months, 16 replicates) and written to a temporary folder. Every run uses
the same seed, so the identities below hold exactly, replicate by replicate.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim import cli
from sim.analysis import attribute as att
from sim.errors import UserError
from sim.scenario import load_scenario

HEAD = """\
name: {name}
start: 2025-01-01
horizon_months: 12
seed: 5
replicates: 16
events:
  - {{type: security_crisis, name: strait crisis, location: TWN, probability: 0.1,
     severity: 0.4}}
"""
STEEL = ("  - {type: tariff, name: steel tariffs, date: 2025-02-14, targets: [JPN], "
         "sector: steel, rate: 0.25}\n")
REMARK = ("  - {type: rhetoric, name: freeloader remark, date: 2025-04-07, targets: [JPN], "
          "intensity: 0.7}\n")
AUTOS = ("  - {type: tariff, name: auto tariffs, date: 2025-06-01, targets: [JPN, KOR], "
         "sector: autos, rate: 0.25}\n")
ZERO = ("  - {type: tariff, name: zero tariff, date: 2025-03-01, targets: [JPN], sector: all, "
        "rate: 0.0}\n")
# The same steel tariff twice: the second changes nothing once the first is in place.
AGAIN = ("  - {type: tariff, name: steel tariffs again, date: 2025-05-01, targets: [JPN], "
         "sector: steel, rate: 0.25}\n")


def scenario_file(folder: Path, name: str, *events: str) -> Path:
    path = folder / f"{name}.yml"
    path.write_text(HEAD.format(name=name) + "".join(events), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scenarios")


@pytest.fixture(scope="module")
def two_events(folder) -> att.Attribution:
    return att.attribute(load_scenario(scenario_file(folder, "two", REMARK, STEEL)))


def run_cli(*argv, monkeypatch=None) -> int:
    """``python -m sim ...`` in this process (argparse's own refusals exit with 2 too)."""
    try:
        return cli.main([str(a) for a in argv])
    except SystemExit as exc:
        return exc.code


# --- the identities ---------------------------------------------------------------------------

def test_a_single_event_is_the_whole_total_with_no_interaction(folder):
    result = att.attribute(load_scenario(scenario_file(folder, "one", STEEL)))
    parts = att.effects(result)
    assert (parts["steel tariffs"] == parts[att.TOTAL]).all()
    assert (parts[att.INTERACTION] == 0.0).all()
    japan = result.actors.index("JPN")
    trust = parts[att.TOTAL][:, :, japan, att.OUTCOMES.index("trust_in_patron")]
    assert (trust[:, :2] == 0.0).all()  # February's tariff acts in step 1, recorded at month 2
    assert (trust[:, 2] < 0).all()


def test_leave_one_out_effects_plus_interaction_equal_the_total(two_events):
    parts = att.effects(two_events)
    loo = parts["freeloader remark"] + parts["steel tariffs"]
    np.testing.assert_allclose(loo + parts[att.INTERACTION], parts[att.TOTAL], atol=1e-12)
    np.testing.assert_allclose(parts[att.LOO_SUM], loo, atol=1e-12)
    table = att.attribution_table(two_events)
    final = table[(table["at"] == "final") & (table["actor"] == "JPN")
                  & (table["measure"] == "trust_in_patron")].set_index("event")["mean"]
    assert (final["freeloader remark"] + final["steel tariffs"] + final[att.INTERACTION]
            == pytest.approx(final[att.TOTAL], abs=1e-12))
    assert final["freeloader remark"] < 0 and final["steel tariffs"] < 0


def test_events_are_attributed_by_date_and_background_events_are_not(two_events):
    assert [e.key for e in two_events.attributed] == ["steel tariffs", "freeloader remark"]
    assert [e.key for e in two_events.background] == ["strait crisis"]
    text = att.format_attribution(att.attribution_table(two_events), two_events, "JPN")
    assert "Not attributed" in text and "strait crisis" in text
    assert text.index("steel tariffs") < text.index("freeloader remark")


def test_an_event_of_zero_magnitude_has_exactly_zero_effect(folder):
    result = att.attribute(load_scenario(scenario_file(folder, "zero", ZERO, STEEL)))
    assert (att.effects(result)["zero tariff"] == 0.0).all()
    table = att.attribution_table(result)
    assert (table.loc[table["event"] == "zero tariff", "max_abs"] == 0.0).all()


def test_a_redundant_event_shows_as_interaction_not_as_its_own_effect(folder):
    """Leave-one-out misses what two events share; the interaction and Shapley values see it."""
    result = att.attribute(load_scenario(scenario_file(folder, "again", STEEL, AGAIN)))
    parts = att.effects(result)
    a, m = result.actors.index("JPN"), att.OUTCOMES.index("trust_in_patron")
    assert (parts["steel tariffs again"] == 0.0).all()  # given the first, it changes nothing
    # total - LOO(first) - 0 = (the second alone) - (neither): what the two events share
    interaction = parts[att.INTERACTION]
    np.testing.assert_array_equal(interaction, result.without["steel tariffs"] - result.none)
    assert (interaction[:, -1, a, m] < 0).all()
    shares = att.shapley(result)  # exact: the shared effect is split evenly
    np.testing.assert_allclose(shares.values["steel tariffs again"],
                               0.5 * interaction[:, -1], atol=1e-12)
    np.testing.assert_allclose(sum(shares.values.values()), shares.total, atol=1e-12)


def test_peak_is_where_the_median_effect_is_largest(two_events):
    effect = att.effects(two_events)[att.TOTAL]
    peaks = att.peak_month(effect)
    medians = np.abs(np.median(effect, axis=0))  # (T + 1, A, M)
    for a in range(len(two_events.actors)):
        for m in range(len(att.OUTCOMES)):
            assert medians[peaks[a, m], a, m] == medians[:, a, m].max()


# --- Shapley values ---------------------------------------------------------------------------

def test_shapley_values_add_up_to_the_total_exactly_or_sampled(folder):
    result = att.attribute(load_scenario(scenario_file(folder, "three", STEEL, REMARK, AUTOS)))
    exact = att.shapley(result)
    sampled = att.shapley(result, orders=3)
    for shares in (exact, sampled):
        np.testing.assert_allclose(sum(shares.values.values()), shares.total, atol=1e-12)
    last = result.scenario.horizon_months
    np.testing.assert_array_equal(exact.total, (result.full - result.none)[:, last])
    assert exact.runs == 2 ** 3 - 2 - 3  # all subsets less those attribute() already ran


def test_exact_shapley_is_refused_beyond_the_cap(folder):
    events = [STEEL.replace("steel tariffs", f"steel tariffs {k}").replace("2025-02-14",
                                                                           f"2025-{k + 1:02d}-01")
              for k in range(att.MAX_EXACT_SHAPLEY + 1)]
    result = att.attribute(load_scenario(scenario_file(folder, "many", *events)), replicates=2)
    with pytest.raises(UserError, match="Shapley"):
        att.shapley(result)


# --- the waterfall ----------------------------------------------------------------------------

def test_the_waterfall_steps_from_no_events_to_the_full_level(two_events):
    from sim.figures import compare as plots_compare

    steps = att.waterfall_table(two_events, "JPN", "trust_in_patron")
    assert list(steps["kind"]) == ["start", "event", "event", "interaction", "end"]
    assert steps["mean"].iloc[0] + steps["mean"].iloc[1:-1].sum() == pytest.approx(
        steps["mean"].iloc[-1], abs=1e-12)
    fig = Figure(figsize=(10, 6))
    FigureCanvasAgg(fig)
    ax = plots_compare.plot_waterfall(steps, two_events.scenario, "trust_in_patron",
                                      fig.add_subplot())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any("steel tariffs" in t for t in labels)
    assert any("freeloader remark" in t for t in labels)
    assert any("interaction" in t for t in labels)
    bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    assert bars["steel tariffs"].get_width() == pytest.approx(steps["mean"].iloc[1])
    assert bars["steel tariffs"].get_x() == pytest.approx(steps["mean"].iloc[0])


# --- the command ------------------------------------------------------------------------------

@pytest.mark.slow
def test_cli_writes_the_folder_and_refuses_an_existing_out(folder, tmp_path, monkeypatch,
                                                           capsys):
    path = scenario_file(folder, "cli", STEEL, REMARK)
    out = tmp_path / "attr"
    code = run_cli("attribute", path, "--out", out, "--replicates", "8", "--shapley",
                   monkeypatch=monkeypatch)
    assert code == 0
    printed = capsys.readouterr().out
    assert "steel tariffs" in printed and "interaction" in printed and "Shapley" in printed
    assert (out / "plots" / "waterfall_JPN.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(out / "attribution.csv")
    assert {"event", "actor", "measure", "median", "p10", "p90"} <= set(table.columns)
    assert set(table["kind"]) == {"leave-one-out", "sum", "interaction", "total", "shapley"}
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["replicates"] == 8 and meta["runs"] == 4
    assert meta["attribution"]["background_events_not_attributed"] == ["strait crisis"]

    code = run_cli("attribute", path, "--out", out, "--replicates", "2", "--no-plots",
                   monkeypatch=monkeypatch)
    assert code == 2
    assert "exists already" in capsys.readouterr().err


@pytest.mark.parametrize("extra, message", [(["--actors", "XXX"], "not an ally"),
                                            (["--replicates", "0"], "at least 1"),
                                            (["--orders", "5"], "--shapley")])
def test_cli_refuses_bad_options(folder, tmp_path, monkeypatch, capsys, extra, message):
    path = scenario_file(folder, "options", STEEL)
    assert run_cli("attribute", path, "--out", tmp_path / "x", *extra,
                   monkeypatch=monkeypatch) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_cli_refuses_a_scenario_with_only_background_events(folder, tmp_path, monkeypatch,
                                                            capsys):
    path = scenario_file(folder, "quiet")
    assert run_cli("attribute", path, "--out", tmp_path / "x", "--replicates", "2",
                   monkeypatch=monkeypatch) == 2
    assert "no dated events" in capsys.readouterr().err


def test_shapley_refuses_more_orders_than_it_can_hold(two_events):
    with pytest.raises(UserError, match="too many"):
        att.shapley(two_events, orders=att.MAX_ORDERS + 1)
    with pytest.raises(UserError, match="too few"):
        att.shapley(two_events, orders=0)


def test_effects_can_be_read_at_the_low_point(two_events):
    """The effect on the low is the full run's low minus the low without the event."""
    table = att.attribution_table(two_events, "low")
    key = two_events.attributed[0].key
    row = table[(table["event"] == key) & (table["actor"] == "JPN")
                & (table["measure"] == "trust_in_patron") & (table["at"] == "low")].iloc[0]
    m = att.OUTCOMES.index("trust_in_patron")
    a = two_events.actors.index("JPN")
    expected = (two_events.full[:, :, a, m].min(axis=1)
                - two_events.without[key][:, :, a, m].min(axis=1))
    assert row["median"] == pytest.approx(np.median(expected))
    total = table[(table["event"] == att.TOTAL) & (table["at"] == "low")]
    assert len(total) == len(two_events.actors) * len(att.OUTCOMES)
    text = att.format_attribution(table, two_events, "JPN", at="low")
    assert "at each replicate's low" in text
    end = att.attribution_table(two_events)  # the default reading is the last month, as before
    final = end[(end["event"] == key) & (end["actor"] == "JPN") & (end["at"] == "final")
                & (end["measure"] == "trust_in_patron")].iloc[0]
    effect = two_events.full[:, -1, a, m] - two_events.without[key][:, -1, a, m]
    assert final["median"] == pytest.approx(np.median(effect))
