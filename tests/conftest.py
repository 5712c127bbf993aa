"""Shared fixtures: the shipped scenarios, a short one, scenario files in tmp, array comparison."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from itertools import count
from pathlib import Path

import numpy as np
import pytest

from sim.scenario import Scenario, load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


# What the test extras install (pyproject.toml, [test]): the suite exercises every verb, the
# dashboard and the browser, so a missing one is a broken set-up, not a reason to skip tests.
EXTRAS = ("SALib", "distributed", "ema_workbench", "solara", "solara_assets", "playwright")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "processes: spawns worker processes (a few seconds); part of the default run")
    missing = [name for name in EXTRAS if importlib.util.find_spec(name) is None]
    if missing:
        raise pytest.UsageError(f"the test extras are not installed ({', '.join(missing)} "
                                "missing): run `bash tests/setup.sh` first")


@pytest.fixture(scope="session")
def write_scenario(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``write_scenario(body, extends="baseline.yml", **scalars)``: a YAML file in tmp that
    extends a shipped scenario, sets ``scalars`` (``horizon_months=12``) and adds ``body``.

    Returns the file's path."""
    folder = tmp_path_factory.mktemp("scenarios")
    numbers = count()

    def write(body: str = "", extends: str = "baseline.yml", **scalars: object) -> Path:
        head = [f"extends: {SCENARIOS / extends}"] + [f"{k}: {v}" for k, v in scalars.items()]
        path = folder / f"scenario_{next(numbers)}.yml"
        path.write_text("\n".join(head) + "\n" + body, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    return load_scenario(SCENARIOS / "baseline.yml")


@pytest.fixture(scope="session")
def second_term() -> Scenario:
    return load_scenario(SCENARIOS / "trump_second_term.yml")


@pytest.fixture(scope="session")
def short_second_term(write_scenario) -> Scenario:
    """The commentary's 2025 over 12 months and 4 replicates: quick enough for property tests."""
    return load_scenario(write_scenario(extends="trump_second_term.yml", horizon_months=12,
                                        replicates=4))


@pytest.fixture(scope="session")
def assert_identical() -> Callable[..., None]:
    """``assert_identical(left, right, months=slice(None))``: every array of two ensembles equal
    bit for bit over ``months`` (the first axis of the storage)."""

    def check(left: dict[str, np.ndarray], right: dict[str, np.ndarray],
              months: slice = slice(None)) -> None:
        assert left.keys() == right.keys()
        different = [k for k in left if not np.array_equal(left[k][months], right[k][months])]
        assert not different, f"arrays differ: {different}"

    return check
