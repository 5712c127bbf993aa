"""Every verb that writes a run folder: bad names and bad places get a clear message and exit 2,
nothing is half-written, nothing lands outside the chosen folder, no result is overwritten.

Runs go through :func:`sim.cli.main` in-process where that is enough, and through real
``python -m sim`` subprocesses where the point is a signal, a second process or a mount.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim import cli
from sim.outputs import run_folder

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
def test_the_default_folder_is_a_safe_slug_inside_runs(name, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    work.mkdir()
    tiny(work, name.format(outside=tmp_path / "outside"))
    monkeypatch.chdir(work)
    assert cli.main(["run", "tiny.yml", "--no-plots"]) == 0, capsys.readouterr().err
    made = [p for p in (work / "runs").iterdir()]
    assert len(made) == 1 and SAFE.fullmatch(made[0].name) and not made[0].name.startswith(".")
    assert (made[0] / "summary.csv").is_file()
    inside = {f"work/runs/{made[0].name}/{f.name}" for f in made[0].iterdir()}
    assert everything(tmp_path) == {"work", "work/tiny.yml", "work/runs",
                                    f"work/runs/{made[0].name}", *inside}


def test_compare_with_long_names_writes_inside_runs(tmp_path, monkeypatch, capsys):
    for k in (1, 2):
        (tmp_path / f"{k}.yml").write_text(TINY.format(name=f"{k}/" + "y" * 300))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compare", "1.yml", "2.yml", "--no-plots"]) == 0, capsys.readouterr().err
    [made] = (tmp_path / "runs").iterdir()
    assert made.name.startswith("compare-1-yyy") and len(made.name.encode()) < 120
    assert {p.name for p in (made / "scenarios").iterdir()} == {
        f"{k}_{run_folder.slug(f'{k}/' + 'y' * 300)}.yml" for k in (1, 2)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.yml", "2.yml", "runs"]
