"""Sweep folders: a design, its outcomes chunk by chunk, and nothing lost to an interruption.

A sweep folder is created whole before any point runs (the design, the resolved scenario, the
metadata) and then fills in: each chunk of points is written to ``chunks/`` by an atomic rename
as it completes, so a killed sweep leaves only whole chunks behind, and ``sim sweep --resume DIR``
runs the rest. When every chunk is there, they are joined in design order into
``outcomes.parquet`` and ``status.json`` says the sweep is complete. The folder is read by
``sim sensitivity`` and ``sim discover``, through :mod:`sim.analysis.experiments.sweep_reader`,
which checks it against the contract this module writes.

Layout: ``design.json`` (method, samples, seed, replicates, inputs and their ranges),
``experiments.csv`` (``point`` and one column per input), ``scenario.yml``, ``metadata.json``,
``status.json``, ``chunks/chunk-NNNNNN.parquet``, and at the end ``outcomes.parquet`` (tidy:
``point``, ``replicate``, ``outcome``, ``value``).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

import sim
from sim.errors import OutputError, UserError
from sim.outputs.run_folder import check_free, metadata, write_json, write_yaml
from sim.scenario import Scenario

FILES = ("design.json", "experiments.csv", "scenario.yml", "metadata.json", "status.json")


def create(folder: Path, scenario: Scenario, design: dict, experiments: pd.DataFrame,
           outcomes: list[str], chunks: int) -> None:
    """Write the sweep's plan into a new folder (refusing an existing one)."""
    check_free(folder)
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    try:
        (tmp / "chunks").mkdir(parents=True)
        write_json(tmp / "design.json", {**design, "outcomes": outcomes, "chunks": chunks})
        experiments.to_csv(tmp / "experiments.csv", index=False, float_format="%.17g")
        write_yaml(tmp / "scenario.yml", scenario.as_dict())
        write_json(tmp / "metadata.json", metadata(scenario, design["seed"],
                                                   design["replicates"], []))
        write_json(tmp / "status.json", {"complete": False, "chunks": chunks, "done": 0})
        tmp.rename(folder)
    except OSError as exc:
        raise OutputError(f"cannot create the sweep folder: {exc.strerror or exc}",
                          file=str(folder), valid="a writable place for --out") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_plan(folder: Path) -> tuple[dict, pd.DataFrame, dict, dict]:
    """(design, experiments, metadata, status) of an existing sweep folder."""
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise UserError(f"{folder} is not a sweep folder (missing {', '.join(missing)})",
                        file=str(folder), valid="a folder written by `python -m sim sweep`")
    design = json.loads((folder / "design.json").read_text(encoding="utf-8"))
    experiments = pd.read_csv(folder / "experiments.csv")
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    status = json.loads((folder / "status.json").read_text(encoding="utf-8"))
    return design, experiments, meta, status


def check_resumable(folder: Path, meta: dict, scenario: Scenario | None = None) -> None:
    """Refuse to resume a sweep made by another model version, or for another scenario."""
    if meta.get("model_version") != sim.MODEL_VERSION or \
            meta.get("package_version") != sim.__version__:
        raise UserError(
            f"this sweep was made by alliance-sim {meta.get('package_version')} (model "
            f"{meta.get('model_version')}), not {sim.__version__} (model {sim.MODEL_VERSION}); "
            "its chunks would not match new ones", file=str(folder),
            valid="start a new sweep with this version")
    if scenario is not None and scenario.digest() != meta.get("scenario_hash"):
        raise UserError(f"this sweep was made for another scenario ({meta.get('scenario')})",
                        file=str(folder), valid="resume it without FILE, or start a new sweep")


def chunk_path(folder: Path, index: int) -> Path:
    return folder / "chunks" / f"chunk-{index:06d}.parquet"


def done(folder: Path, chunks: int) -> set[int]:
    """Indices of the chunks already written whole."""
    return {k for k in range(chunks) if chunk_path(folder, k).is_file()}


def write_chunk(folder: Path, index: int, table: pd.DataFrame) -> None:
    """Write one chunk's outcomes; it appears whole or not at all."""
    path = chunk_path(folder, index)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        table.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path.name}: {exc.strerror or exc}", file=str(folder),
                          valid="free space, then `python -m sim sweep --resume DIR`") from None


def finish(folder: Path, chunks: int) -> pd.DataFrame:
    """Join the chunks in design order into ``outcomes.parquet``; mark the sweep complete."""
    table = pd.concat([pd.read_parquet(chunk_path(folder, k)) for k in range(chunks)],
                      ignore_index=True)
    tmp = folder / f".outcomes.parquet.tmp-{os.getpid()}"
    table.to_parquet(tmp, index=False)
    os.replace(tmp, folder / "outcomes.parquet")
    write_json(folder / "status.json", {"complete": True, "chunks": chunks, "done": chunks})
    return table
