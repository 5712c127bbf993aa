"""Sensitivity of a sweep's outcomes: known answers through the same path as the verb.

A sweep folder is built in tmp to the sweep writer's contract
(:mod:`sim.analysis.experiments.sweep_reader`), its points drawn by SALib's own samplers and its
outcome the Ishigami function of each point, whose Sobol indices are known in closed form (Ishigami
and Homma 1990; Saltelli et al. 2008, the Primer).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import cli
from sim.analysis.experiments import sensitivity as sa
from sim.analysis.experiments.sweep_reader import read_sweep
from sim.errors import UserError

pytest.importorskip("SALib")

A, B = 7.0, 0.1  # Ishigami's constants
TRUST = "trust:JPN:US@2025-07"  # the Ishigami function, under an outcome's name
STEADY = "hedging:JPN@end"  # the same at every point: nothing moves it
SCALED = "alignment_security:JPN@low"  # 0.01 x Ishigami: the same indices, other units
TOLERANCE = 0.05  # N = 1024 base samples give errors under 0.01 here; 0.05 is robust


def ishigami(points: np.ndarray) -> np.ndarray:
    x1, x2, x3 = points[:, 0], points[:, 1], points[:, 2]
    return np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)


def analytic_indices() -> dict[str, list[float]]:
    """S1 and ST of the Ishigami function on [-pi, pi]^3, from its variance decomposition."""
    v1 = 0.5 * (1 + B * np.pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * np.pi**8 * (1 / 18 - 1 / 50)
    total = v1 + v2 + v13
    return {"S1": [v1 / total, v2 / total, 0.0],
            "ST": [(v1 + v13) / total, v2 / total, v13 / total],
            "S2": [0.0, v13 / total, 0.0]}  # pairs x1&x2, x1&x3, x2&x3


def write_sweep(folder: Path, method: str = "sobol", samples: int = 1024, dummy: bool = False,
                second_order: bool = False, noise: float = 0.0, complete: bool = True) -> Path:
    """A sweep folder to the contract: 2 replicates per point, identical unless ``noise`` (then
    y + e and y - e with e ~ noise x N(0, 1) drawn per point, so their mean is still y)."""
    from SALib.sample import morris as morris_sampler
    from SALib.sample import sobol as sobol_sampler

    names = ["x1", "x2", "x3"] + (["dummy"] if dummy else [])
    problem = {"names": names, "bounds": [[-np.pi, np.pi]] * len(names)}
    salib_problem = {"num_vars": len(names), **problem}
    if method == "morris":
        points = morris_sampler.sample(salib_problem, samples, num_levels=4, seed=5)
        options = {"num_levels": 4}
    else:  # lhs and grid designs get Sobol points here: only the method name matters
        points = sobol_sampler.sample(salib_problem, samples, calc_second_order=second_order,
                                      seed=5)
        options = {"calc_second_order": second_order}
    folder.mkdir(parents=True)
    design = {"method": method, "samples": samples, "seed": 17, "replicates": 2,
              "problem": problem, "options": options}
    (folder / "design.json").write_text(json.dumps(design), encoding="utf-8")
    experiments = pd.DataFrame(points, columns=names)
    experiments.insert(0, "point", np.arange(len(points)))
    experiments.to_csv(folder / "experiments.csv", index=False)
    y = ishigami(points)
    e = noise * np.random.default_rng(3).standard_normal(len(y))
    frames = []
    for replicate, shift in enumerate((e, -e)):
        for outcome, values in ((TRUST, y + shift), (SCALED, 0.01 * y + shift),
                                (STEADY, np.full_like(y, 0.4))):
            frames.append(pd.DataFrame({"point": np.arange(len(points)), "replicate": replicate,
                                        "outcome": outcome, "value": values}))
    pd.concat(frames, ignore_index=True).to_parquet(folder / "outcomes.parquet")
    (folder / "status.json").write_text(json.dumps({"complete": complete}), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sobol_folder(tmp_path_factory) -> Path:
    return write_sweep(tmp_path_factory.mktemp("sweeps") / "sobol", second_order=True)


@pytest.fixture(scope="module")
def sobol_result(sobol_folder) -> sa.Sensitivity:
    return sa.analyse(read_sweep(sobol_folder), [TRUST, SCALED])


@pytest.fixture(scope="module")
def morris_result(tmp_path_factory) -> sa.Sensitivity:
    folder = write_sweep(tmp_path_factory.mktemp("sweeps") / "morris", "morris", 100, dummy=True)
    return sa.analyse(read_sweep(folder), [TRUST])


def indices(result: sa.Sensitivity, outcome: str, index: str) -> pd.Series:
    rows = result.table[(result.table["outcome"] == outcome) & (result.table["index"] == index)]
    return rows.set_index("parameter")["value"]


# --- known answers ---------------------------------------------------------------------------

def test_the_analytic_values_are_the_published_ones():
    truth = analytic_indices()
    assert truth["S1"] == pytest.approx([0.314, 0.442, 0.0], abs=5e-4)
    assert truth["ST"] == pytest.approx([0.558, 0.442, 0.244], abs=5e-4)


@pytest.mark.parametrize("outcome", [TRUST, SCALED])
@pytest.mark.parametrize("index", ["S1", "ST"])
def test_sobol_indices_of_ishigami_match_the_analytic_values(sobol_result, outcome, index):
    found = indices(sobol_result, outcome, index)
    assert found[["x1", "x2", "x3"]].to_list() == pytest.approx(analytic_indices()[index],
                                                                abs=TOLERANCE)


def test_second_order_finds_the_x1_x3_interaction_only(sobol_result):
    found = indices(sobol_result, TRUST, "S2")
    assert found[["x1 & x2", "x1 & x3", "x2 & x3"]].to_list() == pytest.approx(
        analytic_indices()["S2"], abs=0.08)


def test_intervals_are_reported_and_cover_the_truth(sobol_result):
    rows = sobol_result.table[(sobol_result.table["outcome"] == TRUST)
                              & sobol_result.table["index"].isin(["S1", "ST"])]
    assert (rows["conf"] > 0).all() and (rows["conf"] < 0.15).all()
    truth = pd.concat([pd.Series(v, index=["x1", "x2", "x3"]).rename(k)
                       for k, v in analytic_indices().items() if k != "S2"], axis=1)
    expected = [truth.loc[p, i] for p, i in zip(rows["parameter"], rows["index"], strict=True)]
    assert (np.abs(rows["value"].to_numpy() - expected) <= rows["conf"].to_numpy()).all()


def test_an_outcome_that_never_moves_is_set_aside(sobol_folder):
    result = sa.analyse(read_sweep(sobol_folder))
    assert result.flat == (STEADY,)
    assert set(result.table["outcome"]) == {TRUST, SCALED}


def test_replicates_are_averaged_before_the_indices(tmp_path, sobol_result):
    """Replicates y + e and y - e (e drawn per point) average to y: the indices are those of
    identical replicates, and the share of variance the averaging removed is reported."""
    folder = write_sweep(tmp_path / "noisy", second_order=True, noise=3.0)
    noisy = sa.analyse(read_sweep(folder), [TRUST])
    same = sobol_result.table[sobol_result.table["outcome"] == TRUST].reset_index(drop=True)
    assert noisy.table["value"].to_numpy() == pytest.approx(same["value"].to_numpy(), abs=1e-9)
    values = pd.read_parquet(folder / "outcomes.parquet").query("outcome == @TRUST")
    by_point = values.pivot(index="point", columns="replicate", values="value").to_numpy()
    within = np.mean(((by_point[:, 0] - by_point[:, 1]) / 2) ** 2)  # e squared, on average
    assert noisy.noise[TRUST] == pytest.approx(within / np.var(by_point), rel=1e-9)
    assert 0.1 < noisy.noise[TRUST] < 0.9
    assert sobol_result.noise[TRUST] == 0.0


def test_morris_ranks_x1_and_x2_above_x3_and_a_dummy_at_zero(morris_result):
    mu_star = indices(morris_result, TRUST, "mu_star")
    assert min(mu_star["x1"], mu_star["x2"]) > mu_star["x3"] > 0.5
    assert mu_star["dummy"] == pytest.approx(0.0, abs=1e-12)
    assert indices(morris_result, TRUST, "sigma")["dummy"] == pytest.approx(0.0, abs=1e-12)
    assert sa.ranked(morris_result.table, "morris", TRUST)[-1] == "dummy"
    top = sa.top_parameters(morris_result, 2)
    assert top["parameter"].tolist() == sa.ranked(morris_result.table, "morris", TRUST)[:2]


def test_the_bootstrap_is_seeded_by_the_sweep(sobol_folder, sobol_result):
    again = sa.analyse(read_sweep(sobol_folder), [TRUST, SCALED])
    pd.testing.assert_frame_equal(again.table, sobol_result.table)


# --- the verb --------------------------------------------------------------------------------

def run(*argv: object) -> int:
    return cli.main(["sensitivity", *map(str, argv)])


def test_the_verb_writes_the_table_plots_and_what_was_analysed(sobol_folder, sobol_result,
                                                               tmp_path, capsys):
    out = tmp_path / "sens"
    assert run(sobol_folder, "--out", out, "--outcome", TRUST, "--outcome", SCALED) == 0
    table = pd.read_csv(out / "sensitivity.csv")
    assert list(table.columns) == ["outcome", "parameter", "index", "value", "conf"]
    mine = table.sort_values(["outcome", "index", "parameter"]).reset_index(drop=True)
    theirs = sobol_result.table.sort_values(["outcome", "index", "parameter"])
    assert mine["value"].to_numpy() == pytest.approx(theirs["value"].to_numpy(), rel=1e-5,
                                                     abs=1e-6)
    assert sorted(p.name for p in (out / "plots").iterdir()) == [
        "alignment_security_JPN_low.png", "trust_JPN_US_2025-07.png"]
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert "expected outcome" in meta["analysed"] and meta["method"] == "sobol"
    printed = capsys.readouterr().out
    assert "Japan's trust in the United States, July 2025" in printed
    assert "expected outcome" in printed
    # Never over an existing result: refused, and the folder is as it was.
    before = sorted(p.name for p in out.rglob("*"))
    assert run(sobol_folder, "--out", out) == 2
    assert "exists already" in capsys.readouterr().err
    assert sorted(p.name for p in out.rglob("*")) == before


def corrupt(folder: Path, how: str) -> None:
    if how == "shuffled":
        table = pd.read_csv(folder / "experiments.csv")
        shuffled = table.sample(frac=1.0, random_state=1).assign(point=table["point"].to_numpy())
        shuffled.to_csv(folder / "experiments.csv", index=False)
    elif how == "missing point":
        table = pd.read_parquet(folder / "outcomes.parquet")
        table[table["point"] != 7].to_parquet(folder / "outcomes.parquet")


@pytest.mark.parametrize(("case", "extra", "expected"), [
    ("not a sweep", [], ["not a sweep folder", "python -m sim sweep FILE"]),
    ("incomplete", [], ["not complete", "sim sweep --resume"]),
    ("lhs", [], ["lhs design", "sobol", "morris"]),
    ("grid", [], ["grid design", "sobol", "morris"]),
    ("unknown outcome", ["--outcome", "trust:KOR:US@end"],
     ["trust:KOR:US@end", f"valid: {SCALED}, {STEADY}, {TRUST}"]),
    ("shuffled", [], ["not a sobol sampler's rows"]),
    ("missing point", [], ["point 7 has 0 of 2"]),
    ("flat only", ["--outcome", STEADY], ["no chosen outcome varies"]),
])
def test_bad_input_is_refused_clearly_and_nothing_is_written(tmp_path, capsys, case, extra,
                                                             expected):
    folder = tmp_path / "sweep"
    if case == "not a sweep":
        folder.mkdir()
        (folder / "results.parquet").write_bytes(b"")
    else:
        method = case if case in ("lhs", "grid") else "sobol"
        write_sweep(folder, method, samples=16, complete=case != "incomplete")
        corrupt(folder, case)
    listing = sorted(p.name for p in tmp_path.rglob("*"))
    assert run(folder, *extra) == 2
    message = capsys.readouterr().err
    for text in expected:
        assert text in message
    assert "Traceback" not in message
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing  # nothing written


def test_a_missing_salib_says_how_to_install_it(monkeypatch, sobol_folder):
    monkeypatch.setitem(sys.modules, "SALib.analyze.sobol", None)  # import fails
    with pytest.raises(UserError, match=r'pip install -e "\.\[sweep\]"'):
        sa.analyse(read_sweep(sobol_folder), [TRUST])


def test_outcomes_are_said_in_words():
    assert sa.describe_outcome(TRUST) == "Japan's trust in the United States, July 2025"
    assert sa.describe_outcome("hedging:KOR@low") == "South Korea's hedging, lowest value"
    assert sa.describe_outcome("not an outcome") == "not an outcome"


# --- the plots -------------------------------------------------------------------------------

def test_the_sobol_plot_sorts_by_importance_and_flags_wide_intervals(sobol_result):
    from sim.figures.sensitivity import plot_sobol
    from sim.figures.style import canvas_figure

    ax = plot_sobol(sobol_result.table, TRUST, replicates=2,
                    ax=canvas_figure((6.5, 3)).add_subplot())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x1", "x2", "x3"]
    assert ax.get_title(loc="left").startswith("Japan's trust in the United States, July 2025")
    assert "Sobol" in ax.get_title(loc="left") and "2 replicates" in ax.get_title(loc="left")
    assert "variance" in ax.get_xlabel()
    # x3 alone (S1 = 0) is within its interval of zero: marked and explained
    note = [t for t in ax.texts if t.get_gid() == "unsure-note"]
    assert len(note) == 1 and "x3" in note[0].get_text()


def test_the_morris_plot_shows_mu_star_and_sigma(morris_result):
    from sim.figures.sensitivity import plot_morris
    from sim.figures.style import canvas_figure

    ax = plot_morris(morris_result.table, TRUST, ax=canvas_figure((6.5, 3)).add_subplot())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == sa.ranked(morris_result.table, "morris", TRUST) and labels[-1] == "dummy"
    sigma = [line for line in ax.lines if line.get_gid() == "sigma"]
    assert len(sigma) == 1
    assert sigma[0].get_xdata() == pytest.approx(
        indices(morris_result, TRUST, "sigma")[labels].to_numpy())
    assert "Morris" in ax.get_title(loc="left")
