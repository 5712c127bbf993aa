"""The model description (docs/ODD.md) and the code agree.

Generated tables must be current; the hand-written text must describe every mechanism, every phase
of the schedule, every state variable and every parameter; every citation in the code must be in
the references. Regenerate the tables with ``python -m sim docs``.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path

import pytest

import sim.evidence.params
from sim.commands import docs as docs_command
from sim.engine.simulation import Simulation
from sim.engine.world import Baseline, State
from sim.outputs import docs

ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "docs" / "ODD.md"
MECHANICS = sorted(p for p in (ROOT / "sim" / "engine" / "mechanics").glob("*.py")
                   if p.name != "__init__.py")
# Code whose docstrings state rules with citations: the mechanics and what events do.
CITING = [*MECHANICS, *sorted((ROOT / "sim" / "events").glob("*.py"))]
NAMED_IN_BRIEF = ("Snyder 1984", "Cha 2000", "Walt 1987", "Fearon 1997", "Kuik 2008",
                  "Crawford 2011", "Axelrod & Bennett 1993", "Press 2005",
                  "Leeds, Long & Mitchell 2000")
CITATION = re.compile(r"\b([A-Z][\w'-]+(?:(?:, | & |, & )[A-Z][\w'-]+)*)(?: et al\.)? (\d{4})\b")


@pytest.fixture(scope="module")
def text() -> str:
    return ODD.read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """The body of the level-2 section whose heading contains ``title``."""
    match = re.search(rf"^## [^\n]*{re.escape(title)}[^\n]*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"docs/ODD.md has no section '{title}'"
    return match.group(1)


def hand_written(text: str) -> str:
    """``text`` without its generated blocks: what a person wrote."""
    return docs.BLOCK.sub("", text)


def references(text: str) -> list[str]:
    return [line for line in section(text, "References").splitlines() if line.startswith("- ")]


def cited(citation: str, refs: list[str]) -> bool:
    """A reference line names every author of ``citation`` ("Leeds, Long & Mitchell 2000") and
    its year."""
    *authors, year = re.split(r", & |, | & | et al\. | ", citation.replace(" et al.", " et al. "))
    return any(year in line and all(a in line for a in authors if a != "et") for line in refs)


def code_citations() -> set[str]:
    """Citations in the docstrings of the mechanics and events, and in parameters' literature."""
    found = set()
    for path in CITING:
        for doc in re.findall(r'"""(.*?)"""', path.read_text(encoding="utf-8"), re.S):
            found.update(" ".join(m) for m in CITATION.findall(" ".join(doc.split())))
    for row in sim.evidence.params.declarations():
        if row["source"].kind == "literature":
            found.update(" ".join(m) for m in CITATION.findall(row["source"].text))
    return found


# --- generated tables ---------------------------------------------------------------------------


def test_generated_blocks_are_current():
    for document in docs.document_paths():
        assert docs.check(document) == [], f"{document} is out of date: run `python -m sim docs`"


def test_every_generator_has_a_block_in_the_documents():
    present = set()
    for document in docs.document_paths():
        present |= set(re.findall(r"^<!-- BEGIN GENERATED: ([\w-]+) -->$",
                                  document.read_text(encoding="utf-8"), re.M))
    assert present == set(docs.GENERATORS)


@pytest.mark.slow
def test_the_robustness_table_comes_from_a_real_sweep(tmp_path, monkeypatch):
    """`sim docs --robustness` on a tiny design: the folder it writes feeds the README block."""
    from sim.commands import docs as docs_command
    from sim.outputs import robustness

    tiny = ["--method", "sobol", "--samples", "4", "--replicates", "2", "--vary",
            "forgetting,tie_growth", "--outcome", "trust:JPN:US@low"]
    monkeypatch.setattr(robustness, "SWEEP", tiny)
    monkeypatch.setattr(robustness, "folder", lambda: tmp_path / "robustness")
    docs_command.rerun_robustness()
    assert {p.name for p in (tmp_path / "robustness").iterdir()} == {
        "design.json", "plots", "sensitivity.csv", "spread.csv"}
    table = robustness.robustness_table()
    assert "N = 4" in table and "`trust:JPN:US@low`" in table and "`forgetting`" in table


