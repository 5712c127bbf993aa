"""Bad scenario files get a located, plain-words error, never a traceback; good ones resolve.

Each bad-input test checks the four things a student needs: what is wrong (the message), which
file (``.file``, the parent when the mistake is inherited), where in it (``.line`` and the dotted
``.where``), and what would be valid (``.valid``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.scenario.schema import ScenarioFile

REPO = Path(__file__).resolve().parent.parent

HEAD = """\
name: test
start: 2025-01-01
horizon_months: 48
seed: 1
replicates: 5
"""

INDIA = ("{name: India, role: partner, capability: 0.08, like_minded: true, "
         "location: [28.6, 77.2], offensive: 0.3, dependence: 0.2, defence_spending: 2.4, "
         "alignment_economic: 0.1, alignment_security: 0.2, threat: 0.6, alliance_support: 0.5}")

TARIFF = "{type: tariff, date: 2025-03-01, targets: [JPN], sector: steel, rate: 0.25}"

hypothesis_settings = settings(max_examples=25, deadline=None,
                               suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(folder: Path, text: str, name: str = "scenario.yml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing ``needle``: tests say which line they mean."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]


def assert_located(err: ScenarioError, path: Path, text: str, needle: str, where: str | None):
    assert err.file == str(path)
    assert err.line == line_of(text, needle), str(err)
    assert err.where == where, str(err)


# --- YAML itself ------------------------------------------------------------------------------


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    text = HEAD + "events:\n  - {type: tariff, rate: 0.25\n  - {type: rhetoric}\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert "YAML syntax error" in err.message
    assert err.file == str(path)
    assert err.line == line_of(text, "rhetoric") and err.column is not None
    assert f"starts on line {line_of(text, 'rate: 0.25')}" in err.message  # where the { opened
    assert "indentation" in err.valid


def test_tab_in_indentation_is_named(tmp_path):
    text = HEAD + "actors:\n\tJPN: {threat: 0.5}\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert "tab" in err.message and "spaces" in err.message
    assert err.line == line_of(text, "JPN") and err.column == 1


def test_duplicate_key_is_refused_with_both_lines(tmp_path):
    text = HEAD + "seed: 2\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "seed: 2", "seed")
    assert "given twice" in err.message
    assert f"first on line {line_of(text, 'seed: 1')}" in err.message
    assert "once" in err.valid


def test_duplicate_key_inside_an_event_is_refused(tmp_path):
    text = HEAD + "events:\n  - type: tariff\n    date: 2025-03-01\n    targets: [JPN]\n" \
                  "    sector: steel\n    rate: 0.25\n    rate: 0.5\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "rate: 0.5", "events[0].rate")


def test_unsafe_tag_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    text = HEAD + f"description: !!python/object/apply:os.system ['touch {marker}']\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert "!!python/object/apply:os.system" in err.message and "not allowed" in err.message
    assert err.line == line_of(text, "description")
    assert "no !! or ! tags" in err.valid
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(tmp_path):
    levels = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
    path = write(tmp_path, HEAD + "description:\n  " + "\n  ".join(levels) + "\n")
    err = error_of(path)
    assert "expands to more than" in err.message
    assert err.where.startswith("description")


def test_non_utf8_bytes_are_located(tmp_path):
    path = tmp_path / "latin1.yml"
    path.write_bytes(HEAD.encode() + b"description: caf\xe9\n")
    err = error_of(path)
    assert "not UTF-8" in err.message and "0xe9" in err.message
    assert err.line == HEAD.count("\n") + 1 and err.column == len("description: caf") + 1
    assert "UTF-8" in err.valid


def test_control_character_is_located(tmp_path):
    path = tmp_path / "nul.yml"
    path.write_bytes(HEAD.encode() + b"description: a\x00b\n")
    err = error_of(path)
    assert "#x0000" in err.message
    assert err.line == HEAD.count("\n") + 1


# --- The file as a whole ----------------------------------------------------------------------


def test_missing_file_suggests_a_near_name(tmp_path):
    write(tmp_path, HEAD, "baseline.yml")
    err = error_of(tmp_path / "baseline.yaml")
    assert "file not found" in err.message and "Did you mean 'baseline.yml'?" in err.message
    assert err.file == str(tmp_path / "baseline.yaml") and err.line is None


def test_a_folder_is_not_a_scenario(tmp_path):
    err = error_of(tmp_path)
    assert "folder" in err.message and err.file == str(tmp_path)


@pytest.mark.parametrize("text, kind", [("- start: 2025-01-01\n- seed: 1\n", "list"),
                                        ("just some words\n", "single text value")])
def test_a_file_that_is_not_a_mapping_is_refused(tmp_path, text, kind):
    path = write(tmp_path, text)
    err = error_of(path)
    assert "must be a mapping of keys" in err.message and kind in err.message
    assert err.line == 1 and "horizon_months" in err.valid


@pytest.mark.parametrize("text", ["", "# only a comment\n\n"])
def test_an_empty_file_is_refused(tmp_path, text):
    path = write(tmp_path, text)
    err = error_of(path)
    assert "empty" in err.message and err.file == str(path)
    assert "start" in err.valid


def test_missing_required_key_is_named(tmp_path):
    path = write(tmp_path, HEAD.replace("seed: 1\n", ""))
    err = error_of(path)
    assert "missing required key 'seed'" in err.message and "seed: 1" in err.valid


def test_absurd_replicates_are_refused_up_front(tmp_path):
    text = HEAD.replace("replicates: 5", "replicates: 900000")
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "replicates", "replicates")
    assert "GiB" in err.message and "at most" in err.valid


def test_replicates_above_the_schema_limit_are_refused(tmp_path):
    text = HEAD.replace("replicates: 5", "replicates: 100000000")
    err = error_of(write(tmp_path, text))
    assert err.where == "replicates" and "1,000,000" in err.valid


# --- Keys and types ---------------------------------------------------------------------------


def test_unknown_top_level_key_lists_valid_ones_and_guesses(tmp_path):
    text = HEAD + "horizon_month: 3\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "horizon_month:", "horizon_month")
    assert "unknown key 'horizon_month'" in err.message
    assert "Did you mean 'horizon_months'?" in err.message
    assert set(ScenarioFile.model_fields) <= set(err.valid.split(", "))


def test_unknown_event_key_beats_the_missing_key_it_causes(tmp_path):
    text = HEAD + "events:\n" + "  - " + TARIFF.replace("rate:", "rte:") + "\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "rte:", "events[0].rte")
    assert "unknown key 'rte'. Did you mean 'rate'?" in err.message
    assert err.valid.startswith("type, by, targets, sector, rate")  # the tariff's own keys first


def test_unknown_actor_field_guesses(tmp_path):
    text = HEAD + "actors:\n  JPN:\n    threats: 0.5\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "threats", "actors.JPN.threats")
    assert "Did you mean 'threat'?" in err.message and "drop" in err.valid


def test_wrong_type_for_a_whole_number(tmp_path):
    text = HEAD.replace("horizon_months: 48", "horizon_months: forty")
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "horizon_months", "horizon_months")
    assert err.message == "horizon_months must be a whole number from 1 to 600, got 'forty'"
    assert err.valid == "horizon_months: a whole number from 1 to 600"


def test_wrong_type_for_a_number_in_an_event(tmp_path):
    text = HEAD + "events:\n  - " + TARIFF.replace("0.25", "high") + "\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "high", "events[0].rate")
    assert "rate must be a number from 0 to 5, got 'high'" in err.message


@pytest.mark.parametrize("old, new, where", [
    ("replicates: 5", "replicates: true", "replicates"),
    ("start: 2025-01-01", "start: 0", "start"),
])
def test_lax_coercions_are_refused(tmp_path, old, new, where):
    # pydantic alone would read true as 1 and 0 as 1970-01-01
    text = HEAD.replace(old, new)
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, new, where)
    assert new.split(": ")[1] in err.message


def test_true_for_a_rate_is_refused(tmp_path):
    text = HEAD + "events:\n  - " + TARIFF.replace("0.25", "true") + "\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0].rate" and "got true" in err.message


def test_unquoted_norway_key_is_explained(tmp_path):
    text = HEAD + "actors:\n  NO: {threat: 0.5}\n"
    err = error_of(write(tmp_path, text))
    assert "must be text" in err.message and "quotes" in err.valid
    assert err.line == line_of(text, "actors")


def test_a_list_where_a_mapping_belongs(tmp_path):
    text = HEAD + "actors: [JPN, KOR]\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "actors" and "must be a mapping" in err.message
    assert "JPN: {threat: 0.8}" in err.valid


def test_event_that_is_not_a_mapping(tmp_path):
    text = HEAD + "events:\n  - tariff\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0]" and err.line == line_of(text, "- tariff")


def test_sector_typo_lists_sectors_and_guesses(tmp_path):
    text = HEAD + "events:\n  - " + TARIFF.replace("steel", "steal") + "\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0].sector" and "Did you mean 'steel'?" in err.message
    assert "aluminium" in err.valid


# --- Values out of range ----------------------------------------------------------------------


def test_trust_above_one_is_refused(tmp_path):
    text = HEAD + "actors:\n  JPN:\n    trust: {US: 1.4}\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "US: 1.4", "actors.JPN.trust.US")
    assert "must be a number from 0 to 1, got 1.4" in err.message
    assert "from 0 to 1" in err.valid


@hypothesis_settings
@given(trust=st.floats(min_value=1.0, max_value=100.0, exclude_min=True))
def test_any_trust_above_one_is_refused(tmp_path, trust):
    text = HEAD + f"actors:\n  KOR:\n    trust: {{JPN: {trust!r}}}\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert err.where == "actors.KOR.trust.JPN" and err.line == line_of(text, "trust:")
    assert repr(trust) in err.message


def test_actor_field_out_of_range(tmp_path):
    text = HEAD + "actors:\n  JPN:\n    threat: 1.4\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "threat", "actors.JPN.threat")
    assert err.message == "threat must be a number from 0 to 1, got 1.4"


def test_negative_rate_gives_the_range_and_its_meaning(tmp_path):
    text = HEAD + "events:\n  - " + TARIFF.replace("0.25", "-0.1") + "\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "rate", "events[0].rate")
    assert err.message == "rate must be a number from 0 to 5, got -0.1"
    assert err.valid == "rate: a number from 0 to 5 (0.25 = 25 per cent)"


@hypothesis_settings
@given(rate=st.one_of(st.floats(max_value=0.0, exclude_max=True, allow_infinity=False),
                      st.floats(min_value=5.0, exclude_min=True), st.just(math.nan)))
def test_any_rate_outside_0_to_5_is_refused(tmp_path, rate):
    text = HEAD + "events:\n  - " + TARIFF.replace("0.25", _yaml_float(rate)) + "\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0].rate" and "from 0 to 5" in err.message


def _yaml_float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    return ".inf" if value == math.inf else repr(value)


def test_nested_plan_point_out_of_range(tmp_path):
    text = HEAD + "actors:\n  JPN:\n    defence_plan: [{date: 2025-01-01, pct: 90}]\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "actors.JPN.defence_plan[0].pct"
    assert err.valid == "defence_plan[0].pct: a number from 0 to 50"


def test_negative_month_in_a_window_names_the_item(tmp_path):
    text = HEAD + "events:\n  - {type: security_crisis, location: TWN, probability: 0.1, " \
                  "window: [-1, 3]}\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0].window[0]"  # not pydantic's 'window.0.constrained-int'
    assert "a date" in err.message and "whole number of at least 0" in err.message


# --- Dates ------------------------------------------------------------------------------------


def test_impossible_date_is_located(tmp_path):
    text = HEAD.replace("2025-01-01", "2025-13-01")
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "2025-13-01", "start")
    assert "'2025-13-01' is not a real date" in err.message and "month" in err.message
    assert "YYYY-MM-DD" in err.valid


def test_impossible_quoted_date_names_the_month(tmp_path):
    text = HEAD + "events:\n  - " + TARIFF.replace("2025-03-01", "'2025-13-01'") + "\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0].date" and "month value is outside" in err.message


def test_text_that_is_not_a_date(tmp_path):
    text = HEAD.replace("2025-01-01", "next year")
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "start", "start")
    assert "start must be a date (YYYY-MM-DD" in err.message and "'next year'" in err.message


def test_a_date_with_a_time_is_refused(tmp_path):
    err = error_of(write(tmp_path, HEAD.replace("2025-01-01", "2025-01-01 10:00:00")))
    assert err.where == "start" and "2025-01-01T10:00:00" in err.message


# --- Events: types, actors, timing ------------------------------------------------------------


def test_unknown_event_type_guesses(tmp_path):
    text = HEAD + "events:\n  - " + TARIFF.replace("type: tariff", "type: tarif") + "\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "tarif", "events[0].type")
    assert "unknown event type 'tarif'. Did you mean 'tariff'?" == err.message
    assert "security_crisis" in err.valid


def test_event_without_type(tmp_path):
    text = HEAD + "events:\n  - " + TARIFF.replace("type: tariff, ", "") + "\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0]" and "no 'type'" in err.message and "tariff" in err.valid


def test_unknown_actor_in_an_event_guesses(tmp_path):
    text = HEAD + "events:\n  - " + TARIFF.replace("[JPN]", "[KOR, JPX]") + "\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "JPX", "events[0].targets[1]")
    assert "unknown actor 'JPX'. Did you mean 'JPN'?" == err.message
    assert "JPN" in err.valid.split(", ")


def test_event_naming_a_dropped_actor_says_where_it_was_dropped(tmp_path):
    text = HEAD + "actors:\n  UKR: {drop: true}\nevents:\n" \
                  "  - {type: support_cut, date: 2025-03-01, partner: UKR, fraction: 0.5}\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0].partner"
    assert f"dropped in scenario.yml, line {line_of(text, 'UKR: {drop')}" in err.message
    assert "UKR" not in err.valid.split(", ")


@pytest.mark.parametrize("timing, shown", [("date: 2029-01-01", "2029-01 (month 48)"),
                                           ("date: 2024-12-01", "2024-12 (month -1)"),
                                           ("month: 48", "2029-01 (month 48)")])
def test_event_outside_the_horizon(tmp_path, timing, shown):
    text = HEAD + "events:\n  - " + TARIFF.replace("date: 2025-03-01", timing) + "\n"
    err = error_of(write(tmp_path, text))
    assert err.where == f"events[0].{timing.split(':')[0]}"
    assert f"{shown} is outside the scenario's horizon (2025-01 to 2028-12" in err.message
    assert "months 0 to 47" in err.message and "from 0 to 47" in err.valid


def test_window_first_after_last(tmp_path):
    text = HEAD + "events:\n  - {type: security_crisis, location: TWN, probability: 0.1,\n" \
                  "     window: [2027-01-01, 2025-06-01]}\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "window", "events[0].window")
    assert "starts in 2027-01 (month 24), after it ends in 2025-06 (month 5)" in err.message
    assert "first not after last" in err.valid


def test_window_end_past_the_horizon_names_that_end(tmp_path):
    text = HEAD + "events:\n  - {type: security_crisis, location: TWN, probability: 0.1, " \
                  "window: [2025-06-01, 2030-01-01]}\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0].window[1]" and "2030-01" in err.message


@pytest.mark.parametrize("window, message", [("[2025-06-01]", "window needs 2 values"),
                                             ("soon", "window must be a list of 2 values"),
                                             ("[1, 2, 3]", "window has 3 items")])
def test_malformed_window_is_explained(tmp_path, window, message):
    text = HEAD + "events:\n  - {type: security_crisis, location: TWN, probability: 0.1, " \
                  f"window: {window}}}\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0].window" and message in err.message
    assert "[first, last]" in err.valid and "YYYY-MM-DD" in err.valid


@pytest.mark.parametrize("timing", ["date: 2025-03-01, month: 2", "window: [0, 3]", ""])
def test_event_timing_must_be_one_of_date_month_probability(tmp_path, timing):
    event = TARIFF.replace("date: 2025-03-01, ", "").replace("{", "{" + timing + ", " if timing
                                                               else "{")
    text = HEAD + "events:\n  - " + event + "\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "events[0]" and not err.message.startswith("Value error")
    assert "probability" in err.message and "window" in err.valid


# --- Actors -----------------------------------------------------------------------------------


def test_new_actor_missing_required_fields(tmp_path):
    text = HEAD + "actors:\n  IND: {name: India, role: partner}\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "IND", "actors.IND")
    assert "new actor" in err.message and "capability" in err.message
    assert "capability: a number from 0 to 1" in err.valid
    assert "like_minded: true or false" in err.valid


def test_misspelt_existing_actor_is_caught_as_a_new_one(tmp_path):
    text = HEAD + "actors:\n  JPM: {threat: 0.5}\n"
    err = error_of(write(tmp_path, text))
    assert "did you mean the existing actor 'JPN'?" in err.message


def test_dropping_an_unknown_actor(tmp_path):
    text = HEAD + "actors:\n  XYZ: {drop: true}\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "actors.XYZ.drop" and "no such actor" in err.message


def test_dropping_the_patron_points_at_the_drop(tmp_path):
    text = HEAD + "actors:\n  US: {drop: true}\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "US:", "actors.US.drop")
    assert "it is the patron" in err.message


def test_drop_with_other_fields_is_ambiguous(tmp_path):
    err = error_of(write(tmp_path, HEAD + "actors:\n  UKR: {drop: true, threat: 0.2}\n"))
    assert err.where == "actors.UKR.drop" and "threat" in err.message


def test_unknown_actor_in_a_trust_table(tmp_path):
    text = HEAD + "actors:\n  JPN:\n    trust: {XX: 0.4}\n"
    err = error_of(write(tmp_path, text))
    assert err.where == "actors.JPN.trust.XX" and "unknown actor 'XX'" in err.message


def test_unknown_patron(tmp_path):
    text = HEAD + "patron: XX\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "patron", "patron")


# --- Parameters -------------------------------------------------------------------------------


def test_unknown_parameter_guesses_and_lists(tmp_path):
    text = HEAD + "parameters:\n  forgeting: 0.9\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "forgeting", "parameters.forgeting")
    assert "Did you mean 'forgetting'?" in err.message
    assert "Valid parameters" not in err.message and "forgetting" in err.valid.split(", ")


@pytest.mark.parametrize("value, message", [("high", "must be a number"),
                                            ("true", "must be a number"),
                                            ("2", "outside its plausible range")])
def test_parameter_of_wrong_type_or_out_of_range(tmp_path, value, message):
    text = HEAD + f"parameters:\n  forgetting: {value}\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "forgetting", "parameters.forgetting")
    assert message in err.message
    assert err.valid == "forgetting: a number from 0.85 to 0.995 (retained per month)"


# --- Inheritance ------------------------------------------------------------------------------


def test_circular_extends_points_at_the_closing_extends(tmp_path):
    write(tmp_path, "extends: b.yml\n" + HEAD, "a.yml")
    b = write(tmp_path, "# b closes the loop\nextends: a.yml\n", "b.yml")
    err = error_of(tmp_path / "a.yml")
    assert err.file == str(b) and err.line == 2 and err.where == "extends"
    assert "circular 'extends': a.yml -> b.yml -> a.yml" in err.message


def test_a_file_extending_itself(tmp_path):
    path = write(tmp_path, "extends: scenario.yml\n")
    err = error_of(path)
    assert "circular" in err.message and err.line == 1


def test_extends_a_missing_file(tmp_path):
    text = HEAD + "extends: nothere.yml\n"
    path = write(tmp_path, text)
    err = error_of(path)
    assert_located(err, path, text, "extends", "extends")
    assert "'nothere.yml', does not exist" in err.message


def test_extends_a_folder(tmp_path):
    (tmp_path / "folder.yml").mkdir()
    err = error_of(write(tmp_path, "extends: folder.yml\n"))
    assert err.where == "extends" and "is a folder" in err.message


def test_error_in_the_parent_names_the_parent(tmp_path):
    parent_text = HEAD + "events:\n  - " + TARIFF.replace("0.25", "9") + "\n"
    parent = write(tmp_path, parent_text, "parent.yml")
    child = write(tmp_path, "extends: parent.yml\nname: child\n", "child.yml")
    err = error_of(child)
    assert_located(err, parent, parent_text, "rate: 9", "events[0].rate")


def test_inherited_event_outside_a_shorter_horizon(tmp_path):
    parent_text = HEAD + "events:\n  - " + TARIFF.replace("2025-03-01", "2027-06-01").replace(
        "{type", "{name: late, type") + "\n"
    parent = write(tmp_path, parent_text, "parent.yml")
    child = write(tmp_path, "extends: parent.yml\nhorizon_months: 12\n", "child.yml")
    err = error_of(child)
    assert_located(err, parent, parent_text, "late", "events[0].date")
    assert "horizon_months: 12 is set in child.yml" in err.message
    assert "remove_events: [late]" in err.valid


def test_remove_events_with_an_unknown_name(tmp_path):
    write(tmp_path, HEAD + "events:\n  - " + TARIFF.replace("{type", "{name: steel tariffs, type")
          + "\n", "parent.yml")
    text = "extends: parent.yml\nremove_events:\n  - steel tarifs\n"
    path = write(tmp_path, text, "child.yml")
    err = error_of(path)
    assert_located(err, path, text, "steel tarifs", "remove_events[0]")
    assert "Did you mean 'steel tariffs'?" in err.message and err.valid == "steel tariffs"


def test_remove_events_without_a_parent(tmp_path):
    err = error_of(write(tmp_path, HEAD + "remove_events: [anything]\n"))
    assert "inherits no named events" in err.valid


# --- Good input -------------------------------------------------------------------------------


def test_extends_with_add_change_drop_resolves(tmp_path):
    write(tmp_path, HEAD.replace("name: test", "name: parent") + """\
