"""The role play in chromium against the real server: a lecturer and four teams play two rounds,
the server is restarted between them, and the game resumes where it was."""

from __future__ import annotations

import pytest
import yaml

ARM = "added to the goal (% of GDP): from 0 to 2"


@pytest.fixture
def open_page(browser):
    """Opens a page in a context of its own (its own session); every context is closed after
    the test: a page left open keeps polling and reconnecting for the rest of the test run."""
    contexts = []

    def open_(url: str):
        context = browser.new_context(viewport={"width": 1600, "height": 1400})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


def submit(page, round_: int) -> None:
    page.get_by_text(f"Submit for round {round_}").click()
    page.get_by_text(f"for round {round_} accepted").first.wait_for()


def test_four_teams_and_a_lecturer_play_two_rounds_across_a_restart(dashboard, open_page):
    visitor = open_page(dashboard.url + "/play")  # a student without the key
    visitor.get_by_text("No game is running yet").first.wait_for()
    lecturer = open_page(f"{dashboard.url}/play?key={dashboard.lecturer_key}")
    lecturer.get_by_text("Start the game").click()
    lecturer.get_by_text("Round 1 of 4").first.wait_for()
    visitor.get_by_text("Round 1 of 4").first.wait_for()  # without a reload: the page polls
    visitor.get_by_text("the lecturer's link, which has the key").first.wait_for()
    assert visitor.get_by_text("Run round 1 now").count() == 0

    teams = {code: open_page(f"{dashboard.url}/play/{code}")
             for code in ("US", "CHN", "JPN", "KOR")}
    japan = teams["JPN"]
    japan.get_by_label(ARM).fill("7")
    japan.get_by_label(ARM).press("Enter")
    japan.get_by_text("Submit for round 1").click()
    # refused, and said so in the page
    japan.get_by_text("pct must be a number from 0 to 2, got 7").first.wait_for()
    japan.get_by_label(ARM).fill("0.4")
    japan.get_by_label(ARM).press("Enter")
    for page in teams.values():
        submit(page, 1)
    lecturer.get_by_text("moved: arm").first.wait_for()  # the lecturer's page polls the game
    lecturer.get_by_text("Run round 1 now").click()
    lecturer.get_by_text("Round 1 report").first.wait_for()
    japan.get_by_text("Round 2 of 4").first.wait_for()  # the teams' pages follow
    visitor.get_by_text("Round 2 of 4").first.wait_for()  # and the read-only page
    japan.get_by_text("How the allies moved over the round").first.wait_for()

    submit(japan, 2)
    submit(teams["US"], 2)
    dashboard.restart()  # the server goes down mid-seminar

    japan.goto(f"{dashboard.url}/play/JPN")
    japan.get_by_text("Round 2 of 4").first.wait_for()
    japan.get_by_text("Your move this round: arm").first.wait_for()  # the pending move survived
    assert japan.get_by_label(ARM).input_value() == "0.4"  # and the form starts from it
    lecturer.goto(f"{dashboard.url}/play?key={dashboard.lecturer_key}")
    lecturer.get_by_text("Run round 2 now").click()
    lecturer.get_by_text("Round 2 report").first.wait_for()
    lecturer.get_by_text("Round 3 of 4").first.wait_for()

    played = yaml.safe_load((dashboard.games / "seminar" / "scenario.yml").read_text())
    names = {e.get("name") for e in played["events"]}
    assert {"r1-JPN-arm", "r1-US-tariff-JPN", "r2-JPN-arm", "r2-US-tariff-JPN"} <= names
    assert not {n for n in names if n and n.startswith(("r1-AUS", "r2-CHN"))}  # idle teams
