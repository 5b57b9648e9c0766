"""Progress of the plan from Python and in the terminal (issue 16,
item 9)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.pipeline import plan
from taktplan.progress import in_notebook, stage_bars

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"
runner = CliRunner()


def test_plan_calls_the_callback_for_every_stage_rampup_too() -> None:
    """Each stage starts at 0 and ends at 1; ramp-up is a stage."""
    seen: list[tuple[str, float]] = []
    plan(TINY, replications=2, seed=1, progress=lambda s, f: seen.append(
        (s, f)))
    stages = list(dict.fromkeys(s for s, _ in seen))
    assert stages[:5] == ["capacity", "rampup", "balance", "sequence",
                          "simulate"]
    for stage in stages:
        done = [f for s, f in seen if s == stage]
        assert done[0] == 0.0 and done[-1] == 1.0
        assert done == sorted(done)


def test_finished_bars_keep_their_times() -> None:
    """After the block the bars are still drawn, at 100 % with a time."""
    out = io.StringIO()
    with stage_bars(Console(file=out, width=100)) as report:
        for stage in ("capacity", "rampup", "balance"):
            report(stage, 0.0)
            report(stage, 1.0)
    text = out.getvalue()
    for label in ("Capacity", "Ramp-up and stock", "Balancing"):
        line = next(x for x in text.splitlines() if x.startswith(label))
        assert "100%" in line and "0:00:0" in line


def test_terminal_plan_leaves_its_stage_bars(tmp_path: Path) -> None:
    """`taktplan plan` keeps a finished bar per stage on standard error."""
    got = runner.invoke(app, ["plan", str(TINY), "--replications", "2",
                              "--report", str(tmp_path / "r.html")])
    assert got.exit_code == 0, got.output
    for label in ("Capacity", "Ramp-up and stock", "Balancing",
                  "Sequencing", "Simulating a year"):
        assert label in got.stderr
    assert not in_notebook()
