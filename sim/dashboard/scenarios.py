"""Scenario files in the browser: the shipped ones, uploaded ones and edited text.

A page reads a scenario from a :class:`Source` (a file name and its YAML text) with
:func:`load_source`, which runs the same loader as ``python -m sim validate`` and ``sim run``, so
a bad file gets the same located message (file, line, key path, what is wrong, what would be
valid). Uploaded or edited text may ``extends:`` a shipped scenario by its file name
(``extends: baseline.yml``), as a file saved in ``scenarios/`` would.

Nothing here is kept between calls: a page keeps its sources and scenarios in its own state.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sim import paths
from sim.errors import ScenarioError, ScenarioErrors, UserError, problems
from sim.scenario import Scenario, load_scenario

MAX_UPLOAD_BYTES = 1_000_000  # a scenario is a few kilobytes; a megabyte is a wrong file
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Source:
    """A scenario's YAML text and the file name its messages name.

    ``shipped`` says the text is a shipped file's, unedited: it is read from ``scenarios/``
    itself, so its messages name that file.
    """

    name: str
    text: str
    shipped: bool = False


def shipped_names() -> list[str]:
    """The shipped scenarios' names (``baseline``, ``trump_second_term``, ...), sorted."""
    return sorted(p.stem for p in paths.scenario_dir().glob("*.yml"))


def shipped_source(name: str) -> Source:
    """The shipped scenario ``name`` as a :class:`Source`."""
    path = paths.scenario_file(name)
    return Source(path.name, path.read_text(encoding="utf-8"), shipped=True)


def uploaded_source(name: str, data: bytes) -> Source:
    """An uploaded file as a :class:`Source`; a :class:`ScenarioError` if it is no text file."""
    shown = Path(name or "uploaded.yml").name
    if len(data) > MAX_UPLOAD_BYTES:
        raise ScenarioError(f"the file is {len(data):,} bytes long, too long for a scenario",
                            file=shown, valid=f"a YAML scenario file of at most "
                                              f"{MAX_UPLOAD_BYTES:,} bytes")
    from sim.scenario.yamlmarks import decoded

    return Source(shown, decoded(data, shown))  # worded as `sim validate` words it


def load_source(source: Source) -> Scenario:
    """Read, inherit, validate and resolve ``source`` as ``sim validate`` would.

    Raises the loader's :class:`ScenarioError` (or :class:`ScenarioErrors`), with every file
    named by its file name: the source's own name, or a shipped parent's.
    """
    if source.shipped:
        return load_scenario(paths.scenario_file(Path(source.name).stem))
    name = _file_name(source.name)
    with tempfile.TemporaryDirectory(prefix="alliance-sim-scenario-") as folder:
        root = Path(folder)
        for shipped in paths.scenario_dir().glob("*.yml"):  # what 'extends:' may name
            if shipped.name != name:
                (root / shipped.name).symlink_to(shipped)
        (root / name).write_text(source.text, encoding="utf-8")
        try:
            return load_scenario(root / name)
        except UserError as exc:
            raise _renamed(exc, root, source.name) from None


def message(exc: UserError) -> str:
    """The text ``sim validate`` prints for ``exc``: one ``error:`` line per problem."""
    return "\n".join(f"error: {problem}" for problem in problems(exc))


def _file_name(name: str) -> str:
    stem = _SAFE_NAME.sub("_", Path(name).stem).strip("._") or "scenario"
    return f"{stem}.yml"


def _renamed(exc: UserError, root: Path, shown: str) -> UserError:
    """``exc`` with the temporary folder's paths replaced by the names the user knows."""
    def rename(problem: UserError) -> ScenarioError:
        file = problem.file
        if file is not None and Path(file).parent == root:
            file = shown if Path(file).name == _file_name(shown) else Path(file).name
        return ScenarioError(problem.message, file=file, where=problem.where,
                             line=problem.line, column=problem.column, valid=problem.valid)

    renamed = [rename(p) for p in problems(exc)]
    return renamed[0] if len(renamed) == 1 else ScenarioErrors(renamed)
