"""Where the shipped files are: the scenarios, and the source checkout (if there is one).

``scenarios/`` stays at the top of the repository, where users read and edit the files; the
wheel ships the same files as package data, ``sim/shipped_scenarios/`` (pyproject.toml maps that
package onto ``scenarios/``). Everything that needs a shipped scenario asks :func:`scenario_dir`,
so a model runs the same from a checkout, an editable install or a wheel.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# the folder holding sim/ when this is a source checkout (in a wheel: site-packages)
_ROOT = Path(__file__).resolve().parents[1]


def scenario_dir() -> Path:
    """The folder of the shipped scenario files."""
    installed = resources.files("sim") / "shipped_scenarios"  # a wheel's copy
    if installed.is_dir():
        return Path(str(installed))
    return _ROOT / "scenarios"  # a checkout: the files users edit


def scenario_file(name: str) -> Path:
    """The shipped scenario called ``name`` (``"baseline"`` -> ``.../baseline.yml``)."""
    return scenario_dir() / f"{name}.yml"


def checkout() -> Path | None:
    """The source checkout this package runs from, or None for an installed wheel.

    A checkout has the project file beside ``sim/``; site-packages has none (and a git
    repository that merely contains a virtual environment is not ours).
    """
    if (_ROOT / "pyproject.toml").is_file() and (_ROOT / "scenarios").is_dir():
        return _ROOT
    return None
