"""The corrected 2025 record (issue 8, item 1): each corrected event's date, size and source."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.scenario import load_scenario
from sim.scenario.schema import Scenario
from tests.conftest import SCENARIOS


def events(scenario: Scenario) -> dict[str, object]:
    return {t.event.name: t.event for t in scenario.events}


@pytest.fixture(scope="module")
def second_term_events(second_term):
    return events(second_term)


def test_the_outgoing_administration_blocked_nippon_steel_on_3_january(second_term_events):
    block = second_term_events["Nippon Steel deal blocked"]
    assert block.type == "investment_block" and block.action == "block"
    assert block.date == dt.date(2025, 1, 3) and block.date_known == "reported"
    assert block.value_bn == 14.9 and "3 Jan 2025" in block.source


def test_the_unilateral_announcement_came_at_the_february_summit(second_term_events):
    said = second_term_events["Nippon announcement"]
    assert said.date == dt.date(2025, 2, 7) and said.date_known == "reported"
    assert "Nippon Steel scrutiny" not in second_term_events  # it had no source


def test_the_june_approval_is_in_the_2025_record(second_term_events):
    approved = second_term_events["Nippon Steel deal approved"]
    assert approved.type == "agreement" and approved.action == "sign"
    assert approved.date == dt.date(2025, 6, 13) and approved.date_known == "reported"
    assert "Nippon Steel block" not in second_term_events


def test_the_july_deal_lowers_japans_car_tariff(second_term):
    by_name = events(second_term)
    cars = by_name["US-Japan deal: car tariff 15%"]
    assert cars.sector == "autos" and cars.rate == 0.15 and cars.targets == ["JPN"]
    assert cars.date > by_name["auto tariffs"].date
    deal = by_name["US-Japan trade deal"]
    assert deal.type == "agreement" and deal.action == "sign" and deal.targets == ["JPN"]
    assert deal.date == dt.date(2025, 7, 22)
    # no 'all goods' rate on top of 25% on cars for Japan any longer
    others = by_name["reciprocal rates 15%"]
    assert "JPN" not in others.targets


def test_the_july_package_is_a_partial_de_escalation_for_japan(second_term):
    """The deal month's cooperation plus the car cut outweigh the rise of the general rate."""
    p = second_term.parameters
    s = p.sector_salience()
    by_name = events(second_term)
    rise = (by_name["US-Japan deal: reciprocal rate 15%"].rate - 0.10) * s["all"]
    cut = (0.25 - by_name["US-Japan deal: car tariff 15%"].rate) * s["autos"]
    assert by_name["US-Japan trade deal"].severity + cut > rise > 0


def test_the_3_percent_call_is_a_nominees_words_not_a_standing_demand(second_term):
    call = events(second_term)["3% of GDP call (nominee)"]
    assert call.type == "rhetoric" and call.targets == ["JPN"]
    assert "Elbridge Colby" in call.quote and call.date == dt.date(2025, 3, 4)
    assert not [t for t in second_term.events if t.event.type == "defence_demand"]


def test_no_dated_event_is_made_from_the_general_sentence_on_allies(second_term):
    names = events(second_term)
    assert "allies' commitments questioned" not in names
    nato = names["NATO allies told: pay or no defence"]
    assert nato.targets == ["EUR"] and nato.date == dt.date(2025, 3, 6)


def test_words_about_ukraine_use_the_third_party_channel(second_term):
    for name in ("Russia's actions justified", "Ukraine blamed"):
        remark = events(second_term)[name]
        assert remark.type == "remark_about" and remark.about == "UKR"


def test_the_continued_scenario_keeps_friction_after_2025():
    scenario = load_scenario(SCENARIOS / "trump_second_term_continued.yml")
    start_2026 = (2026 - scenario.start.year) * 12
    friction = [t for t in scenario.events if t.event.probability
                and t.first_month >= start_2026 and getattr(t.event, "by", "") == "US"]
    assert friction and all("per month" in t.event.source for t in friction)
