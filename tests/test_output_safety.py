"""Every verb that writes a run folder: bad names and bad places get a clear message and exit 2,
nothing is half-written, nothing lands outside the chosen folder, no result is overwritten.

Runs go through :func:`sim.cli.main` in-process where that is enough, and through real
``python -m sim`` subprocesses where the point is a signal, a second process or a mount.
"""

from __future__ import annotations

import datetime
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim import cli
from sim.outputs import run_folder

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)}

TINY = """\
name: {name}
start: 2025-01-01
horizon_months: 6
seed: 1
replicates: 1
events:
  - {{type: tariff, name: steel, date: 2025-03-01, targets: [JPN], sector: steel, rate: 0.25}}
"""

SAFE = re.compile(r"[\w.-]+")


def tiny(folder: Path, name: str = "tiny") -> Path:
    path = folder / "tiny.yml"
    path.write_text(TINY.format(name=name), encoding="utf-8")
    return path


def everything(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# --- 1. the default folder's name ------------------------------------------------------------

@given(st.text(max_size=400))
def test_a_slug_is_one_safe_bounded_visible_name(name):
    slug = run_folder.slug(name)
    assert slug and SAFE.fullmatch(slug), slug
    assert not slug.startswith(".") and slug not in (".", "..")
    assert len(slug.encode()) <= run_folder.MAX_NAME_BYTES


def test_a_slug_keeps_a_plain_name():
    assert run_folder.slug("trump_second_term") == "trump_second_term"
    assert run_folder.slug("日米同盟 2025") == "日米同盟-2025"


@pytest.mark.parametrize("name", ["'../../escaped'", "'{outside}/absolute'", '"nul\\0byte"',
                                  "x" * 300, "'.hidden'", "'..'", "'a/b\\\\c'"])
def test_a_hostile_name_is_refused_at_load_and_nothing_is_written(name, tmp_path, monkeypatch,
                                                                   capsys):
    """Two guards: the loader refuses the name (here), and the slug would be safe anyway
    (the property test above)."""
    work = tmp_path / "work"
    work.mkdir()
    tiny(work, name.format(outside=tmp_path / "outside"))
    monkeypatch.chdir(work)
    assert cli.main(["run", "tiny.yml", "--no-plots"]) == 2
    assert "at 'name'" in capsys.readouterr().err
    assert everything(tmp_path) == {"work", "work/tiny.yml"}


@pytest.mark.parametrize("name", ["../../escaped", "/abs/olute", "nul\0byte", "x" * 300,
                                  ".hidden", ".."])
def test_the_default_folder_of_any_name_is_inside_runs(name, tmp_path):
    folder = run_folder.default_folder(name, tmp_path / "runs")
    assert folder.parent == tmp_path / "runs" and SAFE.fullmatch(folder.name)
    assert not folder.name.startswith(".")


def test_compare_with_long_names_writes_inside_runs(tmp_path, monkeypatch, capsys):
    for k in (1, 2):
        (tmp_path / f"{k}.yml").write_text(TINY.format(name=f"{k} " + "y" * 98))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compare", "1.yml", "2.yml", "--no-plots"]) == 0, capsys.readouterr().err
    [made] = (tmp_path / "runs").iterdir()
    assert made.name.startswith("compare-1-yyy") and len(made.name.encode()) < 120
    assert {p.name for p in (made / "scenarios").iterdir()} == {
        f"{k}_{run_folder.slug(f'{k} ' + 'y' * 98)}.yml" for k in (1, 2)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.yml", "2.yml", "runs"]


# --- 2. an output that cannot be written --------------------------------------------------------

def no_work(*args, **kwargs):
    raise AssertionError("the run started although its output cannot be written")


@pytest.fixture
def unreachable(tmp_path, monkeypatch):
    """A folder with a regular file and a dangling symbolic link in it; computing is forbidden."""
    (tmp_path / "file.txt").write_text("a file\n")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    tiny(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sim.commands.progress.progress_bar", no_work)  # imported when run
    for verb in ("compare", "attribute", "patterns"):  # imported when loaded
        monkeypatch.setattr(f"sim.commands.{verb}.progress_bar", no_work)
    return tmp_path


@pytest.mark.parametrize("out, words", [
    ("file.txt/out", "'file.txt' is a file, not a folder"),
    ("file.txt/deeper/out", "'file.txt' is a file, not a folder"),
    ("dangling/out", "'dangling' is a symbolic link to nowhere"),
    ("dangling", "exists already"),
])
@pytest.mark.parametrize("verb", [["run", "tiny.yml"], ["compare", "tiny.yml", "tiny.yml"],
                                  ["attribute", "tiny.yml"], ["patterns", "tiny.yml"]])
def test_an_unwritable_out_is_refused_before_any_work(unreachable, capsys, verb, out, words):
    before = everything(unreachable)
    assert cli.main([*verb, "--out", out]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out}: ") and words in err and "\n  valid: " in err, err
    assert "Traceback" not in err
    assert everything(unreachable) == before


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "the disk is full"), (errno.EROFS, "the file system is read-only"),
    (errno.EACCES, "permission denied"), (errno.EDQUOT, "the disk quota is used up"),
    (errno.EIO, "Input/output error"),
])
def test_an_os_error_while_writing_is_a_message_and_leaves_nothing(tmp_path, monkeypatch, capsys,
                                                                   code, words):
    def fail(path, data):
        raise OSError(code, os.strerror(code), str(path))

    tiny(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(run_folder, "write_yaml", fail)
    assert cli.main(["run", "tiny.yml", "--out", "runs/out", "--no-plots"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: runs/out: cannot write the run folder: " + words), err
    assert "\n  valid: " in err
    assert list((tmp_path / "runs").iterdir()) == []


def test_an_arrow_error_without_errno_is_named_by_its_text(tmp_path):
    error = OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")
    with pytest.raises(run_folder.OutputError, match="the disk is full"):
        with run_folder.atomic_folder(tmp_path / "out"):
            raise error
    assert list(tmp_path.iterdir()) == []


def mounted(options: str, out: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """``python -m sim run`` into a fresh tmpfs mounted with ``options``, in a private mount
    namespace (root only); prints the exit code and what is left on the mount."""
    tiny(tmp_path)
    (tmp_path / "mount").mkdir()
    script = (f"mount -t tmpfs -o {options} tmpfs mount || exit 99; "
              f"{sys.executable} -m sim run tiny.yml --out {out} --no-plots; "
              "echo \"exit=$?\"; ls -A mount")
    return subprocess.run(["unshare", "--mount", "sh", "-c", script], cwd=tmp_path, env=ENV,
                          capture_output=True, text=True, timeout=300)


def can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "--mount", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
                          capture_output=True).returncode == 0


needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root to mount a tmpfs")


@needs_mount
def test_a_read_only_file_system_is_refused_for_real(tmp_path):
    done = mounted("ro", "mount/out", tmp_path)
    assert done.stdout.endswith("exit=2\n"), done.stdout + done.stderr
    assert "mount/out: cannot write the run folder: the file system is read-only" in done.stderr
    assert "Running" not in done.stdout and "Traceback" not in done.stderr


@needs_mount
def test_a_full_disk_is_a_message_and_leaves_an_empty_disk(tmp_path):
    done = mounted("size=16k", "mount/out", tmp_path)
    assert done.stdout.endswith("exit=2\n"), done.stdout + done.stderr  # nothing left on it
    assert "mount/out: cannot write the run folder: the disk is full" in done.stderr
    assert "Traceback" not in done.stderr


# --- 3. runs started in the same second --------------------------------------------------------

FROZEN = """\
import datetime, sys
from sim import cli
from sim.outputs import run_folder

class Clock:  # every process reads the same second
    UTC = datetime.UTC
    class datetime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2025, 1, 1, 12, 0, 0, tzinfo=tz)

run_folder.dt = Clock
sys.exit(cli.main(sys.argv[1:]))
"""


def test_two_processes_in_the_same_second_get_two_folders(tmp_path):
    tiny(tmp_path)
    (tmp_path / "frozen.py").write_text(FROZEN)
    command = [sys.executable, "frozen.py", "run", "tiny.yml", "--no-plots"]
    runs = [subprocess.Popen(command, cwd=tmp_path, env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    made = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert made == sorted(f"tiny-20250101-120000-{run.pid}" for run in runs)


def test_one_process_twice_in_the_same_second_gets_two_folders(tmp_path, monkeypatch):
    class Clock:
        class datetime:
            @staticmethod
            def now():
                return datetime.datetime(2025, 1, 1, 12, 0, 0)

    monkeypatch.setattr(run_folder, "dt", Clock)
    first = run_folder.prepare(None, "same", root=tmp_path)
    first.mkdir()  # its run finished
    second = run_folder.prepare(None, "same", root=tmp_path)
    assert first.name == f"same-20250101-120000-{os.getpid()}"
    assert second.name == first.name + "-2"


# --- 4. a run stopped by a signal --------------------------------------------------------------

STALLED = """\
import pathlib, sys, time
from sim import cli
from sim.engine import ensemble
from sim.outputs import run_folder

def stall(*args, **kwargs):  # say where we are, then wait for the signal
    pathlib.Path("stalled").touch()
    time.sleep(300)

if sys.argv[1] == "write":
    run_folder.write_yaml = stall
else:  # worker processes (spawned: they import this file, not as __main__) stall too
    ensemble.run_block = stall
if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[2:]))
"""


def stalled_run(folder: Path, where: str, *options: str) -> subprocess.Popen:
    """A real run that stops in the write or compute phase until it gets a signal."""
    tiny(folder)
    (folder / "stalled.py").write_text(STALLED)
    run = subprocess.Popen([sys.executable, "stalled.py", where, "run", "tiny.yml", "--out",
                            "runs/out", *options], cwd=folder, env=ENV, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    for _ in range(3000):  # a guard against a hang, not a timing test
        if (folder / "stalled").exists() or run.poll() is not None:
            break
        time.sleep(0.1)
    assert (folder / "stalled").exists(), run.communicate()
    return run


def test_sigterm_while_writing_cleans_up_and_exits_143(tmp_path):
    run = stalled_run(tmp_path, "write", "--no-plots")
    assert [p.name for p in (tmp_path / "runs").iterdir()] == [f".out.tmp-{run.pid}"]
    run.send_signal(signal.SIGTERM)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 128 + signal.SIGTERM, err
    assert err.endswith("terminated; nothing was written\n") and "Traceback" not in err
    assert list((tmp_path / "runs").iterdir()) == []


def test_sigterm_while_workers_compute_stops_them_too(tmp_path):
    run = stalled_run(tmp_path, "compute", "--workers", "2", "--replicates", "4", "--no-plots")
    run.send_signal(signal.SIGTERM)
    out, err = run.communicate(timeout=120)  # the stalled workers would otherwise wait 300 s
    assert run.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err
    assert list((tmp_path / "runs").iterdir()) == []


def _finished_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_run_leaves_a_temporary_folder_that_the_next_run_removes(tmp_path, monkeypatch,
                                                                          capsys):
    run = stalled_run(tmp_path, "write", "--no-plots")
    run.kill()
    run.communicate(timeout=120)
    runs = tmp_path / "runs"
    assert [p.name for p in runs.iterdir()] == [f".out.tmp-{run.pid}"]
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "tiny.yml", "--out", "runs/again", "--no-plots"]) == 0
    assert [p.name for p in runs.iterdir()] == ["again"]


def test_only_our_temporary_folders_of_dead_processes_are_removed(tmp_path):
    alive = subprocess.Popen(["sleep", "300"])
    try:
        dead = _finished_pid()
        for name in (f".a.tmp-{dead}", f".b.tmp-{alive.pid}", f".c.tmp-{os.getpid()}",
                     f"d.tmp-{dead}", f".e.tmp-{dead}x", f".f.tmp-{dead}-1", "g"):
            (tmp_path / name).mkdir()
            (tmp_path / name / "results.csv").write_text("kept?\n")
        (tmp_path / f".h.tmp-{dead}").write_text("a file, not our folder\n")
        (tmp_path / f".i.tmp-{dead}").symlink_to(tmp_path / "g")
        run_folder.prepare(tmp_path / "out", "ignored")
        left = sorted(p.name for p in tmp_path.iterdir())
    finally:
        alive.kill()
        alive.wait()
    assert left == sorted([f".b.tmp-{alive.pid}", f".c.tmp-{os.getpid()}", f"d.tmp-{dead}",
                           f".e.tmp-{dead}x", f".f.tmp-{dead}-1", "g", f".h.tmp-{dead}",
                           f".i.tmp-{dead}"])
    assert (tmp_path / "g" / "results.csv").exists()
