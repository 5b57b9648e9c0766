"""Hypothesis fuzz of the input contract (issue 21).

A valid scenario, a valid line and valid command lines are mutated value
by value: a leaf is replaced by NaN, an infinity, 1e308, 1e-300, a
negative number, a huge integer, a string, an empty list or table, or a
list nested deeper than the TOML reader allows. Each mutant is written as
TOML and read the way the CLI reads it, in this process. The contract:
either an :class:`InputError` of one line naming the file, or a valid
object whose cheap downstream work (the capacity stage and ramp-up of a
scenario; the work estimate, and a short run when it is small, of a line)
ends without another exception or a numpy overflow warning, within a CPU
budget. A command line gets exit 0, or exit 2 with one line on standard
error and nothing on standard output.

Examples are fixed (``derandomize=True``): the same mutants on every run.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import signal
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taktplan.errors import InputError
from taktplan.files import read_toml

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "data" / "tiny_scenario.toml"
LINE = ROOT / "examples" / "four_machine_line.toml"
SALBP = ROOT / "benchmarks" / "instances" / "salbp" / "JACKSON.IN2"
CSPLIB = b"5 2 3\n1 2\n2 3\n0 2 1 0\n1 2 0 1\n2 1 1 1\n"

#: Mutants per property (deterministic: derandomize=True).
SCENARIO_EXAMPLES = 120
LINE_EXAMPLES = 120
FLAG_EXAMPLES = 60
#: CPU seconds one example may take before it counts as a hang.
CPU_BUDGET_S = 60

T = TypeVar("T")


def _deep(levels: int) -> list[Any]:
    value: list[Any] = [1]
    for _ in range(levels - 1):
        value = [value]
    return value


#: Values that broke the contract in the hostile rounds, by kind.
HOSTILE: list[Any] = [
    math.nan, math.inf, -math.inf, 1e308, -1e308, 1e-300, -1e-300, -1,
    -1.5, 0, 0.0, 2**63, 2**64 + 1, 10**9, 10**30, -(2**70), "", "x" * 70,
    "1e308", True, [], {}, [math.nan], {"unknown": 1}, _deep(20),
    _deep(40),
]


def fixed(examples: int) -> settings:
    """Deterministic settings: ``examples`` mutants, no deadline."""
    return settings(max_examples=examples, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


# ---------------------------------------------------------------- helpers

def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any,
                                                                     ...]]:
    """The paths of every leaf (and of every table and list) of a dict."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))


def replaced(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced (unchanged
    when an earlier replacement removed the path)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if not isinstance(data, dict | list) or (
            isinstance(data, dict) and head not in data) or (
            isinstance(data, list) and not (isinstance(head, int)
                                            and head < len(data))):
        return data
    out = dict(data) if isinstance(data, dict) else list(data)
    out[head] = replaced(data[head], rest, new)
    return out


def toml_value(value: Any) -> str:
    """``value`` as a TOML value (tables inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}"
                           for k, v in value.items()) + "}"


def toml_key(key: str) -> str:
    """A bare key where TOML allows one, else a quoted one."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def to_toml(data: dict[str, Any]) -> str:
    """A whole TOML document: one ``key = value`` line per top-level key."""
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n"
                   for k, v in data.items())


class Hang(Exception):
    """One example used more CPU time than :data:`CPU_BUDGET_S`."""


