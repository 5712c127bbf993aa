"""Safe YAML reading that remembers where each value sits, so errors can name a line.

Only :class:`yaml.SafeLoader` is used: tags such as ``!!python/object`` are refused, never run.
Three things plain PyYAML lets through are refused here, each at its line: a key given twice in one
mapping (PyYAML silently keeps the last, so a typo would quietly change a result), a value it cannot
build, such as the date 2025-13-01 or ``!!float abc`` (PyYAML raises a bare ``ValueError`` with no
line), aliases nested so deep that the file expands to millions of values ("billion laughs"), and
structures nested deeper than any scenario needs (PyYAML composes them by recursion) or that
contain themselves through an alias. Only regular files are read, and at most ``MAX_FILE_BYTES``.
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ScenarioError

Marks = dict[tuple, tuple[int, int]]  # key path -> (line, column), both 1-based

MAX_FILE_BYTES = 1 * 2**20  # a scenario is a few kilobytes of YAML
MAX_NODES = 100_000  # values after expanding aliases; the largest real scenario has a few hundred
MAX_NESTING = 32  # lists and mappings inside each other; a real scenario nests 4 deep
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


def read_yaml(path: Path) -> tuple[Any, Marks]:
    """Parse ``path`` safely; return the data and the position of every key and item."""
    text = _read_text(path)
    loader = None
    try:
        _check_nesting(path, text)
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
    return decoded(_read_bytes(path), str(path))


def decoded(raw: bytes, file: str) -> str:
    """A file's bytes as text, or the error ``sim validate`` gives for a file that is not UTF-8
    (the dashboard's uploads say the same)."""
    try:
        return raw.decode("utf-8-sig")  # -sig: tolerate the byte-order mark some editors write
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise ScenarioError(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                            file=file, line=line, column=column,
                            valid="save the file as UTF-8 text") from None


def _read_bytes(path: Path) -> bytes:
    """At most ``MAX_FILE_BYTES`` of a regular file; a device or a pipe is refused unread.

    The file is opened without blocking (a named pipe would otherwise wait for a writer) and
    checked on the open descriptor, so what is checked is what is read.
    """
    valid = "a path to a scenario YAML file, e.g. scenarios/baseline.yml"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ScenarioError("file not found" + _similar_files(path), file=str(path),
                            valid=valid) from None
    except IsADirectoryError:
        raise ScenarioError("this is a folder, not a scenario file", file=str(path),
                            valid=valid) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ScenarioError(f"cannot read the file ({reason})", file=str(path),
                            valid=valid) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ScenarioError("this is a folder, not a scenario file", file=str(path),
                                valid=valid)
        if not stat.S_ISREG(mode):
            raise ScenarioError(f"this is not a regular file (it is a {_file_kind(mode)})",
                                file=str(path), valid=valid)
        raw = b""
        while len(raw) <= MAX_FILE_BYTES:
            block = os.read(fd, MAX_FILE_BYTES + 1 - len(raw))
            if not block:
                break
            raw += block
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        size = os.stat(path).st_size / 2**20
        raise ScenarioError(f"the file is {size:.1f} MiB; a scenario is a few KiB",
                            file=str(path), valid=f"a file under {MAX_FILE_BYTES // 2**20} MiB")
    return raw


def _file_kind(mode: int) -> str:
    kinds = {stat.S_ISCHR: "character device", stat.S_ISBLK: "block device",
             stat.S_ISFIFO: "named pipe", stat.S_ISSOCK: "socket"}
    return next((name for test, name in kinds.items() if test(mode)), "special file")


def _check_nesting(path: Path, text: str) -> None:
    """Refuse lists and mappings nested deeper than ``MAX_NESTING``, before PyYAML composes them
    (by recursion: 3,000 levels end in RecursionError). The parser's events come one at a time."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                mark = event.start_mark
                raise ScenarioError(
                    f"lists and mappings are nested more than {MAX_NESTING} deep here",
                    file=str(path), line=mark.line + 1, column=mark.column + 1,
                    valid=f"at most {MAX_NESTING} levels of nesting (a scenario needs 4)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


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
        self.open: list[yaml.Node] = []  # the collections that hold the node being visited

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
        if isinstance(node, yaml.ScalarNode):
            self._check_scalar(node, path)
            return
        self._enter(node, path)
        if isinstance(node, yaml.MappingNode):
            self._visit_mapping(node, path)
        else:
            for i, item in enumerate(node.value):
                self._visit(item, path + (i,))
        self.open.pop()

    def _enter(self, node: yaml.Node, path: tuple) -> None:
        """Refuse a collection that holds itself (``&a [*a]``) or nests too deep via aliases."""
        if any(node is outer for outer in self.open):
            raise self._error("this list or mapping contains itself (through an *alias)", node,
                              path, "aliases that refer to an earlier, finished value only")
        if len(self.open) >= MAX_NESTING:
            raise self._error(f"lists and mappings are nested more than {MAX_NESTING} deep here "
                              "(through *aliases)", node, path,
                              f"at most {MAX_NESTING} levels of nesting (a scenario needs 4)")
        self.open.append(node)

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
