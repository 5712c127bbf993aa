"""The evidence register: every parameter and actor value with its unit, range and source."""

from __future__ import annotations

import pandas as pd

from sim.evidence.actors import DEFAULT_ACTORS, ActorSpec, source_of
from sim.evidence.params import declarations

_ACTOR_FIELDS = ("capability", "dependence", "commitment", "defence_spending", "defence_plan",
                 "reactance", "economic_anchor", "alignment_economic", "alignment_security",
                 "threat", "alliance_support")


def register_table(include_actors: bool = False) -> pd.DataFrame:
    """One row per parameter (and, optionally, per actor value)."""
    rows = [{"name": d["name"], "value": d["default"], "unit": d["unit"],
             "range": f"[{d['low']}, {d['high']}]", "kind": d["source"].kind,
             "source": d["source"].describe()} for d in declarations()]
    if include_actors:
        rows += list(_actor_rows())
    return pd.DataFrame(rows)


def _actor_rows():
    for code, spec in DEFAULT_ACTORS.items():
        for field in _ACTOR_FIELDS:
            yield _row(code, field, getattr(spec, field), spec)
        for table in ("trust",):
            for other, value in getattr(spec, table).items():
                yield _row(code, f"{table}.{other}", value, spec)


def _row(code: str, field: str, value, spec: ActorSpec) -> dict:
    src = source_of(code, field)
    if isinstance(value, list):
        value = "; ".join(f"{p.date}: {p.pct}%" for p in value)
    return {"name": f"{code}.{field}", "value": value, "unit": "", "range": "",
            "kind": src.kind, "source": src.describe()}
