"""Safe YAML reading that remembers where each value sits, so errors can name a line.

Only :class:`yaml.SafeLoader` is used: tags such as ``!!python/object`` are refused, never run.
Three things plain PyYAML lets through are refused here, each at its line: a key given twice in one
mapping (PyYAML silently keeps the last, so a typo would quietly change a result), a value it cannot
build, such as the date 2025-13-01 or ``!!float abc`` (PyYAML raises a bare ``ValueError`` with no
line), and aliases nested so deep that the file expands to millions of values ("billion laughs").
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ScenarioError

Marks = dict[tuple, tuple[int, int]]  # key path -> (line, column), both 1-based

MAX_FILE_BYTES = 1 * 2**20  # a scenario is a few kilobytes of YAML
MAX_NODES = 100_000  # values after expanding aliases; the largest real scenario has a few hundred
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


def read_yaml(path: Path) -> tuple[Any, Marks]:
    """Parse ``path`` safely; return the data and the position of every key and item."""
    text = _read_text(path)
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # already checks for unprintable characters
        node = loader.get_single_node()
        marks = _Walker(path).walk(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.constructor.ConstructorError as exc:
        raise _constructor_error(path, exc) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        raise ScenarioError(f"character #x{exc.character:04x} is not allowed in YAML",
                            file=str(path), line=line, column=column,
                            valid="plain text: letters, digits, punctuation, spaces") from None
    except yaml.YAMLError as exc:  # any other PyYAML complaint, still without a traceback
        raise ScenarioError(f"YAML error: {exc}", file=str(path)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, marks


def _read_text(path: Path) -> str:
    """The file as text, or an error that says why it cannot be read."""
    if path.is_dir():
        raise ScenarioError("this is a folder, not a scenario file", file=str(path),
                            valid="a path to a scenario YAML file, e.g. scenarios/baseline.yml")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError("file not found" + _similar_files(path), file=str(path),
                            valid="a path to a scenario YAML file, e.g. scenarios/baseline.yml"
                            ) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read the file ({exc.strerror})", file=str(path)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"the file is {len(raw) / 2**20:.1f} MiB; a scenario is a few KiB",
                            file=str(path), valid=f"a file under {MAX_FILE_BYTES // 2**20} MiB")
    try:
        return raw.decode("utf-8-sig")  # -sig: tolerate the byte-order mark some editors write
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise ScenarioError(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                            file=str(path), line=line, column=column,
                            valid="save the file as UTF-8 text") from None


def _similar_files(path: Path) -> str:
    """' Did you mean ...?' for a near-miss among the YAML files beside ``path``."""
    try:
        names = [p.name for p in path.parent.iterdir() if p.suffix in (".yml", ".yaml")]
    except OSError:
        return ""
    near = difflib.get_close_matches(path.name, names, n=1, cutoff=0.8)
    return f". Did you mean '{near[0]}'?" if near else ""


def _position(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character or byte offset."""
    newline = "\n" if isinstance(text, str) else b"\n"
    before = text[:offset]
    return before.count(newline) + 1, offset - (before.rfind(newline) + 1) + 1


def _syntax_error(path: Path, exc: yaml.MarkedYAMLError) -> ScenarioError:
    problem = exc.problem or exc.context or "unreadable YAML"
    if "\\t" in repr(problem) or "tab" in problem:
        message, valid = "a tab character here: YAML indentation must use spaces", \
            "indent with spaces (set your editor to insert spaces for Tab)"
    else:
        message, valid = f"YAML syntax error: {problem}", \
            "check indentation, colons, brackets and quotes near this place"
    mark, start = exc.problem_mark or exc.context_mark, exc.context_mark
    if start is not None and mark is not None and start.line != mark.line and exc.context:
        message += f" ({exc.context} that starts on line {start.line + 1})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return ScenarioError(message, file=str(path), line=line, column=column, valid=valid)


def _constructor_error(path: Path, exc: yaml.constructor.ConstructorError) -> ScenarioError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = exc.problem or ""
    if "could not determine a constructor" in problem:
        tag = problem.split("tag ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        message = f"the YAML tag {tag} is not allowed: a scenario file holds plain data only"
        valid = "plain YAML values (text, numbers, dates, lists, mappings); no !! or ! tags"
    else:
        message, valid = f"YAML error: {problem}", "keys that are plain words, e.g. rate: 0.25"
    return ScenarioError(message, file=str(path), line=line, column=column, valid=valid)


class _Walker:
    """Records where every key and item sits, and refuses what PyYAML would let through."""

    def __init__(self, file: Path):
        self.file = file
        self.marks: Marks = {}
        self.nodes = 0

    def walk(self, node: yaml.Node | None) -> Marks:
        if node is not None:
            self._visit(node, ())
        return self.marks

    def _visit(self, node: yaml.Node, path: tuple) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._error(f"the file expands to more than {MAX_NODES} values (nested aliases?)",
                              node, path, "a plain scenario file without nested *aliases")
        self.marks.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            self._visit_mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._visit(item, path + (i,))
        else:
            self._check_scalar(node, path)

    def _visit_mapping(self, node: yaml.MappingNode, path: tuple) -> None:
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                continue  # '<<' merges and complex keys: PyYAML or the schema judges them
            key = key_node.value
            if key in first_line:
                raise self._error(
                    f"the key '{key}' is given twice (first on line {first_line[key]}); YAML "
                    "would silently keep only the last one", key_node, path + (key,),
                    "each key once in a mapping; delete or rename one of them")
            first_line[key] = key_node.start_mark.line + 1
            self._check_scalar(key_node, path + (key,))
            self.marks[path + (key,)] = _mark(key_node)  # errors about a value point at its key
            self._visit(value_node, path + (key,))

    def _check_scalar(self, node: yaml.ScalarNode, path: tuple) -> None:
        """Build the value alone, so a failure can be located (unknown tags fail later, located)."""
        try:
            yaml.constructor.SafeConstructor().construct_object(node)
        except yaml.constructor.ConstructorError:
            return
        except Exception as exc:  # PyYAML's builders raise bare ValueError, AttributeError, ...
            if node.tag == _TIMESTAMP:
                raise self._error(f"'{node.value}' is not a real date ({exc})", node, path,
                                  "a calendar date written YYYY-MM-DD, e.g. 2025-02-14") from None
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self._error(f"'{node.value}' cannot be read as {tag} ({exc})", node, path,
                              "a plain value without a !! tag, e.g. 0.25 or 2025-02-14") from None

    def _error(self, message: str, node: yaml.Node, path: tuple, valid: str) -> ScenarioError:
        line, column = _mark(node)
        return ScenarioError(message, file=str(self.file), where=dotted(path) or None,
                             line=line, column=column, valid=valid)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


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
