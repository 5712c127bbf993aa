"""Scenario discovery (``python -m sim discover``): conditions, PRIM's box, the fresh check, the
folder it writes, and the bad inputs it refuses.

The sweep folder here is synthetic: Japan's security alignment falls (to about 0.3) exactly when
x1 > 0.7 and x2 < 0.3, with noise across replicates, on a Latin hypercube over four parameters;
x3 and x4 do nothing. PRIM should find that box and leave x3 and x4 alone.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import cli
from sim.analysis.experiments import conditions, discovery
from sim.analysis.experiments.sweep_reader import read_sweep
from sim.commands import discover
from sim.errors import UserError

BOUNDS = {"x1": (0.0, 1.0), "x2": (0.0, 1.0), "x3": (10.0, 20.0), "x4": (-1.0, 1.0)}
ALIGNMENT = "alignment_security:JPN@end"
TRUST = "trust:JPN:US@2025-07"
WHERE = f"{ALIGNMENT} < 0.5"
REPLICATES = 4


def synthetic_outcomes(experiments: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """Tidy outcomes: alignment about 0.3 in the box x1 > 0.7 and x2 < 0.3, about 0.8 elsewhere,
    noise 0.08 per replicate; trust is noise that the condition does not read."""
    rng = np.random.default_rng(seed)
    inside = (experiments["x1"] > 0.7) & (experiments["x2"] < 0.3)
    rows = []
    for point, flag in zip(experiments["point"], inside, strict=True):
        for replicate in range(REPLICATES):
            rows.append((point, replicate, ALIGNMENT, (0.3 if flag else 0.8)
                         + rng.normal(0, 0.08)))
            rows.append((point, replicate, TRUST, rng.uniform(0, 1)))
    return pd.DataFrame(rows, columns=["point", "replicate", "outcome", "value"])


def write_sweep(folder: Path, points: int = 400, complete: bool = True) -> Path:
    rng = np.random.default_rng(3)
    experiments = discovery.latin_hypercube(BOUNDS, points, rng)
    experiments.insert(0, "point", np.arange(points))
    folder.mkdir(parents=True)
    design = {"method": "lhs", "samples": points, "seed": 11, "replicates": REPLICATES,
              "problem": {"names": list(BOUNDS), "bounds": [list(b) for b in BOUNDS.values()]},
              "options": {}}
    (folder / "design.json").write_text(json.dumps(design), encoding="utf-8")
    experiments.to_csv(folder / "experiments.csv", index=False)
    synthetic_outcomes(experiments).to_parquet(folder / "outcomes.parquet")
    (folder / "status.json").write_text(json.dumps({"complete": complete}), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    return write_sweep(tmp_path_factory.mktemp("sweeps") / "sweep")


@pytest.fixture(scope="module")
def sweep(sweep_dir):
    return read_sweep(sweep_dir)


@pytest.fixture(scope="module")
def found(sweep):
    """Points of interest, PRIM's trajectory and the default box of the synthetic sweep."""
    pytest.importorskip("ema_workbench")
    condition = conditions.parse(WHERE)
    interest = discovery.points_of_interest(sweep.outcomes, condition, 0.5)
    peeling = discovery.peel(sweep.experiments[list(BOUNDS)], interest["of_interest"].to_numpy())
    chosen = discovery.choose_box(peeling.trajectory)
    box = discovery.box_table(peeling.limits[chosen], peeling.limits[0],
                              discovery.bounds_of(sweep.design))
    return condition, interest, peeling, chosen, box


def known_evaluator(experiments: pd.DataFrame) -> pd.DataFrame:
    return synthetic_outcomes(experiments, seed=99)


# --- conditions --------------------------------------------------------------------------------

def test_a_condition_evaluates_with_and_before_or_and_not_and_backticks():
    cond = conditions.parse("a:X@end < 0.5 or `b:X:Y@2025-07` >= 1 and not (a:X@end == 0)")
    assert cond.names == ["a:X@end", "b:X:Y@2025-07"]
    a = np.array([0.4, 0.6, 0.6, 0.0, np.nan])
    b = np.array([0.0, 1.0, 0.0, 2.0, 1.0])
    # or(a < .5, and(b >= 1, not a == 0)); a missing value makes its comparison false
    assert cond.evaluate({"a:X@end": a, "b:X:Y@2025-07": b}).tolist() == [
        True, True, False, True, True]


