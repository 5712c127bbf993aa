"""Hostile or absurd input: deep, self-referential, endless or huge. Each gets a located error
(which file, where, what is wrong, what is valid) and exit code 2, never a traceback or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.errors import ScenarioError, problems
from sim.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent

HEAD = """\
start: 2025-01-01
horizon_months: 12
seed: 1
replicates: 2
"""


def error_of(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def validate(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m sim validate ARGS`` as a subprocess: exit code, stdout and stderr in order."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-m", "sim", "validate", *args], cwd=cwd,
                          env={**os.environ, "PYTHONPATH": path}, capture_output=True, text=True,
                          timeout=timeout)


def assert_refused(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.stderr.startswith("error: "), done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


# --- Deep and self-referential YAML ------------------------------------------------------------


def test_yaml_nested_3000_deep_is_refused_at_its_line(tmp_path):
    path = tmp_path / "deep.yml"
    path.write_text(HEAD + "description:\n  " + "[" * 3000 + "]" * 3000 + "\n")
    err = error_of(path)
    assert "nested" in err.message and err.line == 6 and err.file == str(path)
    assert "at most" in err.valid


def test_yaml_alias_that_contains_itself_is_refused(tmp_path):
    path = tmp_path / "alias.yml"
    path.write_text(HEAD + "description: &loop [1, *loop]\n")
    err = error_of(path)
    assert "contains itself" in err.message and err.line == 5
    assert err.where == "description[1]"  # the alias that closes the loop


def test_aliases_that_nest_deep_are_refused(tmp_path):
    lines = ["a0: &a0 [1]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 3000)]
    path = tmp_path / "chain.yml"
    path.write_text(HEAD + "description:\n" + "".join(f"  {line}\n" for line in lines))
    assert "nested" in error_of(path).message


def test_deep_yaml_from_the_command_line(tmp_path):
    (tmp_path / "deep.yml").write_text("a: " + "[" * 3000 + "]" * 3000 + "\n")
    (tmp_path / "alias.yml").write_text("a: &x [*x]\n")
    assert_refused(validate("deep.yml", cwd=tmp_path), "deep.yml, line 1")
    assert_refused(validate("alias.yml", cwd=tmp_path), "alias.yml, line 1", "contains itself")


# --- What 'extends' may name --------------------------------------------------------------------


def test_extends_a_symlink_loop(tmp_path):
    os.symlink("loop.yml", tmp_path / "loop.yml")
    path = tmp_path / "child.yml"
    path.write_text(HEAD + "extends: loop.yml\n")
    err = error_of(path)
    assert err.file == str(path) and err.line == 5 and err.where == "extends"
    assert "loop.yml" in err.message


@pytest.mark.parametrize("name, words", [
    ("a" * 5000 + ".yml", "5004 characters"),
    ("a" * 300 + ".yml", "cannot be opened"),
    ("a\0b.yml", "character"),
    ("a\x07b.yml", "character"),
], ids=["5000 characters", "300-character file name", "NUL", "bell"])
def test_extends_an_impossible_file_name(tmp_path, name, words):
    path = tmp_path / "child.yml"
    quoted = name.replace("\0", "\\0").replace("\x07", "\\a")
    path.write_text(HEAD + f'extends: "{quoted}"\n')
    err = error_of(path)
    assert err.line == 5 and err.where == "extends" and words in err.message, str(err)
    assert err.valid


def _chain(folder: Path, files: int) -> Path:
    """f0.yml <- f1.yml <- ... : each file extends the one before."""
    (folder / "f0.yml").write_text(HEAD)
    for i in range(1, files):
        (folder / f"f{i}.yml").write_text(f"extends: f{i - 1}.yml\n")
    return folder / f"f{files - 1}.yml"


def test_extends_chain_of_32_files_loads(tmp_path):
    assert len(load_scenario(_chain(tmp_path, 32)).files) == 32


def test_extends_chain_of_33_files_is_refused_where_it_goes_too_deep(tmp_path):
    err = error_of(_chain(tmp_path, 33))
    assert "more than 32" in err.message and err.where == "extends" and err.line == 1
    assert err.file.endswith("f1.yml")  # the extends that would be the 33rd file


@pytest.mark.parametrize("files", [500, 1000])
def test_long_extends_chain_is_refused_quickly(tmp_path, files):
    # a 500-deep chain took 19 s (quadratic), a 1,000-deep one ended in RecursionError
    _chain(tmp_path, files)
    assert_refused(validate(f"f{files - 1}.yml", cwd=tmp_path, timeout=10), "more than 32")


def _lattice(folder: Path, levels: int) -> Path:
    """Each level extends two files that both extend the level below: read naively, 2**levels
    files."""
    (folder / "l0.yml").write_text(HEAD)
    for i in range(1, levels + 1):
        for side in "ab":
            (folder / f"l{i}{side}.yml").write_text(f"extends: l{i - 1}.yml\n")
        (folder / f"l{i}.yml").write_text(f"extends: [l{i}a.yml, l{i}b.yml]\n")
    return folder / f"l{levels}.yml"


def test_shared_ancestors_are_read_once(tmp_path):
    assert len(load_scenario(_lattice(tmp_path, 15)).files) == 46  # 31 deep, 2**15 paths


def test_too_many_files_are_refused(tmp_path):
    for i in range(70):
        (tmp_path / f"p{i}.yml").write_text(HEAD)
    path = tmp_path / "wide.yml"
    path.write_text("extends: [" + ", ".join(f"p{i}.yml" for i in range(70)) + "]\n")
    err = error_of(path)  # itself and 63 parents are 64 files: the 64th parent is one too many
    assert "more than 64 files" in err.message and err.where == "extends[63]"


# --- Bounded reading -----------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_not_read():
    err = error_of(Path("/dev/zero"))
    assert "not a regular file" in err.message and err.file == "/dev/zero"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.yml")
    assert_refused(validate("pipe.yml", cwd=tmp_path, timeout=20), "not a regular file")


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.yml"
    with path.open("wb") as f:
        f.truncate(2**33)  # a sparse 8 GiB file: reading it whole would exhaust memory
    err = error_of(path)
    assert "MiB" in err.message and "under 1 MiB" in err.valid


# --- What validate accepted and run crashed on, and what would run for hours ---------------------


@pytest.mark.parametrize("start, months, where", [
    ("0001-01-01", 12, "start"),
    ("1677-06-01", 12, "start"),
    ("1899-12-01", 12, "start"),
    ("2260-01-01", 12, "start"),
    ("9999-06-01", 12, "start"),
    ("2200-06-01", 12, "horizon_months"),  # the start is fine, the end is not
])
def test_dates_outside_the_calendar_are_refused(tmp_path, start, months, where):
    path = tmp_path / "s.yml"
    path.write_text(HEAD.replace("2025-01-01", start).replace("12", str(months)))
    err = error_of(path)
    assert err.where == where and err.line == (1 if where == "start" else 2), str(err)
    assert "1900-01" in err.valid and "2200-12" in err.valid


def test_the_last_months_of_the_calendar_load(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(HEAD.replace("2025-01-01", "2199-01-01"))
    assert load_scenario(path).month_date(11).isoformat() == "2199-12-01"


def test_an_inherited_start_is_blamed_on_the_file_that_set_the_horizon(tmp_path):
    (tmp_path / "parent.yml").write_text(HEAD.replace("2025-01-01", "2195-01-01"))
    child = tmp_path / "child.yml"
    child.write_text("extends: parent.yml\nhorizon_months: 240\n")
    err = error_of(child)
    assert err.file == str(child) and err.where == "horizon_months" and "2214-12" in err.message


def test_patron_equal_to_challenger_is_refused(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(HEAD + "patron: CHN\n")
    err = error_of(path)
    assert err.line == 5 and err.where == "patron" and "both" in err.message
    assert "two different actors" in err.valid


def _actors(n: int) -> str:
    spec = ("{name: X, role: partner, capability: 0.01, like_minded: true, location: [0, 0], "
            "offensive: 0.1, dependence: 0.1, defence_spending: 1, alignment_economic: 0.1, "
            "alignment_security: 0.1, threat: 0.1, alliance_support: 0.5}")
    return "actors:\n" + "".join(f"  A{i}: {spec}\n" for i in range(n))


def test_64_actors_load(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(HEAD + _actors(64 - 10))  # ten come with the model
    assert len(load_scenario(path).actors) == 64


def test_65_actors_are_refused_at_the_65th(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(HEAD + _actors(1000 - 10))
    err = error_of(path)
    assert err.where == "actors.A54" and err.line == 6 + 54, str(err)
    assert "more than 64 actors" in err.message and "at most 64" in err.valid


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a\0b", "x" * 300, ".hidden",
                                  "a\\b", "tab\there"])
def test_unsafe_scenario_names_are_refused(tmp_path, name):
    path = tmp_path / "s.yml"
    quoted = name.replace("\\", "\\\\").replace("\0", "\\0").replace("\t", "\\t")
    path.write_text(HEAD + f'name: "{quoted}"\n')
    err = error_of(path)
    assert err.where == "name" and err.line == 5, str(err)
    assert "letters, digits" in err.valid


@pytest.mark.parametrize("name", ["baseline", "Trump's second term (2025-2029)", "日米同盟 2.0",
                                  "a" * 100])
def test_plain_scenario_names_load(tmp_path, name):
    path = tmp_path / "s.yml"
    path.write_text(HEAD + f'name: "{name}"\n')
    assert load_scenario(path).name == name


# --- Every file, every problem -------------------------------------------------------------------

MANY = HEAD + """\
colour: blue
events:
  - {type: tariff, date: 2025-03-01, targets: [JPN], sector: steel, rate: -1}
  - {type: rhetoric, date: 2025-04-01, by: US, targets: [JPN], tone: negative}
  - {type: tarif, date: 2025-05-01}
  - {type: tariff, date: 2025-03-01, targets: [JPN], sector: steal, rate: 0.2, sise: 3}
