"""docs/predictions-2025.csv is what `python -m sim predict` makes from the stored posterior."""

from __future__ import annotations

import pandas as pd

from sim.analysis.calibration import predict
from sim.commands.predict import default_out


def test_stored_predictions_are_what_the_command_makes():
    assert predict.csv_text(predict.predictions()) == default_out().read_text(encoding="utf-8")


def test_predictions_name_month_and_construct_with_ordered_bands():
    table = pd.read_csv(default_out())
    assert {"Japan's trust in the US", "Australia's trust in the US",
            "Australia's support for the alliance", "Pew favourable view of the US",
            "Japan's preferred partner"} == set(table.quantity)
    assert table.month.str.match(r"2025-\d\d").all() and table.construct.notna().all()
    banded = table.dropna(subset=["low_5"])
    assert ((banded.low_5 <= banded["median"]) & (banded["median"] <= banded.high_95)).all()
    partner = table[table.quantity == "Japan's preferred partner"]
    assert partner["median"].sum() == 1.0 or abs(partner["median"].sum() - 1.0) < 0.002


def test_frozen_predictions_are_not_replaced_without_refreeze(tmp_path, capsys):
    from sim.cli import main as cli

    out = tmp_path / "predictions.csv"
    out.write_text("frozen earlier\n", encoding="utf-8")
    assert cli(["predict", "--out", str(out)]) == 2
    assert "frozen" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "frozen earlier\n"
    assert cli(["predict", "--out", str(out), "--refreeze"]) == 0
    assert out.read_text(encoding="utf-8") == predict.csv_text(predict.predictions())