@contextlib.contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` once this process used ``seconds`` of CPU."""
    def stop(signum: int, frame: object) -> None:
        raise Hang(f"more than {seconds} CPU s: not bounded")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def within_contract(path: Path, call: Callable[[], T]) -> T | None:
    """Run ``call``: its value, or None after a one-line InputError naming
    ``path``. Any other exception, a RuntimeWarning (numpy overflow) or a
    CPU budget overrun fails the test."""
    with warnings.catch_warnings(), cpu_budget(CPU_BUDGET_S):
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return call()
        except InputError as exc:
            assert "\n" not in exc.message, exc.message
            assert str(path) in exc.message, exc.message
            return None


#: Factors a number is scaled by: magnitudes that stay valid for one key
#: and make the work explode (or vanish) for another.
SCALES = [0, -1, 1e-300, 1e-6, 0.01, 0.5, 2, 10, 1e3, 1e6, 1e9, 1e12,
          1e308]


def value_at(data: Any, path: tuple[Any, ...]) -> Any:
    """The value at ``path`` (``None`` when it is gone)."""
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


@st.composite
def mutants(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with one to three values replaced by hostile ones or
    numbers scaled to extreme magnitudes."""
    paths = sorted(leaves(base), key=repr)
    numbers = [p for p in paths if isinstance(value_at(base, p), int | float)
               and not isinstance(value_at(base, p), bool)]
    data = base
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        if draw(st.integers(0, 2)):
            path = draw(st.sampled_from(numbers))
            old = value_at(base, path)
            new: Any = old * draw(st.sampled_from(SCALES))
            if isinstance(old, int) and math.isfinite(new):
                new = int(new)
        else:
            path = draw(st.sampled_from(paths))
            new = draw(st.sampled_from(HOSTILE))
        data = replaced(data, path, new)
    return data


# ------------------------------------------------------------- scenario

def fuzz_scenario() -> dict[str, Any]:
    """The tiny plant with every kind of key the hostile rounds hit: a
    fixed segment with failures, a buffer and parallel stations, a
    station's own reliability, a stated sequencing rule, the simulation."""
    raw = read_toml(SCENARIO)
    raw["segments"].insert(0, {
        "name": "body", "kind": "fixed", "stations": 3,
        "cycle_time_s": 100.0, "parallel": 2, "paced": False,
        "buffer_after": 2,
        "reliability": {"mtbf_min": 300.0, "mttr_min": 10.0,
                        "repair": "lognormal", "repair_cv": 0.5},
        "station_reliability": {"body-02": {"availability": 0.98,
                                            "mttr_min": 4.0}}})
    raw["sequencing"] = {"rules": [{"option": "drive", "value": "4x4",
                                    "p": 1, "q": 2}]}
    raw["simulation"] = {"replications": 2, "seed": 1, "warmup_h": 8.0}
    return raw


SCENARIO_RAW = fuzz_scenario()
LINE_RAW = read_toml(LINE)


def test_the_toml_writer_round_trips_the_bases() -> None:
    """The mutants are read back as written (the writer is faithful)."""
    import tomllib

    for raw in (SCENARIO_RAW, LINE_RAW):
        assert tomllib.loads(to_toml(raw)) == raw


@fixed(SCENARIO_EXAMPLES)
@given(mutants(SCENARIO_RAW))
def test_mutated_scenario_is_refused_or_planned(data: dict[str, Any]
                                                 ) -> None:
    """A mutated scenario: one line naming the file, or a valid scenario
    whose capacity stage, ramp-up, input checks, balance and sequence end
    cleanly, whose simulated year passes the work check (so it is bounded)
    and whose line simulates for an hour."""
    from taktplan.plant.capacity_stage import capacity_stage
    from taktplan.plant.consistency import plan_warnings
    from taktplan.plant.input_checks import check_inputs
    from taktplan.plant.stages import scenario_line
    from taktplan.scenario.load import load_scenario
    from taktplan.simulate import simulate
    from taktplan.simulate.budget import check_work

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_text(to_toml(data))

        def plan_cheaply() -> object:
            scenario = load_scenario(path)
            capacity = capacity_stage(scenario)
            check_inputs(scenario, capacity.takt.planning_cycle_s,
                         str(path))
            plan_warnings(scenario, capacity, None)
            weeks = capacity.rampup.weeks_to_target
            assert weeks >= 0  # inf when the target is never reached
            plant = scenario_line(scenario)
            # refused here, the error would not name the file: the
            # scenario's own checks must have caught it
            check_work(plant.line, plant.horizon_s, plant.warmup_s,
                       scenario.simulation.replications,
                       source="<simulate>", where="horizon")
            result = simulate(plant.line, horizon=3600.0, warmup=0.0,
                              replications=1, seed=scenario.simulation.seed,
                              calendar=plant.calendar,
                              variant_sequence=plant.variant_sequence)
            assert math.isfinite(result.throughput.mean)
            return scenario

        within_contract(path, plan_cheaply)


# ----------------------------------------------------------------- line

@fixed(LINE_EXAMPLES)
@given(mutants(LINE_RAW))
def test_mutated_line_is_refused_or_simulated(data: dict[str, Any]) -> None:
    """A mutated line: one line naming the file, or a line whose work
    estimate is within the cap; a small one is simulated."""
    from taktplan.formats.line import read_line
    from taktplan.limits import MAX_EVENTS
    from taktplan.simulate import simulate
    from taktplan.simulate.budget import estimated_events

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_text(to_toml(data))

        def read_and_run() -> object:
            spec = read_line(path)
            events = estimated_events(spec.line, spec.horizon, spec.warmup)
            assert events * spec.replications <= MAX_EVENTS
            if events < 500_000:
                result = simulate(spec.line, horizon=spec.horizon,
                                  warmup=spec.warmup, replications=2,
                                  seed=spec.seed)
                assert math.isfinite(result.throughput.mean)
            return spec

        within_contract(path, read_and_run)


# -------------------------------------------------------- command lines

#: Flag values as a user might type them, hostile ones included.
TYPED = st.sampled_from([
    "nan", "inf", "-inf", "1e308", "1e-300", "-1", "-5", "0", "0.5", "1",
    "2", "27.5", "3", "10", str(2**64), "9" * 30, "", "x", "1,2", "--json",
])

#: A command and the flags fuzzed on it (FILE: its input file).
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "balance": (["balance", "SALBP", "--json"],
                ["--cycle-time", "--stations", "--time-limit", "--seed",
                 "--node-limit"]),
    "sequence": (["sequence", "CSPLIB", "--json", "--no-exact"],
                 ["--time-limit", "--seed"]),
    "simulate": (["simulate", "LINE", "--json", "--horizon", "50"],
                 ["--horizon", "--warmup", "--replications", "--seed"]),
}


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """``taktplan ARGS`` in this process: (exit code, stdout, stderr)."""
    from taktplan.cli import _run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = _run(args)
        except SystemExit as exc:  # typer.Exit inside a guarded command
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@fixed(FLAG_EXAMPLES)
@given(st.sampled_from(sorted(COMMANDS)), st.data())
def test_fuzzed_flags_exit_0_or_one_line(command: str,
                                         data: st.DataObject) -> None:
    """Hostile flag values: exit 0 with output, or exit 2, one line on
    standard error and nothing on standard output."""
    base, flags = COMMANDS[command]
    chosen = data.draw(st.lists(st.sampled_from(flags), min_size=1,
                                max_size=3, unique=True))
    extra = [x for flag in chosen for x in (flag, data.draw(TYPED))]
    with tempfile.TemporaryDirectory() as folder:
        csplib = Path(folder) / "cars.txt"
        csplib.write_bytes(CSPLIB)
        files = {"SALBP": str(SALBP), "CSPLIB": str(csplib),
                 "LINE": str(LINE)}
        args = [files.get(a, a) for a in base] + extra
        with cpu_budget(CPU_BUDGET_S):
            code, out, err = run_cli(args)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code in (0, 2), (args, code, err[-2000:])
    assert "Traceback" not in err
    if code == 2:
        assert len(lines) == 1, (args, err)
        assert out == "", (args, out[:500])
    else:
        assert json.loads(out), args


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e308"])
def test_hostile_cycle_time_is_one_line(value: str) -> None:
    """The hand-picked cycle times the fuzz draws from, each one line."""
    code, out, err = run_cli(["balance", str(SALBP), "--cycle-time", value,
                              "--json"])
    assert code == 2 and out == "", (code, out, err)
    assert "--cycle-time" in err and len(err.strip().splitlines()) == 1