def test_a_comparison_may_set_two_outcomes_against_each_other_or_put_the_number_first():
    cond = conditions.parse("0.5 > a:X@end and a:X@end < a:X@start")
    got = cond.evaluate({"a:X@end": np.array([0.4, 0.4, 0.6]),
                         "a:X@start": np.array([0.5, 0.3, 0.9])})
    assert got.tolist() == [True, False, False]


@pytest.mark.parametrize("text, column, says", [
    ("a:X@end <", 10, "expected an outcome name or a number, found the end"),
    ("a:X@end 0.5", 9, "expected a comparison operator"),
    ("(a:X@end < 1", 13, "expected ')'"),
    ("a:X@end < 1 b:X@end > 2", 13, "expected 'and', 'or' or the end"),
    ("a:X@end < 1 && b:X@end > 2", 13, "unexpected character '&'"),
    ("1 < 2", 5, "needs an outcome name on one side"),
    ("__import__('os') < 1", 12, "unexpected character"),
])
def test_a_condition_that_does_not_parse_says_where_and_gives_the_grammar(text, column, says):
    with pytest.raises(UserError) as caught:
        conditions.parse(text)
    message = str(caught.value)
    assert says in message and f"at column {column}" in message
    pointer = message.splitlines()[2]
    assert pointer.index("^") == 4 + column - 1  # the caret sits under the offending column
    assert "valid: comparisons NAME OP NUMBER" in message


def test_an_unknown_outcome_is_refused_with_the_valid_names_and_a_suggestion():
    cond = conditions.parse("alignment_security:JPN@edn < 0.5")
    with pytest.raises(UserError) as caught:
        conditions.check_names(cond, [ALIGNMENT, TRUST])
    assert "did you mean 'alignment_security:JPN@end'" in str(caught.value)
    assert caught.value.valid == f"{ALIGNMENT}, {TRUST}"


# --- points of interest ------------------------------------------------------------------------

def test_a_point_is_of_interest_when_the_condition_holds_in_the_share_of_its_replicates():
    outcomes = pd.DataFrame({"point": [0] * 4 + [1] * 4, "replicate": [0, 1, 2, 3] * 2,
                             "outcome": "a:X@end",
                             "value": [0.1, 0.1, 0.9, 0.9, 0.1, 0.9, 0.9, 0.9]})
    cond = conditions.parse("a:X@end < 0.5")
    half = discovery.points_of_interest(outcomes, cond, 0.5)
    assert half["holding"].tolist() == [2, 1]
    assert half["of_interest"].tolist() == [True, False]
    assert discovery.points_of_interest(outcomes, cond, 0.25)["of_interest"].tolist() == [
        True, True]


# --- PRIM and the box --------------------------------------------------------------------------

def test_prim_recovers_the_thresholds_and_leaves_the_irrelevant_parameters_free(found):
    _, interest, peeling, chosen, box = found
    assert 0.05 < interest["of_interest"].mean() < 0.15  # about 0.3 x 0.3 of the space
    limits = box.set_index("parameter")
    assert sorted(limits.index) == ["x1", "x2"]  # x3 and x4 stay unrestricted
    assert limits.loc["x1", "restricted"] == "low" and limits.loc["x2", "restricted"] == "high"
    assert limits.loc["x1", "box_low"] == pytest.approx(0.7, abs=0.05)
    assert limits.loc["x2", "box_high"] == pytest.approx(0.3, abs=0.05)
    assert (limits.loc["x1", "box_high"], limits.loc["x2", "box_low"]) == (1.0, 0.0)
    assert limits.loc["x1", ["range_low", "range_high"]].tolist() == [0.0, 1.0]
    stats = peeling.trajectory.iloc[chosen]
    assert stats["coverage"] >= 0.5 and stats["density"] > 0.9
    assert stats["restricted"] == 2


def test_the_default_box_is_the_densest_with_enough_coverage_and_box_k_overrides_it():
    trajectory = pd.DataFrame({"box": [0, 1, 2, 3], "coverage": [1.0, 0.9, 0.6, 0.4],
                               "density": [0.1, 0.5, 0.8, 0.95]})
    assert discovery.choose_box(trajectory, 0.5) == 2
    assert discovery.choose_box(trajectory, 0.3) == 3
    assert discovery.choose_box(trajectory, 0.5, box=1) == 1
    with pytest.raises(UserError, match="a box from 0 to 3"):
        discovery.choose_box(trajectory, 0.5, box=4)


