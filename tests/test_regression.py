"""Baseline regression: the numbers of two shipped scenarios, pinned.

If a change moves them on purpose, regenerate with `python tests/regression/regenerate.py`,
bump `sim.MODEL_VERSION`, and say why in the commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "regression"))
from regenerate import CASES, HERE, regression_table  # noqa: E402


@pytest.mark.parametrize("name", CASES)
def test_numbers_match_the_pinned_regression_file(name):
    pinned = pd.read_csv(HERE / f"{name}.csv", keep_default_na=False)
    fresh = regression_table(name, CASES[name])
    fresh = pd.read_csv(pd.io.common.StringIO(fresh.to_csv(index=False, float_format="%.7g")),
                        keep_default_na=False)
    pd.testing.assert_frame_equal(fresh, pinned, check_exact=False, rtol=1e-6, atol=1e-7)
