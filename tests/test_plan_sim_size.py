"""The plan's simulation size is checked before balancing.

``plan --replications 1000`` on the built-in plant (about 4.9e6 events
a simulated year) balanced for about 13 s and only then was refused as
``<simulate>: horizon``. The cap now runs first and names the flag, or
the scenario file and its ``simulation.replications``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_bad_inputs import run

from taktplan.errors import InputError
from taktplan.pipeline import plan
from taktplan.plant.sim_size import events_before_balance
from taktplan.plant.stages import scenario_line
from taktplan.scenario.load import load_scenario_source
from taktplan.simulate.budget import estimated_events

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = ROOT / "src" / "taktplan" / "scenarios" / "lcv_plant.toml"
TINY = ROOT / "tests" / "data"


def _one_line(proc: object) -> str:
    lines = [ln for ln in proc.stderr.splitlines()  # type: ignore
             if ln.strip()]
    assert proc.returncode == 2, proc.stderr[-2000:]  # type: ignore
    assert "Traceback" not in proc.stderr  # type: ignore
    assert len(lines) == 1, proc.stderr  # type: ignore
    return lines[0]


@pytest.mark.parametrize("args", [
    ["plan", "--replications", "1000", "--quiet"],
    ["plan", "--replications", "1000", "--json"],
    ["compare", str(BUILTIN), str(BUILTIN), "--replications", "1000",
     "--json"],
    ["simulate", "--replications", "1000", "--json"],
])
def test_replications_flag_is_named_before_balancing(
        args: list[str], tmp_path: Path) -> None:
    """One line naming --replications, nothing written."""
    line = _one_line(run(args, tmp_path))
    assert line.startswith("error: <command line>: --replications: 1000 "
                           "simulated years would take at least"), line
    assert "<simulate>" not in line
    assert list(tmp_path.iterdir()) == []


def test_scenario_field_is_named_before_balancing(tmp_path: Path) -> None:
    """Set in the file, the file and its field are named, and the plan
    stops before its balance stage starts."""
    text = BUILTIN.read_text()
    assert "\nreplications = 10\n" in text
    path = tmp_path / "big.toml"
    path.write_text(text.replace("\nreplications = 10\n",
                                 "\nreplications = 1000\n", 1))
    stages: list[str] = []
    with pytest.raises(InputError) as caught:
        plan(path, progress=lambda stage, done: stages.append(stage))
    assert caught.value.source == str(path)
    assert caught.value.where == "simulation.replications"
    assert "balance" not in stages


@pytest.mark.parametrize("name", ["tiny_scenario.toml",
                                  "tiny_scenario_tight.toml"])
def test_estimate_before_balance_is_below_the_lines(name: str) -> None:
    """The early estimate never exceeds the balanced line's (it refuses
    only what the check after balancing would refuse)."""
    loaded = load_scenario_source(TINY / name)
    early = events_before_balance(loaded.scenario)
    plant = scenario_line(loaded.scenario, loaded.source)
    late = estimated_events(plant.line, plant.horizon_s, plant.warmup_s)
    assert 0.5 * late < early <= late


def test_compare_s_replications_name_the_first_file(tmp_path: Path) -> None:
    """``compare`` without ``--replications`` plans every file with the
    first file's replications: a later file refused for them is told
    to change the first file's ``simulation.replications`` (it was told
    ``--replications``, a flag nobody gave)."""
    first = tmp_path / "first.toml"
    first.write_text(BUILTIN.read_text().replace(
        "\nreplications = 10\n", "\nreplications = 1000\n", 1))
    with pytest.raises(InputError) as caught:
        plan(BUILTIN, replications=1000, replications_from=str(first),
             progress=False)
    assert caught.value.source == str(first)
    assert caught.value.where == "simulation.replications"
    with pytest.raises(InputError) as flagged:
        plan(BUILTIN, replications=1000, progress=False)
    assert flagged.value.where == "--replications"
