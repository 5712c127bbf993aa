"""Run folders: written whole or not at all, never over an existing result.

Everything is written into a hidden sibling folder first and renamed into place at the end; if
anything fails on the way, the hidden folder is removed and the target does not appear. Before
any work, :func:`prepare` checks that the folder can be written, so a bad ``--out`` costs nothing;
an operating-system error while writing becomes an :class:`~sim.errors.OutputError` in words.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import platform
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

import sim
from sim import paths
from sim.engine.rng import SEEDING
from sim.errors import OutputError

MAX_NAME_BYTES = 80  # of a folder name made from a scenario name; file systems allow 255


def slug(name: str) -> str:
    """A scenario name made safe as one folder name: letters, digits, ``.``, ``_`` and ``-`` only
    (no separator, no NUL, no leading dot), at most :data:`MAX_NAME_BYTES` bytes, never empty."""
    text = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFKC", name))
    text = text.encode()[:MAX_NAME_BYTES].decode(errors="ignore")
    return text.strip("._-") or "scenario"


def default_folder(name: str, root: Path = Path("runs")) -> Path:
    """``runs/<slug of name>-<YYYYmmdd-HHMMSS>-<pid>``, with a counter if that exists already.

    The process id makes the name this process's own: two runs started in the same second never
    pick the same folder (and their temporary folders, which carry it too, never meet).
    """
    stamp = f"{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    folder = root / f"{slug(name)}-{stamp}"
    k = 2
    while os.path.lexists(folder):
        folder = root / f"{slug(name)}-{stamp}-{k}"
        k += 1
    return folder


def check_free(folder: Path, what: str = "output folder") -> None:
    """Refuse, before any work, to write over an existing result (or through a symbolic link);
    ``what`` names it in the message ("output folder", "handout")."""
    if os.path.lexists(folder):
        raise OutputError(
            f"the {what} exists already; results are never overwritten", file=str(folder),
            valid=f"a new {'folder' if what.endswith('folder') else 'file'} for --out, or "
                  "remove the old one first")


def prepare(out: Path | None, name: str, root: Path = Path("runs")) -> Path:
    """The run folder a verb will write, checked before any work: ``out`` as given, or a new
    folder under ``root`` named after ``name``.

    Refuses an existing result, makes the parent folder, and probe-writes a file in the temporary
    folder (then removes it), so a folder that cannot be written is reported before the run.
    """
    folder = out if out is not None else default_folder(name, root)
    tmp = _fresh_temporary(folder)
    with _os_errors(folder):
        try:
            (tmp / "probe").write_bytes(b"can this folder be written?\n")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _fresh_temporary(folder: Path) -> Path:
    """The empty hidden sibling ``folder`` is written into, after refusing an existing result."""
    check_free(folder)
    tmp = _temporary(folder)
    with _os_errors(folder):
        _make_parent(folder)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
    return tmp


@contextlib.contextmanager
def atomic_folder(folder: Path) -> Iterator[Path]:
    """Yield a temporary folder that becomes ``folder`` only if the block completes."""
    tmp = _fresh_temporary(folder)
    try:
        with _os_errors(folder):
            yield tmp
            check_free(folder)
            tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _temporary(folder: Path) -> Path:
    """The hidden sibling written first: ``.NAME.tmp-PID`` (the name cut so it stays legal)."""
    return folder.parent / f".{folder.name[:200]}.tmp-{os.getpid()}"


def _make_parent(folder: Path) -> None:
    """Create the folders above ``folder``; name the part of the path that is not a folder."""
    for part in reversed([folder.parent, *folder.parent.parents]):
        if part.is_symlink() and not part.exists():
            raise OutputError(f"cannot write the run folder: '{part}' is a symbolic link to "
                              "nowhere", file=str(folder),
                              valid="create the folder it points to, or choose another --out")
        if part.exists() and not part.is_dir():
            raise OutputError(f"cannot write the run folder: '{part}' is a file, not a folder",
                              file=str(folder), valid="a path made of folders for --out")
    folder.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(folder.parent)


_TEMPORARY = re.compile(r"\..+\.tmp-([0-9]{1,9})")  # what _temporary names; group 1 is the pid


def clear_stale(parent: Path) -> None:
    """Remove temporary run folders (``.NAME.tmp-PID``) in ``parent`` whose process is dead.

    A run killed outright (SIGKILL, power cut) cannot clean up after itself; the next run in the
    same place does. Only folders named by our pattern, only for processes that no longer exist.
    """
    try:
        entries = list(os.scandir(parent))
    except OSError:  # a folder we may write but not list: nothing to tidy that we can see
        return
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match and entry.is_dir(follow_symlinks=False) and not _alive(int(match[1])):
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return True  # not a process we could have been (or it is us): leave it alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: alive
        return True
    return True


# errno -> (what went wrong, what to do)
_PROBLEMS = {
    errno.ENOSPC: ("the disk is full", "free some space, or choose a folder on another disk "
                                       "with --out"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, or choose a folder on another "
                                                "disk with --out"),
    errno.EROFS: ("the file system is read-only", "choose a writable folder with --out"),
    errno.EACCES: ("permission denied", "choose a folder you may write with --out"),
    errno.EPERM: ("permission denied", "choose a folder you may write with --out"),
    errno.ENAMETOOLONG: ("a name in the path is too long", "a shorter --out"),
    errno.EEXIST: ("the output folder appeared while this run was writing", "a new folder for "
                                                                            "--out"),
    errno.ENOTEMPTY: ("the output folder appeared while this run was writing", "a new folder for "
                                                                               "--out"),
}


@contextlib.contextmanager
def _os_errors(folder: Path) -> Iterator[None]:
    """Turn an operating-system error in the block into an :class:`OutputError` in words."""
    try:
        yield
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        code = exc.errno if isinstance(exc, OSError) else None
        if code not in _PROBLEMS:  # pyarrow's errors carry the errno only in their text
            code = next((c for c in _PROBLEMS if os.strerror(c) in str(exc)), code)
        default = (getattr(exc, "strerror", None) or str(exc),
                   "check the folder, or choose another with --out")
        problem, advice = _PROBLEMS.get(code, default)
        raise OutputError(f"cannot write the run folder: {problem}", file=str(folder),
                          valid=advice) from exc


def git_revision() -> str:
    """The checkout's commit (with ``-dirty`` if it has local changes), or ``unknown``: outside
    a checkout (an installed wheel) and where git or the repository is missing."""
    repo = paths.checkout()
    if repo is None:  # never ask git in site-packages: it could answer for another repository
        return "unknown"
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=repo, capture_output=True, text=True, timeout=5).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def metadata(scenario, seed: int, replicates: int, streams: list[str], **extra: Any) -> dict:
    """What is needed to reproduce and trust a result."""
    import mesa
    import numpy
    import pandas

    return {
        "scenario": scenario.name,
        "scenario_files": scenario.files,
        "scenario_hash": scenario.digest(),
        "seed": seed,
        "replicates": replicates,
        "seeding": SEEDING,
        "streams": list(streams),
        "package_version": sim.__version__,
        "model_version": sim.MODEL_VERSION,
        "git_revision": git_revision(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "mesa": mesa.__version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **extra,
    }


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def write_yaml(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