def test_the_fresh_check_finds_the_box_dense_and_the_rest_of_the_space_thin(found, sweep):
    condition, _, _, _, box = found
    fresh = discovery.fresh_check(box, BOUNDS, known_evaluator, condition, 0.5, 150, 5)
    by = fresh.set_index("region")
    assert by.loc["in the box", "points"] == 150
    assert by.loc["in the box", "density"] > 0.85
    assert by.loc["whole space: outside the box", "density"] < 0.1
    assert by.loc["whole space", "points"] == (by.loc["whole space: inside the box", "points"]
                                               + by.loc["whole space: outside the box", "points"])
    assert by.loc["whole space: inside the box", "coverage"] > 0.7


def test_fresh_samples_are_a_seeded_latin_hypercube_within_the_bounds():
    def draw(seed):
        return discovery.latin_hypercube(BOUNDS, 20, np.random.default_rng(seed))

    one = draw(1)
    pd.testing.assert_frame_equal(one, draw(1))
    assert not one.equals(draw(2))
    for name, (low, high) in BOUNDS.items():
        strata = np.floor((one[name] - low) / (high - low) * 20)
        assert sorted(strata) == list(range(20))  # one point in each twentieth of the range


# --- the verb ----------------------------------------------------------------------------------

def run_verb(argv: list[str], capsys, evaluate=None) -> tuple[int, str, str]:
    """The verb in process, as the CLI runs it (UserError -> exit 2)."""
    if evaluate is None:
        code = cli.main(argv)
    else:
        args = cli.build_parser("discover").parse_args(argv)
        try:
            code = discover.main(args, evaluate=evaluate)
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            code = exc.exit_code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_verb_writes_the_discovery_folder_and_prints_the_summary(sweep_dir, tmp_path,
                                                                      capsys):
    pytest.importorskip("ema_workbench")
    out = tmp_path / "found"
    code, stdout, err = run_verb(["discover", str(sweep_dir), "--where", WHERE, "--out",
                                  str(out), "--fresh", "60"], capsys, known_evaluator)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        "box.csv", "discovery.json", "fresh_check.csv", "points.csv", "summary.txt",
        "trajectory.csv", "trajectory.png"]
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert summary.strip() in stdout
    interest = pd.read_csv(out / "points.csv")
    assert f"{interest['of_interest'].sum()} of 400" in summary
    assert re.search(r"\n  x1: 0\.(6[5-9]|7[0-5])\d* to 1 \(range 0 to 1; ", summary)
    assert re.search(r"\n  x2: 0 to 0\.(2[5-9]|3[0-5])", summary) and "x3" not in summary
    trajectory = pd.read_csv(out / "trajectory.csv")
    assert trajectory["chosen"].sum() == 1
    assert pd.read_csv(out / "box.csv")["parameter"].tolist() == ["x1", "x2"]
    fresh = pd.read_csv(out / "fresh_check.csv").set_index("region")
    assert fresh.loc["in the box", "density"] > 0.85
    assert (out / "trajectory.png").read_bytes()[:4] == b"\x89PNG"


def test_without_an_evaluator_the_fresh_check_is_skipped_with_a_note(sweep_dir, capsys):
    pytest.importorskip("ema_workbench")
    code, stdout, err = run_verb(["discover", str(sweep_dir), "--where", WHERE, "--box", "3"],
                                 capsys)
    assert code == 0, err
    assert "note: fresh check skipped:" in stdout
    folder = next(sweep_dir.glob("discovery-alignment-security-jpn-end-0-5-*"))
    assert not (folder / "fresh_check.csv").exists()
    assert "Fresh check: not run." in (folder / "summary.txt").read_text(encoding="utf-8")
    assert pd.read_csv(folder / "trajectory.csv").query("chosen")["box"].tolist() == [3]
    # the same discovery again: refused, the first one kept
    again = run_verb(["discover", str(sweep_dir), "--where", WHERE], capsys)
    assert again[0] == 2 and "exists already" in again[2]


@pytest.mark.parametrize("option, value", [("--share", "0"), ("--share", "1.5"),
                                           ("--min-coverage", "x"), ("--fresh", "-1"),
                                           ("--box", "2.5"), ("--seed", "-1")])
def test_bad_numbers_are_refused_before_the_sweep_is_read(option, value, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["discover", "no-such-folder", "--where", WHERE, option, value])
    assert exit_.value.code == 2
    assert f"python -m sim discover: error: argument {option}" in capsys.readouterr().err


