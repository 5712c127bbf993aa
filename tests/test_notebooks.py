"""Every notebook in ``notebooks/`` runs clean, top to bottom, in a fresh ``python3`` kernel.

Notebooks are stored **without outputs** (outputs cleared before saving), to keep the repository
small and diffs readable; a test below enforces it. Each notebook finds the repository root itself
(walking up to ``pyproject.toml``), writes only to temporary folders it makes, and is executed here
with the notebook folder as working directory, as Jupyter would. Execution happens in memory: the
files are never written back. To clear outputs after editing a notebook in Jupyter, use "Clear All
Outputs" before saving, or ``jupyter nbconvert --clear-output --inplace notebooks/*.ipynb``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = ("01_quick_start", "02_explore_a_run_folder", "03_compare_scenarios",
            "04_write_your_own_scenario", "05_uncertainty_and_sensitivity")
CELL_TIMEOUT = 300  # seconds per cell; each notebook takes well under a minute in all
RELATIVE_PATH = re.compile(r"""\.\./[^\s'"`)\]}>]+""")  # ../scenarios/x.yml and the like


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _outputs_text(nb: nbformat.NotebookNode) -> str:
    """All text a notebook printed or displayed, to search for tracebacks from `!` commands."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_the_notebooks_are_there() -> None:
    assert {p.stem for p in NOTEBOOKS} >= set(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_without_error(path: Path) -> None:
    nb = _read(path)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{exc}", pytrace=False)
    # A failing `!python -m sim ...` does not stop a notebook; the CLI never prints a traceback
    # for bad input, so one in the output is a crash.
    assert "Traceback (most recent call last)" not in _outputs_text(nb), (
        f"{path.name}: a `!` command crashed (see the traceback in its output)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_explained_and_stored_clean(path: Path) -> None:
    nb = _read(path)
    nbformat.validate(nb)
    kinds = [cell.cell_type for cell in nb.cells]
    assert kinds[0] == "markdown", f"{path.name} should open with what it teaches"
    assert kinds.count("markdown") >= 3, f"{path.name} has too little explanation"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", path.name
    stored = [i for i, cell in enumerate(nb.cells)
              if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert not stored, f"{path.name}: clear the outputs of cells {stored} before saving"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_relative_paths_exist(path: Path) -> None:
    nb = _read(path)
    missing = sorted({
        ref for cell in nb.cells for ref in RELATIVE_PATH.findall(cell.source)
        if not (NOTEBOOK_DIR / ref.rstrip(".,;:")).exists()
    })
    assert not missing, f"{path.name} refers to paths that are not in the repository: {missing}"
