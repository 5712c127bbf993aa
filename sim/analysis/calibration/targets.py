"""Calibration targets: the first Trump term and the 2021 rebound, from the project's survey table.

Each target names a row of ``sim/evidence/data/surveys.csv`` (the value and its source come from
there: one source of truth) and adds what the fit needs: the actor playing the country, the
fieldwork month and the sample size n of the poll.

Sample sizes: Lowy polls about 1,200 adults (stated for 2017 and 2018; assumed for 2020-21, when
it polled more, so the error used is on the wide side); Pew about 1,000 per country (13,273
adults in 13 countries in 2020, 16,254 in 16 in 2021, 36,923 in 33 in 2019).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.calibration.measurement import CONFIDENCE, FAVOURABLE, SUPPORT, TRUST

SURVEYS = Path(__file__).parents[2] / "evidence" / "data" / "surveys.csv"
PEW_N, LOWY_N = 1000, 1200
# fieldwork months: Pew spring waves (2019: May-Oct; 2020: Jun-Aug; 2021: Mar-May), Lowy March
PEW_MONTH = {2017: 5, 2018: 5, 2019: 6, 2020: 7, 2021: 4}
LOWY_MONTH = 3
COUNTRY = {"JPN": "Japan", "KOR": "South Korea", "PHL": "Philippines", "AUS": "Australia",
           "EUR": "Europe (UK)"}


@dataclass(frozen=True)
class Target:
    """One poll the model must reproduce: ``construct`` of ``actor`` at fieldwork ``date``."""

    actor: str
    construct: str
    date: dt.date
    value: float  # share
    n: int
    source: str
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.actor} {self.construct} {self.date:%Y-%m}"


# (actor, construct, years)
_WANTED = (
    ("JPN", FAVOURABLE, (2017, 2018, 2019, 2020)),
    ("KOR", FAVOURABLE, (2017, 2019, 2020, 2021)),
    ("PHL", FAVOURABLE, (2017, 2019)),
    ("EUR", FAVOURABLE, (2018, 2020, 2021)),
    ("JPN", CONFIDENCE, (2017, 2018, 2020)),
    ("AUS", TRUST, (2017, 2018, 2020, 2021)),
    ("AUS", SUPPORT, (2017, 2018, 2019)),
)
# Left out, and why (listed in docs/VALIDATION.md):
EXCLUDED = {
    "Australia favourable view 2017 (48%)": "Australia's trust starts from Lowy's trust; its Pew "
    "favourable level would need a country offset the measurement model does not have",
    "confidence in the president before 2017": "it measures the person: Obama to Trump moved it "
    "54-71 points, which no trust model should fit",
    "Pew favourable 2021 in Japan, Australia and the Philippines": "no figure verified from a "
    "source (the 2021 report gives Japan only as 'around two-thirds'; the Philippines was not "
    "surveyed in 2020-21)",
    "Lowy trust 2019": "only 'steady' with 2020's 51% verified, not the figure itself",
}


def _month(construct: str, year: int) -> dt.date:
    if construct in (TRUST, SUPPORT):
        return dt.date(year, LOWY_MONTH, 1)
    return dt.date(year, PEW_MONTH[year], 1)


def load_targets(path: Path = SURVEYS) -> tuple[Target, ...]:
    """The calibration targets, values and sources read from the survey table."""
    table = pd.read_csv(path)
    out = []
    for actor, construct, years in _WANTED:
        for year in years:
            rows = table[(table.country == COUNTRY[actor]) & (table.measure == construct)
                         & (table.year == year) & (table.target == "United States")]
            if len(rows) != 1:
                raise ValueError(f"{COUNTRY[actor]} {construct} {year}: {len(rows)} rows in "
                                 f"{path.name}, expected 1")
            row = rows.iloc[0]
            n = LOWY_N if construct in (TRUST, SUPPORT) else PEW_N
            out.append(Target(actor, construct, _month(construct, year),
                              float(row.value_pct) / 100, n, str(row.source),
                              "" if pd.isna(row.note) else str(row.note)))
    return tuple(out)