def test_a_changed_parameter_default_makes_the_parameters_block_stale(monkeypatch, tmp_path):
    real = sim.evidence.params.declarations

    def changed() -> list[dict]:
        rows = real()
        rows[0] = {**rows[0], "default": rows[0]["default"] + 1.0}
        return rows

    monkeypatch.setattr(sim.evidence.params, "declarations", changed)
    assert docs.check(ODD) == ["parameters"]
    fixed = tmp_path / "ODD.md"
    fixed.write_text(docs.render(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    assert docs.check(fixed) == []


def test_an_edited_table_or_a_broken_block_is_reported(tmp_path, text):
    copy = tmp_path / "ODD.md"
    edited = text.replace("| `forgetting` |", "| `forgetting_typo` |", 1)
    assert edited != text
    copy.write_text(edited + "\n<!-- BEGIN GENERATED: dangling -->\n", encoding="utf-8")
    assert docs.check(copy) == ["parameters", "dangling (no END marker)"]


def test_an_unknown_block_cannot_be_rendered():
    with pytest.raises(KeyError, match="unknown generated block 'nonsense'"):
        docs.render("<!-- BEGIN GENERATED: nonsense -->\n<!-- END GENERATED: nonsense -->\n")


def test_table_cells_escape_pipes_and_stay_on_one_line():
    assert docs.cell("a | b\nc") == r"a \| b c"
    rows = docs.table(["x"], [["1 | 2"]]).splitlines()
    assert rows[-1] == r"| 1 \| 2 |"


def test_every_parameter_and_measure_is_in_its_table():
    params_block, state_block = docs.parameter_table(), docs.state_table()
    for row in sim.evidence.params.declarations():
        assert f"| `{row['name']}` | {row['default']:g} |" in params_block
    for name in docs.DESCRIPTIONS:
        assert f"`{name}`" in state_block
    assert "(undescribed)" not in state_block, \
        "add the measure's meaning to sim.outputs.docs.DESCRIPTIONS"


# --- the command --------------------------------------------------------------------------------


def _run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    docs_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["docs", *argv])
    return args.func(args)


@pytest.mark.slow
def test_command_checks_then_rewrites_a_stale_document(tmp_path, text, capsys):
    copy = tmp_path / "ODD.md"
    copy.write_text(text.replace("| `forgetting` |", "| `stale` |", 1), encoding="utf-8")
    assert _run_command(["--check", "--path", str(copy)]) == 1
    assert "parameters" in capsys.readouterr().err
    assert copy.read_text(encoding="utf-8") != text  # --check writes nothing
    assert _run_command(["--path", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == text
    assert _run_command(["--check", "--path", str(copy)]) == 0


# --- the hand-written description -------------------------------------------------------------


def test_every_mechanism_module_is_described_in_the_submodels(text):
    submodels = hand_written(section(text, "Submodels"))
    missing = [p.name for p in MECHANICS if f"sim/engine/mechanics/{p.name}" not in submodels]
    assert not missing, f"describe these in section 7 of docs/ODD.md: {missing}"


def test_every_phase_of_the_step_is_in_the_scheduling_section(text):
    phases = re.findall(r"^\s*\d+\. (\w+)", Simulation.step.__doc__, re.M)
    assert len(phases) >= 9
    schedule = section(text, "scheduling")
    assert docs.schedule() in schedule  # the docstring verbatim (generated)
    written = hand_written(schedule)
    missing = [p for p in phases if f"**{p}**" not in written]
    assert not missing, f"explain these phases in the table of section 3: {missing}"


def test_every_state_variable_is_described_in_the_entities_section(text):
    entities = section(text, "Entities")
    names = [f.name for cls in (State, Baseline) for f in dataclasses.fields(cls)]
    missing = [n for n in names if f"`{n}`" not in entities]
    assert not missing, f"describe these in section 2 of docs/ODD.md: {missing}"


def test_every_parameter_is_placed_in_a_rule(text):
    described = hand_written(section(text, "Submodels"))
    missing = [row["name"] for row in sim.evidence.params.declarations()
               if f"`{row['name']}`" not in described]
    assert not missing, f"say where these enter, in section 7 of docs/ODD.md: {missing}"


def test_the_citations_named_in_the_brief_are_in_the_references(text):
    refs = references(text)
    missing = [c for c in NAMED_IN_BRIEF if not cited(c, refs)]
    assert not missing, f"add to the references of docs/ODD.md: {missing}"


def test_every_citation_in_the_code_is_in_the_references(text):
    refs = references(text)
    found = code_citations()
    assert set(NAMED_IN_BRIEF) <= found  # the scan sees what the brief names
    missing = sorted(c for c in found if not cited(c, refs))
    assert not missing, f"add to the references of docs/ODD.md: {missing}"
