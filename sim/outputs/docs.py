"""Tables of docs/ODD.md generated from the code, so the model description cannot drift from it.

The ODD document marks each generated block with a pair of comments::

    <!-- BEGIN GENERATED: parameters -->
    ...
    <!-- END GENERATED: parameters -->

:func:`render` replaces the inside of every block with the current output of its generator in
:data:`GENERATORS`; :func:`check` names the blocks that are out of date. ``python -m sim docs``
rewrites the document, ``python -m sim docs --check`` only reports.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from pathlib import Path

import yaml

# through the module, so a test can swap ``params.declarations``
import sim.evidence.params as params
from sim import paths
from sim.analysis.patterns.table import CONTROL_CEILING, PATTERN, SPECS
from sim.engine.mechanics.hedging import KUIK_SPECTRUM
from sim.engine.simulation import Simulation
from sim.errors import UserError
from sim.events import EVENT_TYPES, EventBase
from sim.evidence.actors import DEFAULT_ACTORS, SOURCES, ActorSpec, source_of
from sim.evidence.calibrated import CALIBRATED, FIT
from sim.measures import DYADIC, MEASURES
from sim.outputs import pattern_evidence, robustness, structures
from sim.scenario import load_scenario

# Markers stand on lines of their own, so a marker quoted inside a sentence is not one.
BLOCK = re.compile(r"^(<!-- BEGIN GENERATED: (?P<name>[\w-]+) -->\n)(?P<body>.*?)"
                   r"^(<!-- END GENERATED: (?P=name) -->)$", re.S | re.M)
BEGIN = re.compile(r"^<!-- BEGIN GENERATED: ([\w-]+) -->$", re.M)

# What each recorded measure means (units are in sim.measures).
DESCRIPTIONS = {
    "alignment_economic": "where the state's trade and economic policy sit between the "
                          "challenger and the patron; moves fast (Kuik 2008)",
    "alignment_security": "where its security policy sits on the same axis; moves slowly",
    "hedging": "1 - abs(economic + security) / 2: 0 with both axes at one pole, 1 when they "
               "cancel or both sit at 0 (derived when recorded)",
    "mixed_signals": "abs(economic - security) / 2: hedging as mixed signals (Kuik 2008; Lim & "
                     "Cooper 2015), 0 when the axes agree wherever they sit, 1 at opposite "
                     "poles (derived when recorded, next to hedging)",
    "threat": "perceived threat (Walt 1987), on the scale of the share of the public that sees "
              "a severe threat",
    "abandonment_fear": "threat x dependence x (1 - trust in the patron) (Snyder 1984)",
    "entrapment_fear": "trust in the patron x the patron's exposure x (1 - shared interest) "
                       "(Snyder 1984); its rise pulls the security target away from the patron",
    "defence_spending": "defence spending",
    "alliance_support": "public support for the alliance with the patron: lagged and inertial",
    "trust": "T[i, j], i's belief that j will honour its commitments: the Beta mean a / (a + b); "
             "1 on the diagonal",
    "ties": "partnership tie between two like-minded states; symmetric",
    "grievance_with_patron": "G[i, patron], i's grievance against the patron from costly "
                             "economic defections (kept for every pair in the state)",
    "trade_with_patron": "share of i's goods trade that is with the patron; tariffs divert it",
    "trade_with_challenger": "share of i's goods trade that is with the challenger",
}


def cell(value: object) -> str:
    """Text safe for one Markdown table cell: one line, pipes escaped, no stray HTML."""
    if isinstance(value, float):
        value = f"{value:g}"
    text = " ".join(str(value).split())
    return text.replace("|", r"\|").replace("<", "&lt;")


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


# --- the generators ---------------------------------------------------------------------------


def schedule() -> str:
    """The phases of one month, verbatim from ``Simulation.step``'s docstring."""
    return inspect.cleandoc(Simulation.step.__doc__)


def pattern_table() -> str:
    """The declared pattern table (:mod:`sim.analysis.patterns.table`), patterns first."""
    specs = sorted(SPECS, key=lambda p: (p.kind != PATTERN, p.number))
    rows = [[p.number, p.kind, p.claim, f"{p.quantity} ({p.unit})", p.rule, f"{p.threshold:.0%}",
             ", ".join(p.controls), p.source, p.fixed, p.note] for p in specs]
    return table(["#", "kind", "pattern", "quantity", "holds in a replicate if",
                  "must hold in at least", "controls (must hold in at most "
                  f"{CONTROL_CEILING:.0%})", "source", "fixed", "note"], rows)


def parameter_table() -> str:
    rows = [[f"`{d['name']}`", d["default"], d["unit"], f"[{d['low']:g}, {d['high']:g}]",
             d["doc"], d["source"].kind, _source_text(d["source"])]
            for d in params.declarations()]
    return table(["parameter", "default", "unit", "range", "meaning", "source kind", "source"],
                 rows)