parameters: {forgeting: 0.9, weight_costly: -3}
"""


def test_every_independent_problem_of_a_file_is_reported_in_line_order(tmp_path):
    path = tmp_path / "many.yml"
    path.write_text(MANY)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    where = [e.where for e in problems(info.value)]
    assert where == ["colour"], where  # an unknown top-level key stops the file: nothing is sure


def test_every_event_actor_and_parameter_problem_is_reported(tmp_path):
    path = tmp_path / "many.yml"
    path.write_text(MANY.replace("colour: blue\n", ""))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    where = [e.where for e in err.errors]
    assert where == ["events[0].rate", "events[2].type", "events[3].sector", "events[3].sise",
                     "parameters.forgeting", "parameters.weight_costly"], where
    assert [e.line for e in err.errors] == [6, 8, 9, 9, 10, 10]
    assert err.line == 6 and err.where == "events[0].rate"  # the single-error API: the first


def test_validate_checks_every_file_and_reports_in_order(tmp_path):
    good = "name: good\n" + HEAD
    (tmp_path / "a_good.yml").write_text(good)
    (tmp_path / "b_bad.yml").write_text(MANY.replace("colour: blue\n", ""))
    (tmp_path / "c_good.yml").write_text(good)
    (tmp_path / "d_bad.yml").write_text(HEAD + "patron: CHN\n")
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", "a_good.yml", "b_bad.yml", "c_good.yml",
         "d_bad.yml"], cwd=tmp_path, env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stdout
    lines = done.stdout.splitlines()
    heads = [line for line in lines if not line.startswith(("error: ", "  valid: "))]
    assert heads == ["a_good.yml: ok (good; 10 actors, 0 events, 12 months from 2025-01, 2 "
                     "replicates; inherits a_good.yml)", "b_bad.yml: 6 problems",
                     "c_good.yml: ok (good; 10 actors, 0 events, 12 months from 2025-01, 2 "
                     "replicates; inherits c_good.yml)", "d_bad.yml: 1 problem",
                     "2 of 4 files have problems"]
    errors = [line for line in lines if line.startswith("error: ")]
    assert [e.split(",")[0] for e in errors] == ["error: b_bad.yml"] * 6 + ["error: d_bad.yml"]
    assert [int(e.split("line ")[1].split(",")[0]) for e in errors] == [6, 8, 9, 9, 10, 10, 5]


def test_validate_exits_0_when_every_file_is_good(tmp_path):
    (tmp_path / "a.yml").write_text(HEAD)
    (tmp_path / "b.yml").write_text(HEAD)
    done = validate("a.yml", "b.yml", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == ["a.yml", "b.yml"]
