"""The command line on bad input: exit code 2, a located message, no traceback, nothing written.

Every case runs in-process through :func:`sim.cli.main` (fast), and a handful also as a real
``python -m sim ...`` subprocess, which proves the exit code and the absence of a traceback end to
end. Each case has its own folder, compared file by file before and after the command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim import cli

REPO = Path(__file__).resolve().parent.parent

GOOD = """\
name: good
start: 2025-01-01
horizon_months: 12
seed: 1
replicates: 2
events:
  - {type: tariff, name: steel tariffs, date: 2025-03-01, targets: [JPN], sector: steel, rate: 0.25}
"""

# name: (files to write, command after `python -m sim`, expected line in the message or None)
CASES: dict[str, tuple[dict[str, str | bytes], list[str], int | None]] = {
    "syntax": ({"bad.yml": GOOD + "actors:\n  JPN: {threat: 0.5\n"},
               ["validate", "bad.yml"], 10),
    "unknown_key": ({"bad.yml": GOOD + "horizon_month: 3\n"}, ["validate", "bad.yml"], 8),
    "negative_rate": ({"bad.yml": GOOD.replace("rate: 0.25", "rate: -1")},
                      ["validate", "bad.yml"], 7),
    "unknown_actor": ({"bad.yml": GOOD.replace("[JPN]", "[JPX]")}, ["validate", "bad.yml"], 7),
    "bad_date": ({"bad.yml": GOOD.replace("2025-03-01", "2025-13-01")},
                 ["validate", "bad.yml"], 7),
    "duplicate_key": ({"bad.yml": GOOD + "seed: 2\n"}, ["validate", "bad.yml"], 8),
    "unsafe_tag": ({"bad.yml": GOOD + "description: !!python/object/apply:os.getcwd []\n"},
                   ["validate", "bad.yml"], 8),
    "circular": ({"bad.yml": "extends: other.yml\n", "other.yml": "extends: bad.yml\n"},
                 ["validate", "bad.yml"], 1),
    "inherited": ({"parent.yml": GOOD.replace("rate: 0.25", "rate: 9"),
                   "bad.yml": "extends: parent.yml\nname: child\n"},
                  ["validate", "bad.yml"], 7),
    "not_utf8": ({"bad.yml": GOOD.encode() + b"description: caf\xe9\n"},
                 ["validate", "bad.yml"], 8),
    "empty": ({"bad.yml": ""}, ["validate", "bad.yml"], None),
    "missing": ({}, ["validate", "bad.yml"], None),
    "folder": ({"bad.yml/inside.txt": "a folder named like a scenario"},
               ["validate", "bad.yml"], None),
    "run_bad_file": ({"bad.yml": GOOD.replace("rate: 0.25", "rate: -1")},
                     ["run", "bad.yml", "--out", "out", "--no-plots"], 7),
    "run_zero_replicates": ({"good.yml": GOOD},
                            ["run", "good.yml", "--out", "out", "--replicates", "0"], None),
    "run_negative_replicates": ({"good.yml": GOOD},
                                ["run", "good.yml", "--out", "out", "--replicates", "-5"], None),
    "run_absurd_replicates": ({"good.yml": GOOD},
                              ["run", "good.yml", "--out", "out", "--replicates", str(10**12)],
                              None),
    "run_existing_out": ({"good.yml": GOOD, "out/results.csv": "earlier results\n"},
                         ["run", "good.yml", "--out", "out", "--replicates", "1", "--no-plots"],
                         None),
    "validate_good": ({"good.yml": GOOD}, ["validate", "good.yml"], None),
}


# The cases also run as real subprocesses; each costs about a second of imports, so only a few.
SUBPROCESS = ["syntax", "run_bad_file", "run_existing_out", "validate_good"]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    before: dict[str, bytes]  # every file in the case folder, before and after the command
    after: dict[str, bytes]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))}


def _prepare(folder: Path, files: dict[str, str | bytes]) -> dict[str, bytes]:
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return _snapshot(folder)


def _subprocess(folder: Path, name: str) -> Result:
    files, command, _ = CASES[name]
    before = _prepare(folder, files)
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run([sys.executable, "-m", "sim", *command], cwd=folder,
                          env={**os.environ, "PYTHONPATH": path},
                          capture_output=True, text=True, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr, before, _snapshot(folder))


@pytest.fixture(scope="module")
def processes(tmp_path_factory) -> dict[str, Result]:
    root = tmp_path_factory.mktemp("cli")
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(_subprocess, root / name, name) for name in SUBPROCESS}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture
def in_process(tmp_path, monkeypatch, capsys):
    """Run a case through sim.cli.main in its own folder; any exception is a failure."""

    def run(name: str) -> Result:
        files, command, _ = CASES[name]
        before = _prepare(tmp_path / name, files)
        monkeypatch.chdir(tmp_path / name)
        try:
            code = cli.main(command)
        except SystemExit as exc:  # argparse refuses a bad option value itself, with exit 2
            code = exc.code
        out, err = capsys.readouterr()
        return Result(code, out, err, before, _snapshot(tmp_path / name))

    return run


BAD = [name for name in CASES if name != "validate_good"]


def _expected_file(name: str) -> str:
    # an inherited mistake is reported in the parent; a loop, at the 'extends' that closes it
    return {"inherited": "parent.yml", "circular": "other.yml"}.get(name, "bad.yml")


def _check_bad(name: str, result: Result) -> None:
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    # a scenario's error starts the output; a bad option value follows argparse's usage line
    assert result.stderr.startswith("error: ") or "\npython -m sim run: error: argument" in (
        result.stderr)
    assert result.after == result.before  # nothing written, nothing removed
    line = CASES[name][2]
    if line is not None:
        assert f"error: {_expected_file(name)}, line {line}" in result.stderr
        assert "\n  valid: " in result.stderr


@pytest.mark.parametrize("name", BAD)
def test_bad_input_in_process(in_process, name):
    _check_bad(name, in_process(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in SUBPROCESS if n in BAD])
def test_bad_input_as_a_subprocess(processes, name):
    _check_bad(name, processes[name])


def test_missing_file_folder_and_empty_file_are_named(in_process):
    assert "error: bad.yml: file not found" in in_process("missing").stderr
    assert "error: bad.yml: this is a folder" in in_process("folder").stderr
    assert "error: bad.yml: the file is empty" in in_process("empty").stderr


def test_replicates_on_the_command_line_are_checked(in_process):
    zero = in_process("run_zero_replicates").stderr
    assert "argument --replicates: must be at least 1, got 0" in zero
    assert "must be at least 1, got -5" in in_process("run_negative_replicates").stderr
    absurd = in_process("run_absurd_replicates").stderr
    assert "GiB" in absurd and "at most" in absurd


def test_existing_out_folder_is_left_alone(processes):
    result = processes["run_existing_out"]
    assert "exists already" in result.stderr
    assert result.after["out/results.csv"] == b"earlier results\n"


def test_validate_accepts_a_good_file(processes):
    result = processes["validate_good"]
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("good.yml: ok") and result.stderr == ""


@pytest.mark.parametrize("argv", [
    ["patterns", "--replicates", "0"],
    ["patterns", "--seed", "-1"],
    ["compare", "scenarios/baseline.yml", "scenarios/baseline.yml", "--seed", "-1"],
    ["attribute", "scenarios/baseline.yml", "--replicates", "x"],
    ["calibrate", "--accept", "2"],
    ["calibrate", "--samples", "0"],
    ["predict", "--replicates", "0"],
    ["run", "scenarios/baseline.yml", "--workers", "0"],
])
def test_every_verb_checks_its_numbers_before_doing_anything(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"python -m sim {argv[0]}: error: argument --" in err and "Traceback" not in err


@pytest.mark.parametrize("orders", ["10001", str(10**9)])
def test_shapley_orders_are_bounded_before_any_work(orders, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sim.commands.attribute.progress_bar", None)  # any work would fail
    (tmp_path / "good.yml").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["attribute", "good.yml", "--shapley", "--orders", orders, "--out", "out"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"error: at '--orders': {orders} sampled orders is too many") and (
        "\n  valid: from 1 to 10000 orders" in err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.yml"]
