"""Every assumption is a parameter: the mechanics hold no undeclared numbers.

The test reads the code of every function of the engine's mechanics, the model, the world and the
event kinds, and fails on a numeric literal that is not one of a few structural constants (0, 1,
2, one half, the months of a year, the square root of 3 of a uniform's spread, and the tiny
guards against division by zero). A number that carries an assumption belongs in
:class:`sim.evidence.params.Parameters`, with its unit, range and source, where sweeps and
sensitivity analyses can vary it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"
FILES = sorted([*(SIM / "engine" / "mechanics").glob("*.py"), *(SIM / "events").glob("*.py"),
                SIM / "engine" / "model.py", SIM / "engine" / "world.py",
                SIM / "engine" / "schedule.py", SIM / "engine" / "decisions.py"])

STRUCTURAL = {
    0, 1, 2, -1, 0.5,  # identities, halves, signs, the two poles
    12,  # months in a year
    3.0,  # sqrt(3): the spread of a uniform draw with a given standard deviation
    1e-9, 1e-12,  # guards against division by zero
}


def literals(path: Path) -> list[tuple[int, float]]:
    """Numeric literals inside function bodies (module-level tables are declarations)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
                        and not isinstance(node.value, bool) and node.value not in STRUCTURAL):
                    found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SIM)))
def test_no_undeclared_number_in_the_mechanics(path):
    hidden = literals(path)
    assert not hidden, (f"{path.relative_to(SIM)}: numbers that should be declared parameters "
                        f"(line, value): {hidden}")


def test_the_walk_finds_a_hidden_number(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("LIMIT = 7.5\n\ndef f(x):\n    return 0.2 + x * 2 - 1e-9\n", encoding="utf-8")
    assert literals(module) == [(4, 0.2)]
