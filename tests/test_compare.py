"""Comparisons pair replicates by common random numbers: the differences are exactly the events'.

Scenarios are small (12 months, 20 replicates) and written to a temporary folder.
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
from sim.analysis import compare as cmp
from sim.errors import UserError
from sim.measures import DYADIC, MEASURES
from sim.scenario import load_scenario

BASE = """\
name: base
start: 2025-01-01
horizon_months: 12
seed: 11
replicates: 20
events:
  - {type: security_crisis, name: strait crisis, location: TWN, probability: 0.1, severity: 0.4}
"""
# Only adds a tariff on Japan in April 2025 (month 3): it acts in step 3, recorded at month 4.
TARIFF = """\
name: tariff
extends: base.yml
events:
  - {type: tariff, name: tariff on Japan, date: 2025-04-10, targets: [JPN], sector: all,
     rate: 0.25}
"""
TARIFF_MONTH = 3


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scenarios")
    paths = {}
    for name, text in {"base": BASE, "tariff": TARIFF,
                       "longer": BASE.replace("horizon_months: 12", "horizon_months: 18"),
                       "later": BASE.replace("start: 2025-01-01", "start: 2025-03-01"),
                       "no_ukraine": BASE + "actors:\n  UKR: {drop: true}\n"}.items():
        paths[name] = folder / f"{name}.yml"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def self_comparison(files) -> cmp.Comparison:
    base = load_scenario(files["base"])
    return cmp.compare([base, base])


@pytest.fixture(scope="module")
def tariff_comparison(files) -> cmp.Comparison:
    return cmp.compare([load_scenario(files["base"]), load_scenario(files["tariff"])])


def run_cli(*argv: str, monkeypatch=None) -> int:
    """``python -m sim ...`` in this process."""
    return cli.main([str(a) for a in argv])


# --- the core ---------------------------------------------------------------------------------

def test_a_scenario_compared_with_itself_differs_by_exactly_zero(self_comparison):
    diff = cmp.difference_table(self_comparison)
    assert set(diff["measure"]) == set(MEASURES) | set(DYADIC)
    assert (diff[["p10", "median", "p90", "mean"]].to_numpy() == 0.0).all()
    end = cmp.differences_at(self_comparison)
    assert (end[["difference_median", "difference_p10", "difference_p90",
                 "share_negative"]].to_numpy() == 0.0).all()
    assert self_comparison.labels == ("base", "base (2)")


def test_levels_are_each_scenarios_own_quantiles(tariff_comparison):
    levels = cmp.level_table(tariff_comparison)
    assert list(dict.fromkeys(levels["scenario"])) == ["base", "tariff"]
    japan = levels[(levels["scenario"] == "tariff") & (levels["measure"] == "trust")
                   & (levels["actor"] == "JPN") & (levels["partner"] == "US")]
    trust = tariff_comparison.ensembles[1].trust("JPN", "US").astype(float)
    np.testing.assert_allclose(japan["median"], np.median(trust, axis=0))
    np.testing.assert_allclose(japan["p10"], np.quantile(trust, 0.1, axis=0))


def test_a_tariff_on_japan_lowers_its_trust_only_after_the_tariff(tariff_comparison):
    base, tariff = tariff_comparison.ensembles
    paired = tariff.trust("JPN", "US").astype(float) - base.trust("JPN", "US")
    assert (paired[:, :TARIFF_MONTH + 1] == 0.0).all()  # same draws until the tariff acts
    assert (paired[:, TARIFF_MONTH + 1] < 0).all()
    diff = cmp.difference_table(tariff_comparison, ["trust"])
    japan = diff[(diff["actor"] == "JPN") & (diff["partner"] == "US")].set_index("month")
    assert (japan.loc[:TARIFF_MONTH, ["p10", "median", "p90"]].to_numpy() == 0.0).all()
    assert japan.loc[12, "median"] < 0 and japan.loc[12, "p90"] < 0
    np.testing.assert_allclose(japan["median"], np.median(paired, axis=0))


def test_end_differences_report_the_paired_difference_and_its_sign(tariff_comparison):
    end = cmp.differences_at(tariff_comparison)
    assert set(end["actor"]) == {"JPN", "KOR", "AUS", "PHL", "TWN", "EUR", "UKR"}
    assert set(end["measure"]) == set(cmp.HEADLINE)
    row = end[(end["actor"] == "JPN") & (end["measure"] == "trust_in_patron")].iloc[0]
    base, tariff = tariff_comparison.ensembles
    paired = (tariff.trust("JPN", "US")[:, -1].astype(float) - base.trust("JPN", "US")[:, -1])
    assert row["difference_median"] == pytest.approx(np.median(paired))
    assert row["share_negative"] == pytest.approx(np.mean(paired < 0))
    assert row["share_negative"] > 0.9
    text = cmp.format_differences(end, {"JPN": "Japan"})
    assert "tariff (scenario) minus base (reference)" in text and "Japan" in text
    assert f"{100 * row['difference_median']:+.1f} pp" in text


def test_the_same_seed_and_size_for_every_scenario(files):
    base, tariff = load_scenario(files["base"]), load_scenario(files["tariff"])
    result = cmp.compare([base, tariff.model_copy(update={"seed": 999, "replicates": 3})],
                         replicates=7)
    assert [e.seed for e in result.ensembles] == [11, 11]
    assert [e.replicates for e in result.ensembles] == [7, 7]


@pytest.mark.parametrize("other, what", [("longer", "horizon_months"), ("later", "start"),
                                         ("no_ukraine", "actors")])
def test_scenarios_that_do_not_line_up_are_refused(files, other, what):
    with pytest.raises(UserError) as info:
        cmp.check_comparable([load_scenario(files["base"]), load_scenario(files[other])])
    assert info.value.where == what


# --- the command ------------------------------------------------------------------------------

def test_cli_refuses_different_horizons_with_exit_code_2(files, tmp_path, monkeypatch, capsys):
    out = tmp_path / "never"
    code = run_cli("compare", files["base"], files["longer"], "--out", out,
                   monkeypatch=monkeypatch)
    assert code == 2
    assert "horizon_months" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
def test_cli_writes_the_folder_and_refuses_an_existing_out(files, tmp_path, monkeypatch,
                                                           capsys):
    out = tmp_path / "cmp"
    code = run_cli("compare", files["base"], files["tariff"], "--out", out, "--seed", "5",
                   "--replicates", "6", monkeypatch=monkeypatch)
    assert code == 0
    printed = capsys.readouterr().out
    assert "Japan" in printed and "trust_in_patron" in printed
    plots = {"trust_in_patron.png", "alignment_economic.png", "alignment_security.png",
             "focus_JPN.png"}
    assert {p.name for p in (out / "plots").iterdir()} == plots
    for name in plots:
        assert (out / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["seed"] == 5 and meta["replicates"] == 6
    hashes = [s["scenario_hash"] for s in meta["scenarios"]]
    assert hashes == [load_scenario(files[n]).digest() for n in ("base", "tariff")]
    assert {"comparison.csv", "differences.csv", "differences_at.csv",
            "plots/focus_JPN.png"} <= set(meta["files"])
    diff = pd.read_csv(out / "differences.csv")
    assert set(diff["scenario"]) == {"tariff"} and set(diff["reference"]) == {"base"}
    end = pd.read_csv(out / "differences_at.csv")
    assert len(end) == 7 * len(cmp.HEADLINE)

    before = sorted(p.name for p in out.rglob("*"))
    code = run_cli("compare", files["base"], files["tariff"], "--out", out,
                   monkeypatch=monkeypatch)
    assert code == 2
    assert "exists already" in capsys.readouterr().err
    assert sorted(p.name for p in out.rglob("*")) == before


def test_cli_needs_two_scenarios(files, monkeypatch, capsys):
    assert run_cli("compare", files["base"], monkeypatch=monkeypatch) == 2
    assert "at least two" in capsys.readouterr().err


# --- the plots --------------------------------------------------------------------------------

def test_focus_plot_overlays_every_scenario_and_their_differences(tariff_comparison):
    from sim.figures import compare as plots_compare

    levels = cmp.level_table(tariff_comparison, ["trust", "alignment_economic",
                                                 "alignment_security"])
    differences = cmp.difference_table(tariff_comparison, ["trust", "alignment_economic",
                                                           "alignment_security"])
    fig = Figure(figsize=(16, 9))
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, 3, squeeze=False)
    plots_compare.plot_focus(levels, differences, tariff_comparison.scenarios, "JPN", axes)
    top, bottom = axes[0, 0], axes[1, 0]
    assert [line.get_gid() for line in top.get_lines()] == ["base", "tariff"]
    difference_lines = [line for line in bottom.get_lines() if line.get_gid() == "tariff"]
    assert len(difference_lines) == 1
    japan = differences[(differences["actor"] == "JPN") & (differences["partner"] == "US")]
    np.testing.assert_allclose(difference_lines[0].get_ydata(),
                               japan.sort_values("month")["median"])
    assert "trust in the United States" in top.get_title()
    assert "percentage points" in bottom.get_ylabel()
    fig.canvas.draw()
    assert any("2025" in t.get_text() for t in bottom.get_xticklabels())


def test_differences_can_be_read_at_the_low_point_or_a_month(tariff_comparison):
    base, tariff = tariff_comparison.ensembles
    low = cmp.differences_at(tariff_comparison, "low")
    row = low[(low["actor"] == "JPN") & (low["measure"] == "trust_in_patron")].iloc[0]
    paired = (tariff.trust("JPN", "US").astype(float).min(axis=1)
              - base.trust("JPN", "US").astype(float).min(axis=1))
    assert row["at"] == "low" and row["difference_median"] == pytest.approx(np.median(paired))
    month = base.dates[TARIFF_MONTH + 1].strftime("%Y-%m")
    at_month = cmp.differences_at(tariff_comparison, month)
    jpn = at_month[(at_month["actor"] == "JPN") & (at_month["measure"] == "trust_in_patron")]
    assert jpn["share_negative"].iloc[0] == 1.0  # every replicate lost trust that month
    assert f"in {base.dates[TARIFF_MONTH + 1]:%b %Y}" in cmp.format_differences(at_month)
    with pytest.raises(UserError, match="outside the run"):
        cmp.differences_at(tariff_comparison, "2040-01")