def state_table() -> str:
    rows = [[f"`{name}`", "per state", unit, DESCRIPTIONS.get(name, "(undescribed)")]
            for name, unit in MEASURES.items()]
    rows += [[f"`{name}`", "per pair (i, j)", unit, DESCRIPTIONS.get(name, "(undescribed)")]
             for name, unit in DYADIC.items()]
    return table(["measure", "level", "unit / range", "meaning"], rows)


def actor_table() -> str:
    rows = []
    for code, a in DEFAULT_ACTORS.items():
        trust = "" if code == "US" else a.trust.get("US", a.trust_default)
        plan = "; ".join(f"{p.pct:g} by {p.date:%Y-%m}" for p in a.defence_plan)
        tier = "" if a.role == "patron" else a.commitment
        rows.append([f"`{code}`", a.name, a.role, tier, f"{a.location[0]:g}, "
                     f"{a.location[1]:g}", a.capability, a.dependence, trust, a.threat,
                     a.alignment_economic, a.alignment_security, a.alliance_support,
                     a.defence_spending, plan])
    return table(["code", "name", "role", "US commitment", "lat, lon", "capability",
                  "dependence", "trust in US", "threat", "econ. align.", "sec. align.",
                  "alliance support", "defence % GDP", "plan"], rows)


def actor_source_table() -> str:
    """Values with an evidence of their own, then the generic source of every actor field."""
    rows = [[f"`{code}`", f"`{field}`", _actor_value(DEFAULT_ACTORS[code], field), src.kind,
             _source_text(src)] for (code, field), src in SOURCES.items() if code != "*"]
    rows += [["all others", f"`{field}`", "", source_of("*", field).kind,
              _source_text(source_of("*", field))]
             for field in ActorSpec.model_fields if field != "name"]
    return table(["actor", "field", "value", "source kind", "source"], rows)


def event_table() -> str:
    rows = [[f"`{kind}`", cls.default_domain, _event_fields(cls), inspect.getdoc(cls),
             inspect.getdoc(cls.apply)] for kind, cls in EVENT_TYPES.items()]
    defaults = params.Parameters()
    weights = ", ".join(f"{k} {v:g}" for k, v in defaults.sector_salience().items())
    tiers = ", ".join(f"{k} {defaults.honour_factor(k):g}"
                      for k in ("treaty", "access", "partnership", "none"))
    return "\n\n".join([
        table(["type", "domain", "fields", "what it is", "what it does"], rows),
        f"Tariff salience by sector (parameters `salience_<sector>`): {weights}.",
        f"Honouring chance relative to a treaty (parameters `honour_<tier>`): {tiers}."])


