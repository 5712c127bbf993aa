"""A student handout from a run folder: one self-contained HTML file that prints to PDF.

The page tells the scenario's story (its description), lists its events on a timeline with the
commentary's quotes (from the folder's ``scenario.yml``), gives the headline numbers at the low
point and the end (from ``summary.csv`` and ``end_state.csv``), embeds every figure of
``plots/`` as a base64 PNG, and closes with a glossary, the model's limitations in plain words
and discussion questions (:mod:`sim.outputs.handout_text`). Plain string building with
:func:`html.escape`: no template engine, no outside resource, so it opens offline.

The file is written whole or not at all, and never over an existing file.
"""

from __future__ import annotations

import base64
import contextlib
import os
from html import escape
from pathlib import Path

import pandas as pd
import yaml

from sim.engine.mechanics.hedging import KUIK_SPECTRUM, kuik_label
from sim.errors import OutputError, UserError
from sim.outputs.handout_text import GLOSSARY, LIMITATIONS, QUESTIONS
from sim.outputs.run_folder import check_free

NEEDED = ("scenario.yml", "summary.csv", "end_state.csv")
# What a student should look for in each standard figure; others are shown by file name.
CAPTIONS = {
    "trust_in_patron.png": "Trust in the patron, ally by ally: the line is the median of the "
                           "replicates, the shading the middle 80%. Numbers above the plot mark "
                           "the dated events of the timeline.",
    "alignment.png": "Where each ally stands on the economic and the security axis (-1 with the "
                     "challenger, +1 with the patron), over Kuik's spectrum in the background.",
    "defence_spending.png": "Defence spending (% of GDP) against each ally's own plan and the "
                            "patron's demand.",
    "trust_matrix.png": "Who trusts whom at the end: row trusts column, in percent.",
    "partnership_network.png": "Ties among the allies and partners at the end: thicker lines "
                               "are closer ties.",
    "trust_bands.png": "Two bands: dark is chance within the model (noise), light adds the "
                       "uncertainty about the model's parameters.",
}
ORDER = tuple(CAPTIONS)

