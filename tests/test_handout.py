"""``sim handout RUN_DIR``: one self-contained HTML file a student can read or print."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pytest
import yaml

from sim.cli import main as cli
from sim.engine.ensemble import run_ensemble
from sim.outputs.handout import GLOSSARY
from sim.outputs.run_writer import write_run
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SECOND_TERM = ROOT / "scenarios" / "trump_second_term.yml"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    scenario = load_scenario(SECOND_TERM).model_copy(update={"replicates": 4,
                                                            "horizon_months": 12})
    folder = tmp_path_factory.mktemp("runs") / "second_term"
    write_run(run_ensemble(scenario), folder)
    return folder


@pytest.fixture(scope="module")
def handout(run_dir, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("handouts") / "handout.html"
    assert cli(["handout", str(run_dir), "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def images(page: str) -> list[str]:
    return re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', page)


def test_every_figure_of_the_run_is_embedded_and_none_is_broken(run_dir, handout):
    sources = images(handout)
    figures = sorted((run_dir / "plots").glob("*.png"))
    assert len(figures) >= 5 and len(sources) == len(figures)
    for src in sources:
        assert src.startswith("data:image/png;base64,"), src[:40]
        assert base64.b64decode(src.split(",", 1)[1], validate=True).startswith(PNG)
    embedded = {base64.b64decode(s.split(",", 1)[1]) for s in sources}
    assert embedded == {p.read_bytes() for p in figures}  # each figure, whole


def test_no_outside_resources(handout):
    assert not re.search(r'(src|href)="(?!data:|#)', handout)
    assert "<link" not in handout and "<script" not in handout


def test_every_quote_of_the_scenarios_events_is_on_the_page(run_dir, handout):
    events = yaml.safe_load((run_dir / "scenario.yml").read_text(encoding="utf-8"))["events"]
    quotes = [e["quote"] for e in events if e.get("quote")]
    assert len(quotes) > 10
    text = html.unescape(handout)
    missing = [q for q in quotes if q not in text]
    assert not missing


def test_timeline_lists_dated_events_in_order(run_dir, handout):
    text = html.unescape(handout)
    for first, later in (("golden age summit", "steel tariffs"), ("steel tariffs", "auto tariffs")):
        assert text.index(first) < text.index(later)


def test_glossary_terms_and_sections_are_there(handout):
    text = html.unescape(handout)
    for term in ("Trust", "Economic alignment", "Security alignment", "Kuik's hedging spectrum",
                 "Abandonment", "Entrapment"):
        assert term in GLOSSARY and f"<dt>{term}</dt>" in text
    for kuik in ("pure balancing", "dominance denial", "pure bandwagoning"):
        assert kuik in text
    for heading in ("Limitations", "Discussion questions", "Headline numbers"):
        assert heading in text


def test_headline_numbers_come_from_the_tables(run_dir, handout):
    import pandas as pd

    end = pd.read_csv(run_dir / "end_state.csv")
    row = end[(end["actor"] == "JPN") & (end["measure"] == "trust_in_patron")].iloc[0]
    japan = re.search(r"<tr><th>Japan</th>(.*?)</tr>", handout).group(1)
    assert f"{100 * row['end_median']:.0f}%" in japan
    assert f"{100 * row['start']:.0f}%" in japan


def test_prints_in_sections(handout):
    assert "@media print" in handout and "break-before: page" in handout


def test_not_a_run_folder_is_refused_and_nothing_written(tmp_path, capsys):
    (tmp_path / "notes").mkdir()
    out = tmp_path / "h.html"
    assert cli(["handout", str(tmp_path / "notes"), "--out", str(out)]) == 2
    assert "not a run folder" in capsys.readouterr().err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


def test_an_existing_handout_is_never_overwritten(run_dir, tmp_path, capsys):
    out = tmp_path / "h.html"
    out.write_text("mine", encoding="utf-8")
    assert cli(["handout", str(run_dir), "--out", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "mine"
    err = capsys.readouterr().err
    assert "the handout exists already" in err and "output folder" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.html"]


def test_the_timeline_says_who_moved_in_a_class_game_and_with_whom_elsewhere():
    from sim.outputs.handout import CLASS_MOVE, _event_item
    from sim.play.moves import __file__ as moves_file

    assert CLASS_MOVE in Path(moves_file).read_text(encoding="utf-8")  # the two stay in step
    court = {"name": "r1-CHN-reengagement-JPN", "type": "reengagement", "actor": "JPN",
             "partner": "CHN", "source": CLASS_MOVE + "CHN courts JPN (re-engagement); game "
                                                    "'seminar', round 1, team CHN"}
    item = _event_item(court, "Jan 2025")
    assert "CHN courts JPN (re-engagement)" in item and "by JPN" not in item
    visit = {"name": "PM visit", "type": "reengagement", "actor": "JPN", "partner": "CHN"}
    assert "(reengagement by JPN with CHN)" in _event_item(visit, "Mar 2025")