parameters: {forgetting: 0.95, negativity_bias: 2.5}
events:
  - {type: tariff, name: steel tariffs, date: 2025-03-01, targets: [JPN], sector: steel, rate: 0.25}
  - {type: security_crisis, name: strait crisis, probability: 0.02,
     window: [2025-06-01, 2027-12-01], location: TWN}
""", "parent.yml")
    child = write(tmp_path, f"""\
name: child
description: a child
extends: parent.yml
horizon_months: 36
actors:
  JPN: {{defence_spending: 1.7}}
  IND: {INDIA}
  UKR: {{drop: true}}
parameters: {{forgetting: 0.9}}
remove_events: [steel tariffs]
events:
  - {{type: rhetoric, name: jibe, month: 2, targets: [IND]}}
""", "child.yml")
    s = load_scenario(child)
    assert (s.name, s.horizon_months, s.seed, s.replicates) == ("child", 36, 1, 5)
    assert s.actors["JPN"].defence_spending == 1.7
    assert s.actors["JPN"].threat == pytest.approx(0.815)  # unchanged fields are inherited
    assert s.actors["IND"].name == "India" and s.actors["IND"].location == (28.6, 77.2)
    assert "UKR" not in s.actors
    assert s.parameter_overrides == {"forgetting": 0.9, "negativity_bias": 2.5}
    assert s.parameters.forgetting == 0.9 and s.parameters.negativity_bias == 2.5
    assert [e.key for e in s.events] == ["strait crisis", "jibe"]
    crisis = s.events[0]
    assert (crisis.first_month, crisis.last_month) == (5, 35)
    assert s.files == [str(child), str(tmp_path / "parent.yml")]


def test_empty_sections_and_quoted_dates_are_fine(tmp_path):
    text = HEAD.replace("2025-01-01", "'2025-01-01'") + "events:\nactors:\nremove_events:\n"
    s = load_scenario(write(tmp_path, text))
    assert s.events == [] and str(s.start) == "2025-01-01"


def test_a_byte_order_mark_is_tolerated(tmp_path):
    path = tmp_path / "bom.yml"
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert load_scenario(path).name == "test"


@pytest.mark.parametrize("path", sorted((REPO / "scenarios").glob("*.yml")), ids=lambda p: p.name)
def test_shipped_scenarios_load(path):
    scenario = load_scenario(path)
    assert scenario.horizon_months > 0 and scenario.actors


# --- Any corruption: a located error or a valid scenario, never a traceback ----------------------

GOOD = HEAD + f"""\
actors:
  JPN: {{defence_spending: 1.7}}
  IND: {INDIA}
parameters: {{forgetting: 0.95}}
events:
  - {TARIFF}
  - {{type: security_crisis, probability: 0.02, window: [2025-06-01, 2027-12-01], location: TWN}}
"""


@hypothesis_settings
@given(edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from("+-="),
                                st.sampled_from(list(":[]{},-'\"\t #&*!|>?%\n0a."))),
                      min_size=1, max_size=4))
def test_any_corrupted_file_gives_a_located_error_or_loads(tmp_path, edits):
    text = list(GOOD)
    for where, op, char in edits:
        i = int(where * len(text))
        if op == "+":
            text.insert(i, char)
        elif op == "-":
            del text[i]
        else:
            text[i] = char
    path = write(tmp_path, "".join(text))
    try:
        load_scenario(path)
    except ScenarioError as err:
        assert err.file == str(path) and err.line is not None, str(err)
        assert "Input should" not in err.message  # pydantic's words are always rephrased
