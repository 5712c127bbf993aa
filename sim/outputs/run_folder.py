"""Run folders: written whole or not at all, never over an existing result.

Everything is written into a hidden sibling folder first and renamed into place at the end; if
anything fails on the way, the hidden folder is removed and the target does not appear.
"""

from __future__ import annotations

import contextlib
import datetime as dt
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
from sim.engine.rng import stream_id
from sim.errors import OutputError

REPO = Path(__file__).resolve().parents[2]


MAX_NAME_BYTES = 80  # of a folder name made from a scenario name; file systems allow 255


def slug(name: str) -> str:
    """A scenario name made safe as one folder name: letters, digits, ``.``, ``_`` and ``-`` only
    (no separator, no NUL, no leading dot), at most :data:`MAX_NAME_BYTES` bytes, never empty."""
    text = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFKC", name))
    text = text.encode()[:MAX_NAME_BYTES].decode(errors="ignore")
    return text.strip("._-") or "scenario"


def default_folder(name: str, root: Path = Path("runs")) -> Path:
    """``runs/<slug of name>-<YYYYmmdd-HHMMSS>``, with a counter if that exists already."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = root / f"{slug(name)}-{stamp}"
    k = 2
    while folder.exists():
        folder = root / f"{slug(name)}-{stamp}-{k}"
        k += 1
    return folder


def check_free(folder: Path) -> None:
    """Refuse, before any work, to write over an existing result."""
    if folder.exists():
        raise OutputError(
            "the output folder exists already; results are never overwritten",
            file=str(folder), valid="a new folder for --out, or remove the old one first")


@contextlib.contextmanager
def atomic_folder(folder: Path) -> Iterator[Path]:
    """Yield a temporary folder that becomes ``folder`` only if the block completes."""
    check_free(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        check_free(folder)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def git_revision() -> str:
    """The repository's commit (with ``-dirty`` if it has local changes), or ``unknown``."""
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=REPO, capture_output=True, text=True, timeout=5).stdout.strip()
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
        "seeding": ("replicate r draws stream s from numpy SeedSequence(seed, spawn_key=(r, "
                    "crc32(s))) with PCG64"),
        "streams": {name: stream_id(name) for name in streams},
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
