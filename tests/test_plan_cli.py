"""`taktplan plan` on the built-in plant: summary, JSON, the report file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import taktplan
from taktplan.cli import app

runner = CliRunner()


def test_plan_json_has_capacity_numbers(tmp_path: Path) -> None:
    """--json prints the takt, the cycle and the ramp-up of the plant."""
    report = tmp_path / "r.html"
    result = runner.invoke(app, ["plan", "--json", "--report", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    cap = data["capacity"]
    assert cap["takt_s"] == pytest.approx(133.92)
    assert cap["planning_cycle_s"] == pytest.approx(120.528)
    assert cap["shifts_needed"] == 2
    assert sum(cap["daily_demand"].values()) == 403
    assert data["rampup"]["bridge_stock"] == pytest.approx(7200)
    assert data["report"] == str(report)
    assert report.exists()


def test_report_is_self_contained(tmp_path: Path) -> None:
    """The report inlines plotly.js and loads nothing from the network."""
    report = tmp_path / "r.html"
    result = runner.invoke(app, ["plan", "--quiet", "--report",
                                 str(report)])
    assert result.exit_code == 0
    assert result.stdout == ""
    text = report.read_text()
    assert 'id="verdict"' in text
    assert "Plotly" in text
    assert not re.search(r"<script[^>]*\ssrc=", text)
    assert not re.search(r"<link[^>]*\shref=", text)


def test_python_api_plan() -> None:
    """taktplan.plan() returns the stage results and a summary dict."""
    result = taktplan.plan()
    assert result.capacity.takt.takt_s == pytest.approx(133.92)
    assert taktplan.plan_to_dict(result)["capacity"]["shifts_needed"] == 2
