"""docs/teaching.md: every cookbook snippet is a scenario that ``sim validate`` accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main as cli
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "teaching.md"
BASELINE = ROOT / "scenarios" / "baseline.yml"
# The cookbook's snippets are fenced as ```yaml and start with "name:" (other YAML in the guide
# is a fragment and is not checked here).
SNIPPET = re.compile(r"```yaml\n(name:.*?)```", re.DOTALL)


def snippets() -> list[str]:
    return SNIPPET.findall(GUIDE.read_text(encoding="utf-8"))


def as_file(snippet: str, folder: Path) -> Path:
    """The snippet as a student saves it in scenarios/, with ``extends:`` pointing there."""
    assert "extends: baseline.yml" in snippet
    name = re.search(r"^name: (\S+)", snippet, re.MULTILINE).group(1)
    path = folder / f"{name}.yml"
    path.write_text(snippet.replace("extends: baseline.yml", f"extends: {BASELINE}"),
                    encoding="utf-8")
    return path


def test_the_cookbook_answers_the_three_questions_students_ask():
    text = "\n".join(snippets())
    assert len(snippets()) >= 3
    for kind in ("support_cut", "security_crisis", "agreement"):  # withdrawal, blockade, deal
        assert f"type: {kind}" in text


@pytest.mark.parametrize("index", range(len(snippets())))
def test_each_snippet_validates_against_the_shipped_baseline(index, tmp_path, capsys):
    path = as_file(snippets()[index], tmp_path)
    assert cli(["validate", str(path)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert ": ok (" in out and "silent" not in out  # every event reaches someone
    scenario = load_scenario(path)
    added = {e.key for e in scenario.events} - {e.key for e in load_scenario(BASELINE).events}
    assert added  # the snippet's events are really there


def test_a_broken_snippet_would_fail(tmp_path, capsys):
    broken = snippets()[0].replace("type: ", "type: not_a_kind_", 1)
    assert cli(["validate", str(as_file(broken, tmp_path))]) == 2


def test_the_guide_points_to_the_real_verbs_and_files():
    text = GUIDE.read_text(encoding="utf-8")
    for needed in ("sim handout", "--style slides", "--uncertainty", "trust_bands.png",
                   "dashboard", "90"):
        assert needed in text