STYLE = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #111; }
h1, h2, h3 { font-family: 'DejaVu Sans', Arial, sans-serif; }
section { margin-bottom: 2.5rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #bbb; padding: 0.3rem 0.7rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ol.timeline { list-style: none; padding-left: 0; border-left: 3px solid #1f3b73; }
ol.timeline li { margin: 0 0 1rem 1rem; }
.when { font-weight: bold; font-family: 'DejaVu Sans', Arial, sans-serif; }
blockquote { margin: 0.3rem 0 0.3rem 1rem; font-style: italic; color: #333; }
figure { margin: 1.5rem 0; break-inside: avoid; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.95rem; color: #333; }
dt { font-weight: bold; margin-top: 0.7rem; }
.small { font-size: 0.85rem; color: #444; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  section.page { break-before: page; page-break-before: always; }
  a { color: inherit; text-decoration: none; }
}
"""


def check_run_folder(folder: Path) -> None:
    """Refuse anything but a run folder written by ``sim run``, naming what is missing."""
    if not folder.is_dir():
        raise UserError("not a run folder: no such folder", file=str(folder),
                        valid="a folder written by 'python -m sim run'")
    missing = [name for name in NEEDED if not (folder / name).is_file()]
    if missing:
        raise UserError(f"not a run folder: {', '.join(missing)} missing", file=str(folder),
                        valid="a folder written by 'python -m sim run'")


def build(folder: Path) -> str:
    """The handout of the run folder ``folder`` as one HTML page."""
    folder = Path(folder)
    check_run_folder(folder)
    try:
        scenario = yaml.safe_load((folder / "scenario.yml").read_text(encoding="utf-8"))
        summary = pd.read_csv(folder / "summary.csv", keep_default_na=False)
        end = pd.read_csv(folder / "end_state.csv")
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise UserError(f"not a run folder: its tables cannot be read ({exc})",
                        file=str(folder)) from exc
    title = f"{scenario['name']}: what happens to trust in the alliance?"
    body = [story(scenario), timeline(scenario), headline(scenario, summary, end),
            figures(folder), glossary(), limitations(), questions()]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{escape(title)}</h1>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def write(folder: Path, out: Path) -> Path:
    """Write the handout of ``folder`` to ``out``: whole or not at all, never over a file."""
    page = build(folder)  # every check before anything touches the disk
    check_free(out, "handout")
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    try:
        tmp.write_text(page, encoding="utf-8")
        os.link(tmp, out)  # fails if ``out`` appeared meanwhile: never replaces it
    except FileExistsError as exc:
        raise OutputError("the handout exists already; it is never overwritten",
                          file=str(out), valid="another --out, or remove it first") from exc
    except OSError as exc:
        raise OutputError(f"cannot write the handout: {exc.strerror or exc}", file=str(out),
                          valid="a writable place for --out") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return out


# --- sections -----------------------------------------------------------------------------------

def story(scenario: dict) -> str:
    actors = scenario["actors"]
    patron, challenger = actors[scenario["patron"]]["name"], actors[scenario["challenger"]]["name"]
    return (f"<section>\n<h2>The story</h2>\n<p>{escape(' '.join(scenario['description'].split()))}"
            f"</p>\n<p class=\"small\">Simulated month by month from {escape(scenario['start'])} "
            f"for {scenario['horizon_months']} months, {scenario['replicates']} times over "
            f"(replicates) with seed {scenario['seed']}. The patron is {escape(patron)}, the "
            f"challenger {escape(challenger)}.</p>\n</section>")


def timeline(scenario: dict) -> str:
    """Dated events in date order, then the random shocks that may come in any month."""
    events = scenario.get("events") or []
    dated = sorted((e for e in events if e.get("date")), key=lambda e: str(e["date"]))
    chance = [e for e in events if not e.get("date")]
    items = [_event_item(e, escape(str(e["date"]))) for e in dated]
    parts = ["<section class=\"page\">\n<h2>Timeline of events</h2>",
             "<p class=\"small\">In quotation marks: the words of the commentary the event comes "
             "from. 'Date assumed' means the date is the model's guess.</p>",
             "<ol class=\"timeline\">", *items, "</ol>"]
    if chance:
        parts += ["<h3>Shocks that may happen in any month</h3>", "<ul>",
                  *(_event_item(e, f"chance {100 * float(e['probability']):.1f}% a month")
                    for e in chance), "</ul>"]
    return "\n".join(parts) + "\n</section>"


CLASS_MOVE = "the class's move: "  # how sim.play sources a team's move (sim/play/moves.py)


def _event_item(event: dict, when: str) -> str:
    source = str(event.get("source") or "")
    if source.startswith(CLASS_MOVE):  # a role-play team's: "CHN courts JPN (re-engagement)"
        what = source.removeprefix(CLASS_MOVE).split("; game")[0]
    else:
        who = ", ".join(str(event[k]) for k in ("by", "actor") if event.get(k))
        targets = event.get("targets") or []
        what = event["type"].replace("_", " ") + (f" by {who}" if who else "")
        what += f" on {', '.join(targets)}" if targets else ""
        what += f" with {event['partner']}" if event.get("partner") else ""
    guessed = event.get("date_known") == "assumed" and event.get("date")
    assumed = " (date assumed)" if guessed else ""
    quote = (f"\n<blockquote>\u201c{escape(event['quote'])}\u201d</blockquote>"
             if event.get("quote") else "")
    return (f"<li><span class=\"when\">{when}{assumed}</span>: <b>{escape(event['name'])}</b> "
            f"({escape(what)}){quote}</li>")


def headline(scenario: dict, summary: pd.DataFrame, end: pd.DataFrame) -> str:
    """Each ally's trust in the patron at the start, its low point and the end, and its stance."""
    patron = scenario["patron"]
    rows = []
    for code, spec in scenario["actors"].items():
        if spec["role"] not in ("ally", "partner"):
            continue
        mine = end[end["actor"] == code].set_index("measure")
        trust = summary[(summary["measure"] == "trust") & (summary["actor"] == code)
                        & (summary["partner"] == patron)].sort_values("month")
        if trust.empty or "trust_in_patron" not in mine.index:
            continue
        low = trust.loc[trust["median"].idxmin()]
        t = mine.loc["trust_in_patron"]
        econ = mine.loc["alignment_economic", "end_median"]
        sec = mine.loc["alignment_security", "end_median"]
        rows.append(
            f"<tr><th>{escape(spec['name'])}</th><td class=\"num\">{_pct(t['start'])}</td>"
            f"<td class=\"num\">{_pct(low['median'])} ({pd.Timestamp(low['date']):%b %Y})</td>"
            f"<td class=\"num\">{_pct(t['end_median'])} [{_pct(t['end_p10'])}-"
            f"{_pct(t['end_p90'])}]</td><td class=\"num\">{econ:+.2f}</td>"
            f"<td class=\"num\">{sec:+.2f}</td><td>{escape(kuik_label(econ, sec))}</td></tr>")
    name = scenario["actors"][patron]["name"]
    return ("<section class=\"page\">\n<h2>Headline numbers</h2>\n"
            f"<p>Trust in {escape(name)} (median share trusting) at the start, at its lowest "
            "point and at the end, with the middle 80% of replicates at the end in brackets; "
            "alignment at the end on each axis (-1 with the challenger, +1 with the patron) and "
            "the stance it puts the ally in on Kuik's spectrum.</p>\n<table>\n<tr><th>ally</th>"
            "<th>trust: start</th><th>low point</th><th>end [10-90%]</th><th>economic</th>"
            "<th>security</th><th>stance</th></tr>\n" + "\n".join(rows) + "\n</table>\n</section>")


def figures(folder: Path) -> str:
    paths = sorted((folder / "plots").glob("*.png"),
                   key=lambda p: (ORDER.index(p.name) if p.name in ORDER else len(ORDER), p.name))
    parts = ["<section class=\"page\">\n<h2>Figures</h2>"]
    for path in paths:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        caption = CAPTIONS.get(path.name, path.stem.replace("_", " "))
        parts.append(f"<figure><img src=\"data:image/png;base64,{data}\" "
                     f"alt=\"{escape(path.stem.replace('_', ' '))}\">"
                     f"<figcaption>{escape(caption)}</figcaption></figure>")
    if len(parts) == 1:
        parts.append("<p>This run was made without figures (--no-plots).</p>")
    return "\n".join(parts) + "\n</section>"


def glossary() -> str:
    items = [f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in GLOSSARY.items()]
    spectrum = ", ".join(name for _, name in KUIK_SPECTRUM)
    return ("<section class=\"page\">\n<h2>Glossary</h2>\n<dl>\n" + "\n".join(items) +
            f"\n</dl>\n<p class=\"small\">Kuik's spectrum, from the patron's side to the "
            f"challenger's: {escape(spectrum)}.</p>\n</section>")


def limitations() -> str:
    items = "\n".join(f"<li>{escape(text)}</li>" for text in LIMITATIONS)
    return (f"<section>\n<h2>Limitations: what the model cannot tell you</h2>\n<ul>\n{items}\n"
            "</ul>\n</section>")


def questions() -> str:
    items = "\n".join(f"<li>{escape(text)}</li>" for text in QUESTIONS)
    return (f"<section class=\"page\">\n<h2>Discussion questions</h2>\n<ol>\n{items}\n</ol>\n"
            "</section>")


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"