def snapshot(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("where, says", [
    (f"{ALIGNMENT} < ", "does not parse: expected an outcome name or a number"),
    ("alignment_security:JPN@edn < 0.5", "unknown outcome 'alignment_security:JPN@edn'"),
    (f"{ALIGNMENT} < -5", "no point is of interest"),
    (f"{ALIGNMENT} < 5", "every point is of interest"),
])
def test_bad_conditions_exit_2_and_write_nothing(sweep_dir, capsys, where, says):
    before = snapshot(sweep_dir)
    code, _, err = run_verb(["discover", str(sweep_dir), "--where", where], capsys)
    assert code == 2 and says in err and "Traceback" not in err
    assert "valid:" in err
    assert snapshot(sweep_dir) == before


def test_a_folder_that_is_not_a_complete_sweep_exits_2_and_writes_nothing(tmp_path, capsys):
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = run_verb(["discover", str(plain), "--where", WHERE], capsys)
    assert code == 2 and "not a sweep folder" in err
    unfinished = write_sweep(tmp_path / "unfinished", points=40, complete=False)
    before = snapshot(tmp_path)
    code, _, err = run_verb(["discover", str(unfinished), "--where", WHERE], capsys)
    assert code == 2 and "complete" in err
    assert f"python -m sim sweep --resume {unfinished}`" in err
    (unfinished / "outcomes.parquet").unlink()
    (unfinished / "status.json").write_text('{"complete": true}', encoding="utf-8")
    code, _, err = run_verb(["discover", str(unfinished), "--where", WHERE], capsys)
    assert code == 2 and "no outcomes.parquet" in err
    assert snapshot(tmp_path) == [p for p in before if p != "unfinished/outcomes.parquet"]


def test_the_trajectory_plot_is_labelled_and_marks_the_chosen_box(found):
    from sim.figures.discovery import plot_trajectory

    _, _, peeling, chosen, _ = found
    ax = plot_trajectory(peeling.trajectory, chosen, condition=WHERE, min_coverage=0.5)
    assert "PRIM peeling trajectory" in ax.get_title() and WHERE in ax.get_title()
    assert "coverage" in ax.get_xlabel() and "%" in ax.get_xlabel()
    assert "density" in ax.get_ylabel() and "%" in ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    counts = sorted(peeling.trajectory["restricted"].unique())
    assert labels[:len(counts)] == [f"{k} parameter{'s' if k != 1 else ''} restricted"
                                    for k in counts]
    assert labels[-2:] == ["least coverage for the chosen box (50%)", "chosen box"]
    (ring,) = [c for c in ax.collections if c.get_gid() == "chosen"]
    assert ring.get_offsets().tolist() == [[peeling.trajectory["coverage"][chosen],
                                            peeling.trajectory["density"][chosen]]]
    ax.figure.clf()


@pytest.mark.slow
def test_the_verb_checks_the_box_on_fresh_runs_of_the_model_the_sweep_ran(tmp_path, capsys):
    """A small real sweep (forgetting and Japan's dependence, a year): without an evaluator
    passed in, the verb runs its fresh points with the sweep runner on the sweep's scenario.yml."""
    pytest.importorskip("ema_workbench")
    from sim.analysis.experiments import design
    from sim.analysis.experiments import sweep as runner
    from sim.outputs.run_folder import write_yaml
    from sim.scenario import load_scenario

    scenario = load_scenario(Path(__file__).parents[1] / "scenarios" / "baseline.yml")
    scenario = scenario.model_copy(update={"horizon_months": 12})
    inputs = design.uncertainties(scenario, "forgetting,JPN.dependence")
    experiments, record = design.sample("lhs", inputs, 80, seed=4)
    outcome = "trust:JPN:US@low"
    outcomes = runner.evaluate_points(scenario, experiments, runner.outcomes_of([outcome],
                                                                                 scenario), 2, 4)
    folder = tmp_path / "sweep"
    folder.mkdir()
    (folder / "design.json").write_text(json.dumps({**record, "replicates": 2}), "utf-8")
    experiments.to_csv(folder / "experiments.csv", index=False)
    outcomes.to_parquet(folder / "outcomes.parquet")
    write_yaml(folder / "scenario.yml", scenario.as_dict())
    (folder / "status.json").write_text('{"complete": true}', encoding="utf-8")
    cut = float(outcomes["value"].quantile(0.3))  # the lowest lows: about 30% of the points
    code, stdout, err = run_verb(["discover", str(folder), "--where", f"{outcome} < {cut}",
                                  "--fresh", "40", "--out", str(tmp_path / "found")], capsys)
    assert code == 0, err
    assert "note: fresh check skipped" not in stdout
    fresh = pd.read_csv(tmp_path / "found" / "fresh_check.csv").set_index("region")
    assert fresh.loc["in the box", "points"] == 40
    assert (fresh.loc["in the box", "density"]
            > fresh.loc["whole space: outside the box", "density"] + 0.3)
