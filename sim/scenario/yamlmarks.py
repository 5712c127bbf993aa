"""Safe YAML reading that remembers where each value sits, so errors can name a line.

Only :class:`yaml.SafeLoader` is used: tags such as ``!!python/object`` are refused, never run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.errors import ScenarioError

Marks = dict[tuple, tuple[int, int]]  # key path -> (line, column), both 1-based


def read_yaml(path: Path) -> tuple[Any, Marks]:
    """Parse ``path`` safely; return the data and the position of every key and item."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("file not found", file=str(path),
                            valid="a path to a scenario YAML file, e.g. scenarios/baseline.yml")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read the file ({exc})", file=str(path))
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - SafeLoader
    except yaml.constructor.ConstructorError as exc:
        raise _error(path, exc, "unsafe or unknown YAML tag: " + str(exc.problem),
                     "plain YAML values only (no !!python tags)")
    except yaml.MarkedYAMLError as exc:
        raise _error(path, exc, f"YAML syntax error: {exc.problem}",
                     "check indentation, colons and quotes near this place")
    except yaml.YAMLError as exc:
        raise ScenarioError(f"YAML error: {exc}", file=str(path))
    marks: Marks = {}
    if node is not None:
        _walk(node, (), marks)
    return data, marks


def _error(path: Path, exc: yaml.MarkedYAMLError, message: str, valid: str) -> ScenarioError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return ScenarioError(message, file=str(path), line=line, column=column, valid=valid)


def _walk(node: yaml.Node, path: tuple, marks: Marks) -> None:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, path + (key,), marks)
            marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), marks)


def locate(marks: Marks, path: tuple) -> tuple[int | None, int | None]:
    """Position of ``path``, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path not in marks and path:
        path = path[:-1]
    return marks.get(path, (None, None))


def dotted(path: tuple) -> str:
    """``('events', 2, 'rate')`` -> ``events[2].rate``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