def event_record_table() -> str:
    """Every event of the shipped scenarios, once (in the file that defines it): when, how its
    date and size are known, and its source."""
    rows, seen = [], set()
    for path in sorted(paths.scenario_dir().glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")).get("events") or []
        for event in raw:
            key = (path.name, event.get("name"))
            if key in seen:
                continue
            seen.add(key)
            when = (str(event["date"]) if "date" in event else
                    f"{event['probability']:g} per month" if "probability" in event
                    else f"month {event.get('month')}")
            known = event.get("date_known", "assumed")
            size = event.get("size_known", "assumed")
            quote = event.get("quote") and f"commentary: \"{event['quote']}\""
            text = " / ".join(x for x in (quote, event.get("source")) if x)
            rows.append([f"`{path.name}`", event.get("name", ""), event["type"], when,
                         f"**{known}**" if known == "assumed" else known,
                         f"**{size}**" if size == "assumed" else size, text])
    return table(["file", "event", "type", "when", "date", "size", "source"], rows)


def scenario_table() -> str:
    """The shipped scenarios: what each inherits and the first sentence of its description."""
    rows = []
    for path in sorted(paths.scenario_dir().glob("*.yml")):
        s = load_scenario(path)
        declared = yaml.safe_load(path.read_text(encoding="utf-8")).get("extends") or []
        parent = ", ".join([declared] if isinstance(declared, str) else declared)
        first = s.description.strip().split(". ")[0].rstrip(".") + "."
        rows.append([f"`{path.name}`", parent, f"{s.start:%Y-%m}", s.horizon_months,
                     len(s.events), first])
    return table(["file", "extends", "start", "months", "events", "what it plays"], rows)


def kuik_table() -> str:
    rows = [[label, f"mean of the two axes >= {cut:g}" if cut > -1e9 else "below every cut"]
            for cut, label in KUIK_SPECTRUM]
    return table(["label", "when"], rows) + (
        "\n\nThe two pure strategies also need both axes beyond +-0.75 (`kuik_label`).")


def calibration_table() -> str:
    fitted = ", ".join(f"`{k}` = {v:g}" for k, v in CALIBRATED.items())
    covered = sum(t["covered"] for t in FIT["targets"])
    intro = (f"{FIT['method']} on `{FIT['scenario']}`: {FIT['samples']} prior points x "
             f"{FIT['replicates']} replicates, seed {FIT['seed']}, {FIT['accepted']} kept "
             f"(tolerance {FIT['tolerance']:g}, RMS sampling-error z-score). Posterior medians, "
             f"the defaults: {fitted}. The posterior predictive 90% band covers **{covered} of "
             f"{len(FIT['targets'])} targets**; the full record is docs/VALIDATION.md.")
    rows = [[name, f"{p['median']:g}", f"{p['low']:g} to {p['high']:g}",
             f"{p['prior'][0]:g} to {p['prior'][1]:g}", p["bound"] or "-"]
            for name, p in FIT["parameters"].items()]
    return intro + "\n\n" + table(["parameter", "median", "90% interval", "prior", "on a bound"],
                                   rows)


def calibration_misses() -> str:
    lines = [f"- {DEFAULT_ACTORS[t['actor']].name}'s {t['construct']}, {t['date'][:7]}: survey "
             f"{100 * t['survey']:.0f}%, outside the model's 90% band {100 * t['low']:.0f}-"
             f"{100 * t['high']:.0f}%." for t in FIT["targets"] if not t["covered"]]
    return "\n".join(lines) or "- none: every target lies inside its 90% predictive band."


GENERATORS: dict[str, Callable[[], str]] = {
    "patterns": pattern_table,
    "actors": actor_table,
    "state": state_table,
    "schedule": schedule,
    "actor-sources": actor_source_table,
    "events": event_table,
    "event-record": event_record_table,
    "scenarios": scenario_table,
    "kuik": kuik_table,
    "parameters": parameter_table,
    "calibration": calibration_table,
    "calibration-misses": calibration_misses,
    "robustness": robustness.robustness_table,
    "validation-patterns": pattern_evidence.validation_block,
    "structures": structures.structures_block,
}


# --- rendering and checking -------------------------------------------------------------------


def generate(name: str) -> str:
    if name not in GENERATORS:
        raise KeyError(f"unknown generated block {name!r}; known: {', '.join(GENERATORS)}")
    return GENERATORS[name]()


def render(text: str) -> str:
    """``text`` with every generated block replaced by its current content."""
    return BLOCK.sub(lambda m: m.group(1) + generate(m["name"]) + "\n" + m.group(4), text)


def odd_path() -> Path:
    """docs/ODD.md of the source checkout; a wheel has no docs to rewrite."""
    root = paths.checkout()
    if root is None:
        raise UserError("this installation has no source checkout, so no docs/ODD.md to "
                        "regenerate", valid="run from a clone of the repository, or give "
                        "--path FILE")
    return root / "docs" / "ODD.md"


def document_paths() -> list[Path]:
    """The documents with generated blocks: the ODD, the README, the validation record and the
    comparison of rival structures."""
    return [odd_path(), odd_path().parents[1] / "README.md", odd_path().parent / "VALIDATION.md",
            odd_path().parent / "STRUCTURES.md"]


def check(path: str | Path) -> list[str]:
    """Names of the blocks in the document at ``path`` that differ from what the code gives."""
    text = Path(path).read_text(encoding="utf-8")
    stale = []
    for m in BLOCK.finditer(text):
        if m["name"] not in GENERATORS:
            stale.append(f"{m['name']} (unknown block)")
        elif m["body"] != generate(m["name"]) + "\n":
            stale.append(m["name"])
    closed = {m["name"] for m in BLOCK.finditer(text)}
    stale += [f"{name} (no END marker)" for name in BEGIN.findall(text) if name not in closed]
    return stale


# --- helpers ----------------------------------------------------------------------------------


def _source_text(source) -> str:
    text = f'"{source.text}"' if source.kind == "commentary" else source.text
    return text + (f" ({source.note})" if source.note else "")


def _actor_value(spec: ActorSpec, field: str) -> str:
    name, _, key = field.partition(".")
    value = getattr(spec, name)
    if key:
        return cell(value[key])
    if isinstance(value, dict):
        return ", ".join(f"{k} {v:g}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(f"{p.pct:g}% by {p.date:%Y-%m}" for p in value)
    return cell(value)


def _event_fields(cls: type[EventBase]) -> str:
    """The kind's own fields: name, choices, bounds, default and description."""
    parts = []
    for name, info in cls.model_fields.items():
        if name in EventBase.model_fields or name == "type":
            continue
        text = f"`{name}`"
        choices = typing.get_args(info.annotation)
        if typing.get_origin(info.annotation) is typing.Literal:
            text += " (" + " / ".join(choices) + ")"
        low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
        high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
        if low is not None and high is not None:
            text += f" in [{low:g}, {high:g}]"
        if not info.is_required():
            text += f", default {info.default}"
        if info.description:
            text += f": {info.description}"
        parts.append(text)
    return "; ".join(parts)
