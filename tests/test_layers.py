"""The package's layers: a lower layer never imports a higher one.

Read bottom up, the tree is the architecture: the evidence (parameters and actors with their
sources), the event kinds, the scenario files, the engine that runs them, the analyses over its
ensembles, the figures, the outputs written to disk, the role-play game, the dashboard (web pages
over all of these), and the command line. A module may import its own layer and those below; the
check reads every ``import`` statement, including those inside functions (lazy imports count too).

The analysis layer has floors of its own, by the same rule: the modules at its top (tables,
outcomes, the event record, compare, attribute: what every analysis reads a run with), then
calibration, experiments (which draw from the calibration's posterior) and patterns (which run
across the experiments' parameter draws and score structures by the calibration fit).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"

# Lowest first. Modules at the top of the package (errors, paths, calendar) are the ground floor.
LAYERS = ["evidence", "events", "scenario", "engine", "analysis", "figures", "outputs", "play",
          "dashboard", "commands"]
GROUND = 0  # sim/errors.py and friends
TOP = len(LAYERS) + 1  # sim/cli.py, sim/__main__.py

# Floors of sim/analysis, lowest first; "" is the modules at the top of sim/analysis.
ANALYSIS_FLOORS = ["", "calibration", "experiments", "patterns"]


def layer_of(module: str) -> int | None:
    """The layer of a dotted module name under ``sim`` (None: not ours)."""
    parts = module.split(".")
    if parts[0] != "sim":
        return None
    if len(parts) == 1:
        return GROUND  # `import sim` (the version)
    if parts[1] in LAYERS:
        return LAYERS.index(parts[1]) + 1
    if parts[1] in ("cli", "__main__"):
        return TOP
    return GROUND


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module in ("sim", "sim.analysis"):  # from sim import cli
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def type_checking_lines(path: Path) -> set[int]:
    """Lines inside ``if TYPE_CHECKING:`` blocks: imports for annotations only, never run."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def upward_imports(path: Path, rank) -> list[str]:
    """The imports of the module at ``path`` that ``rank`` (a dotted name's layer, or floor)
    puts above the module itself; imports under ``if TYPE_CHECKING:`` do not count."""
    own = rank("sim." + ".".join(path.relative_to(SIM).with_suffix("").parts))
    typing_only = type_checking_lines(path)
    return [f"line {line}: {name}" for line, name in imports(path)
            if line not in typing_only and (rank(name) or 0) > own]


def analysis_floor(module: str) -> int | None:
    """The floor of a dotted module name within sim/analysis (None: not in the analysis layer)."""
    parts = module.split(".")
    if parts[:2] != ["sim", "analysis"]:
        return None
    if len(parts) > 2 and parts[2] in ANALYSIS_FLOORS:
        return ANALYSIS_FLOORS.index(parts[2])
    return 0  # sim.analysis itself, or a module at its top


MODULES = sorted(SIM.rglob("*.py"))
RANKS = {"layer": layer_of, "floor of analysis": analysis_floor}
CHECKS = [(path, "layer") for path in MODULES] + [
    (path, "floor of analysis") for path in MODULES if path.parent.is_relative_to(SIM / "analysis")]


@pytest.mark.parametrize(("path", "rank"), CHECKS, ids=[
    str(path.relative_to(SIM)) + ("" if rank == "layer" else " (floor)") for path, rank in CHECKS])
def test_no_module_imports_a_higher_layer(path, rank):
    upward = upward_imports(path, RANKS[rank])
    assert not upward, f"{path.relative_to(SIM)} imports a higher {rank}: {upward}"


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from sim.figures.run import make_plots\nfrom sim.analysis import patterns\n",
                      encoding="utf-8")
    assert layer_of("sim.engine.model") < layer_of("sim.figures.run")
    assert imports(module) == [(1, "sim.figures.run"), (2, "sim.analysis"),
                               (2, "sim.analysis.patterns")]
    assert analysis_floor("sim.analysis.tables") < analysis_floor("sim.analysis.calibration.abc")
    assert analysis_floor("sim.analysis.calibration") < analysis_floor("sim.analysis.experiments")
    assert analysis_floor("sim.analysis.patterns") == len(ANALYSIS_FLOORS) - 1


def test_every_subpackage_is_declared():
    packages = {p.parent.relative_to(SIM).parts[0] for p in SIM.glob("*/__init__.py")}
    assert packages <= set(LAYERS), f"declare these in LAYERS: {packages - set(LAYERS)}"
    floors = {p.parent.name for p in (SIM / "analysis").glob("*/__init__.py")}
    assert floors <= set(ANALYSIS_FLOORS), \
        f"declare these in ANALYSIS_FLOORS: {floors - set(ANALYSIS_FLOORS)}"
