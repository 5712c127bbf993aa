"""The package's layers: a lower layer never imports a higher one.

Read bottom up, the tree is the architecture: the evidence (parameters and actors with their
sources), the event kinds, the scenario files, the engine that runs them, the analyses over its
ensembles, the figures, the outputs written to disk, the role-play game, the dashboard (web pages
over all of these), and the command line. A module may import its own layer and those below; the
check reads every ``import`` statement, including those inside functions (lazy imports count too).
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
            if node.module == "sim":  # from sim import cli
                found += [(node.lineno, f"sim.{alias.name}") for alias in node.names]
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


MODULES = sorted(SIM.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SIM)))
def test_no_module_imports_a_higher_layer(path):
    own = layer_of("sim." + ".".join(path.relative_to(SIM).with_suffix("").parts))
    typing_only = type_checking_lines(path)
    upward = [f"line {line}: {name}" for line, name in imports(path)
              if line not in typing_only and (layer_of(name) or 0) > own]
    assert not upward, f"{path.relative_to(SIM)} imports a higher layer: {upward}"


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from sim.figures.run import make_plots\n", encoding="utf-8")
    assert layer_of("sim.engine.model") < layer_of("sim.figures.run")
    assert imports(module) == [(1, "sim.figures.run")]


def test_every_subpackage_is_a_declared_layer():
    packages = {p.parent.relative_to(SIM).parts[0] for p in SIM.glob("*/__init__.py")}
    assert packages <= set(LAYERS), f"declare these in LAYERS: {packages - set(LAYERS)}"
