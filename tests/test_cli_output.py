"""Help and output that a person reads (issue 16, item 8).

Every flag the README documents for a command is in that command's
rendered ``--help`` (and is an option of it), and every option of a
command is documented in its README section; a fractional cycle time is
taken; ``sequence`` prints the sequence; ``simulate`` prints jobs an hour
and the product a year; the sweep table prints 96,663, not 9.666e+04.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from tests.test_fuzz_contract import run_cli as run

from taktplan.cli import app
from taktplan.cli.results import _fmt

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
JACKSON = str(ROOT / "benchmarks" / "instances" / "salbp" / "JACKSON.IN2")
LINE = str(ROOT / "examples" / "four_machine_line.toml")
TINY = ROOT / "tests" / "data" / "tiny_scenario.toml"
COMMANDS = ("plan", "balance", "sequence", "simulate", "sweep", "results",
            "optimize-buffers")
FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])")


def readme_section(command: str) -> str:
    """The README text under the heading that names ``taktplan COMMAND``
    alone, down to the next heading of the same or a higher level."""
    lines = README.splitlines()
    fence = False
    heading = []  # the heading lines (a "# " inside ``` is a comment)
    for i, line in enumerate(lines):
        if line.startswith("```"):
            fence = not fence
        heading.append(not fence and line.startswith("#"))
    for i, line in enumerate(lines):
        named = re.findall(r"`taktplan ([a-z-]+)", line)
        if heading[i] and named == [command]:  # its own heading
            level = len(line) - len(line.lstrip("#"))
            end = next((j for j in range(i + 1, len(lines))
                        if heading[j]
                        and re.match(rf"#{{1,{level}}} ", lines[j])),
                       len(lines))
            return "\n".join(lines[i:end])
    raise AssertionError(f"README has no section for taktplan {command}")


def documented_flags(section: str) -> set[str]:
    """Flags in the first cell of the section's tables and before the
    colon of its ``- `--flag`: ...`` bullets."""
    found: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            found |= set(FLAG.findall(line.split(" | ")[0]))
        elif line.startswith("- `-"):
            found |= set(FLAG.findall(line.split(": ")[0]))
    return found


def options(command: str) -> set[str]:
    """Every option string of a command (``--json``, ``-n``, ...)."""
    group = typer.main.get_command(app)
    cmd = group.commands[command]  # type: ignore[attr-defined]
    names: set[str] = set()
    for param in cmd.params:
        names |= {o for o in [*param.opts, *param.secondary_opts]
                  if o.startswith("-")}
    return names - {"--help"}


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_flags_are_in_help(command: str) -> None:
    """Each flag of the README's table (or list) for a command is shown
    by its --help and is one of its options."""
    documented = documented_flags(readme_section(command))
    code, out, err = run([command, "--help"])
    assert code == 0, err
    assert documented, f"no flag documented for {command}"
    for flag in documented:
        assert flag in options(command), (command, flag)
        assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", out), (
            command, flag)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_documented(command: str) -> None:
    """Each option of a command is named in its README section."""
    section = readme_section(command)
    missing = sorted(o for o in options(command)
                     if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])",
                                      section))
    assert not missing, (command, missing)


def test_balance_takes_a_fractional_cycle_time() -> None:
    """--cycle-time 13.5 on JACKSON (integer times): the 4 stations of
    cycle 13, reported at 13.5 with idle time against 13.5."""
    code, out, err = run(["balance", JACKSON, "--cycle-time", "13.5",
                          "--json"])
    assert code == 0, err
    got = json.loads(out)
    whole = json.loads(run(["balance", JACKSON, "--cycle-time", "13",
                            "--json"])[1])
    assert got["cycle_time"] == 13.5
    assert got["n_stations"] == whole["n_stations"] == 4
    assert got["status"] == "optimal"
    assert max(got["loads"]) <= 13
    code, text, _ = run(["balance", JACKSON, "--cycle-time", "13.5"])
    text = " ".join(text.split())  # rich wraps at the terminal's width
    assert "cycle time 13.5" in text
    assert "0.5" in text  # idle of a station loaded 13


def test_sequence_text_prints_the_sequence(tmp_path: Path) -> None:
    """Without --json the sequence itself is printed, in order."""
    cars = tmp_path / "cars.txt"
    cars.write_text("5 2 3\n1 2\n2 3\n0 2 1 0\n1 2 0 1\n2 1 1 1\n")
    code, text, err = run(["sequence", str(cars), "--time-limit", "2"])
    assert code == 0, err
    _, out, _ = run(["sequence", str(cars), "--time-limit", "2", "--json"])
    order = json.loads(out)["sequence"]
    assert "sequence" in text
    assert " ".join(str(c) for c in order) in text


def test_simulate_prints_jobs_per_hour() -> None:
    """A line in minutes: jobs/h first (60 x jobs per min), no
    'jobs/unit', flow time in minutes."""
    code, text, err = run(["simulate", LINE, "-n", "2", "--horizon",
                           "2000"])
    assert code == 0, err
    _, out, _ = run(["simulate", LINE, "-n", "2", "--horizon", "2000",
                     "--json"])
    jph = json.loads(out)["jobs_per_hour"]
    assert text.splitlines()[0].startswith(f"throughput {jph:,.2f} jobs/h")
    assert "jobs per min" in text and "jobs/unit" not in text
    assert re.search(r"flow time [\d.]+ min", text)


def test_simulate_scenario_prints_the_product_a_year(tmp_path: Path
                                                     ) -> None:
    """A plant scenario: the year's output in the product's own name."""
    text = TINY.read_text().replace(
        'name = "Tiny plant"', 'name = "Tiny plant"\nproduct = "engines"')
    text += "\n[simulation]\nreplications = 2\n"
    path = tmp_path / "engines.toml"
    path.write_text(text)
    code, out, err = run(["simulate", str(path)])
    assert code == 0, err
    year = [ln for ln in out.splitlines() if ln.startswith("per year")]
    assert len(year) == 1 and year[0].split()[3] == "engines", out
    assert "vehicles" not in out
    assert "jobs/h" in out


@pytest.mark.parametrize(("value", "shown"), [
    (96663.4, "96,663"), (0.7748264877107836, "0.7748"), (45.0912, "45.09"),
    (12.0, "12"), (0.0, "0"), (999.96, "1,000"), (2.5e-5, "2.500e-05"),
    (None, "-"), (float("nan"), "-"),
])
def test_sweep_table_numbers_are_readable(value: float | None,
                                          shown: str) -> None:
    """The sweep and results tables print fixed notation with thousands
    separators (the table printed 9.666e+04)."""
    assert _fmt(value) == shown
