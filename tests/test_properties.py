"""Property-based tests (Hypothesis) of the readers and the solvers.

Readers: any byte string (and any mutation of a valid file) gives an
:class:`InputError` or a valid object, never another exception.
Solvers on small random instances: balance agrees with a brute-force
optimum and passes the independent checker; sequence reports the
objective the checker recomputes and agrees with an exact dynamic
programme; simulate keeps its accounting (fractions, capacity, rates).
Example counts are fixed (``derandomize=True``): the same examples on
every run; the counts are listed in the README, section ``errors``.
"""

from __future__ import annotations

import functools
import math
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taktplan.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "bad_inputs"

#: Examples per property (kept in step with the README, section errors).
READER_EXAMPLES = 150
BALANCE_EXAMPLES = 40
SEQUENCE_EXAMPLES = 25
SIMULATE_EXAMPLES = 15


def fixed(examples: int) -> settings:
    """Hypothesis settings: deterministic, no deadline, ``examples``."""
    return settings(max_examples=examples, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- readers

VALID = {
    "in2": (ROOT / "benchmarks/instances/salbp/JACKSON.IN2").read_bytes(),
    "alb": (b"<number of tasks>\n4\n<cycle time>\n10\n<order strength>\n"
            b"0,5\n<task times>\n1 3\n2 4\n3 5\n4 2\n"
            b"<precedence relations>\n1,2\n1,3\n2,4\n3,4\n<end>\n"),
    "csplib": b"5 2 3\n1 2\n2 3\n0 2 1 0\n1 2 0 1\n2 1 1 1\n",
    "line": (ROOT / "examples/four_machine_line.toml").read_bytes(),
    "scenario": (ROOT / "tests/data/tiny_scenario.toml").read_bytes(),
}
ROADEF = {name: (CORPUS / "roadef" / "ratio_text" / name).read_bytes()
          for name in ("paint_batch_limit.txt",
                       "optimization_objectives.txt", "vehicles.txt")}
ROADEF["ratios.txt"] = b"Ratio;Prio;Ident;\n1/2;1;HPRC1;\n2/3;0;LPRC1;\n"

#: Bytes that break parsers: digits, signs, separators, line ends, NUL,
#: the DOS end-of-file byte, a BOM start, non-ASCII.
TRICKY = st.sampled_from([b"0", b"1", b"9" * 25, b"-", b"-1", b".", b",",
                          b";", b"/", b" ", b"\n", b"\r\n", b"\x00",
                          b"\x1a", b"\xef\xbb\xbf", b"\xff", b"nan", b"inf",
                          b"=", b"[", b"]", b'"', b"#", b"<end>", b"e9"])


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few random cuts, insertions and replacements."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "insert", "replace", "truncate",
                                   "duplicate"]))
        at = draw(st.integers(0, len(data)))
        if op == "truncate":
            del data[at:]
        elif op == "cut":
            del data[at:at + draw(st.integers(1, 8))]
        elif op == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 40))]
        else:
            piece = draw(st.one_of(TRICKY, st.binary(min_size=1,
                                                     max_size=4)))
            if op == "replace":
                del data[at:at + len(piece)]
            data[at:at] = piece
    return bytes(data)


def any_bytes(base: bytes) -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, or a mutation of a valid file."""
    return st.one_of(st.binary(max_size=300), mutated(base))


def read_or_input_error(read: Callable[[Path], object], data: bytes,
                        suffix: str) -> object | None:
    """Write ``data`` to a file and read it; None on an InputError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            return read(path)
        except InputError as exc:
            assert "\n" not in exc.message
            assert str(path) in exc.message
            return None


def _check_salbp(problem: object) -> None:
    from taktplan.balance import SalbpProblem

    assert isinstance(problem, SalbpProblem)
    assert problem.n_tasks >= 1
    assert (problem.times >= 0).all()
    assert ((problem.arcs >= 0) & (problem.arcs < problem.n_tasks)).all()
    problem.topological_order  # acyclic, or the reader would have said so


@fixed(READER_EXAMPLES)
@given(any_bytes(VALID["in2"]))
def test_in2_reader_never_crashes(data: bytes) -> None:
    """Any bytes as .IN2: InputError or a valid problem."""
    from taktplan.formats.salbp import read_in2

    problem = read_or_input_error(read_in2, data, ".IN2")
    if problem is not None:
        _check_salbp(problem)


@fixed(READER_EXAMPLES)
@given(any_bytes(VALID["alb"]))
def test_alb_reader_never_crashes(data: bytes) -> None:
    """Any bytes as .alb: InputError or a valid problem."""
    from taktplan.formats.salbp import read_alb

    problem = read_or_input_error(read_alb, data, ".alb")
    if problem is not None:
        _check_salbp(problem)
        c = problem.cycle_time  # type: ignore[attr-defined]
        assert c is None or c >= problem.times.max()  # type: ignore


@fixed(READER_EXAMPLES)
@given(any_bytes(VALID["csplib"]))
def test_csplib_reader_never_crashes(data: bytes) -> None:
    """Any bytes as CSPLib: InputError or a consistent instance."""
    from taktplan.formats.carseq import read_carseq

    inst = read_or_input_error(read_carseq, data, ".txt")
    if inst is not None:
        assert inst.n_cars == int(inst.class_counts.sum())  # type: ignore
        assert (inst.p <= inst.q).all() and (inst.p >= 1).all()  # type: ignore


@fixed(READER_EXAMPLES)
@given(st.sampled_from(sorted(ROADEF)), st.data())
def test_roadef_reader_never_crashes(name: str, data: st.DataObject) -> None:
    """Any bytes in one of the four ROADEF files: InputError or valid."""
    from taktplan.formats.roadef import read_roadef

    files = dict(ROADEF)
    files[name] = data.draw(any_bytes(ROADEF[name]))
    with tempfile.TemporaryDirectory() as folder:
        for file, content in files.items():
            (Path(folder) / file).write_bytes(content)
        try:
            inst = read_roadef(folder)
        except InputError as exc:
            assert "\n" not in exc.message
            assert folder in exc.message
            return
    assert len(set(inst.idents)) == len(inst.idents)
    assert inst.options.shape == (len(inst.idents), len(inst.p))
    assert inst.paint_limit >= 1


@fixed(READER_EXAMPLES)
@given(any_bytes(VALID["line"]))
def test_line_reader_never_crashes(data: bytes) -> None:
    """Any bytes as a line TOML: InputError or a line that builds."""
    from taktplan.formats.line import LineFile, read_line

    spec = read_or_input_error(read_line, data, ".toml")
    if spec is not None:
        assert isinstance(spec, LineFile)
        assert len(spec.line.buffers) == len(spec.line.stations) - 1
        assert spec.horizon > 0 and math.isfinite(spec.horizon)


@fixed(READER_EXAMPLES)
@given(any_bytes(VALID["scenario"]))
def test_scenario_reader_never_crashes(data: bytes) -> None:
    """Any bytes as a scenario TOML: InputError or a checked scenario."""
    from taktplan.scenario.load import load_scenario

    read_or_input_error(load_scenario, data, ".toml")


# ---------------------------------------------------------------- balance

@st.composite
def salbp_instances(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    """A random DAG of 1..10 tasks, times 1..20, cycle >= longest task."""
    n = draw(st.integers(1, 10))
    times = np.array(draw(st.lists(st.integers(1, 20), min_size=n,
                                   max_size=n)), dtype=np.int64)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True,
                           max_size=min(len(pairs), 15))) if pairs else []
    perm = draw(st.permutations(range(n)))
    arcs = np.array([(perm[i], perm[j]) for i, j in chosen],
                    dtype=np.int64).reshape(-1, 2)
    cycle = draw(st.integers(int(times.max()), int(times.sum())))
    return times, arcs, cycle


def brute_force_stations(times: np.ndarray, arcs: np.ndarray,
                         cycle: int) -> int:
    """Fewest stations by dynamic programming over every task subset."""
    n = times.size
    pred = [0] * n
    for a, b in arcs:
        pred[int(b)] |= 1 << int(a)
    full = (1 << n) - 1
    load = [0] * (1 << n)
    for mask in range(1, 1 << n):
        low = (mask & -mask).bit_length() - 1
        load[mask] = load[mask & (mask - 1)] + int(times[low])
    closed = [all(not (mask >> i) & 1 or (pred[i] & ~mask) == 0
                  for i in range(n)) for mask in range(1 << n)]
    best = [math.inf] * (1 << n)
    best[0] = 0
    for done in range(1 << n):
        if best[done] == math.inf or not closed[done]:
            continue
        rest = full & ~done
        sub = rest
        while sub:
            if load[sub] <= cycle and closed[done | sub]:
                best[done | sub] = min(best[done | sub], best[done] + 1)
            sub = (sub - 1) & rest
    return int(best[full])


@fixed(BALANCE_EXAMPLES)
@given(salbp_instances())
def test_balance_is_checked_and_optimal(
        case: tuple[np.ndarray, np.ndarray, int]) -> None:
    """SALBP-1 on a random DAG: valid line, brute-force optimum, proved."""
    from taktplan.balance import SalbpProblem, check_line, solve_salbp1

    times, arcs, cycle = case
    problem = SalbpProblem(times=times, arcs=arcs)
    result = solve_salbp1(problem, cycle, time_limit=10, seed=0)
    check_line(result.stations, times, arcs, cycle)
    assert result.n_stations == brute_force_stations(times, arcs, cycle)
    assert result.status == "optimal"
    assert result.lower_bound == result.n_stations


@fixed(BALANCE_EXAMPLES // 2)
@given(salbp_instances(), st.integers(1, 4))
def test_salbp2_cycle_is_the_least_that_fits(
        case: tuple[np.ndarray, np.ndarray, int], m: int) -> None:
    """SALBP-2: the cycle found fits m stations and one less does not."""
    from taktplan.balance import SalbpProblem, check_line
    from taktplan.balance.salbp2 import solve_salbp2

    times, arcs, _ = case
    problem = SalbpProblem(times=times, arcs=arcs)
    result = solve_salbp2(problem, m, time_limit=10)
    c = result.cycle_time
    check_line(result.stations, times, arcs, c)
    assert result.n_stations <= m
    assert result.status == "optimal"
    if c > times.max():
        assert brute_force_stations(times, arcs, c - 1) > m


# --------------------------------------------------------------- sequence

@st.composite
def carseq_instances(draw: st.DrawFn) -> object:
    """Up to 10 cars in 1..4 classes with 1..3 options, 1 <= p <= q <= 4."""
    from taktplan.sequence import CarSequencingInstance

    n_classes = draw(st.integers(1, 4))
    n_opts = draw(st.integers(1, 3))
    counts = draw(st.lists(st.integers(0, 4), min_size=n_classes,
                           max_size=n_classes).filter(
        lambda c: 1 <= sum(c) <= 10))
    opts = draw(st.lists(st.lists(st.integers(0, 1), min_size=n_opts,
                                  max_size=n_opts),
                         min_size=n_classes, max_size=n_classes))
    q = draw(st.lists(st.integers(1, 4), min_size=n_opts, max_size=n_opts))
    p = [draw(st.integers(1, qk)) for qk in q]
    return CarSequencingInstance(np.array(counts), np.array(opts),
                                 np.array(p), np.array(q))


def exact_violations(inst: object) -> int:
    """Fewest violations by dynamic programming over (counts, last cars)."""
    opts = [tuple(int(v) for v in row) for row in inst.options]  # type: ignore
    p = [int(v) for v in inst.p]  # type: ignore
    q = [int(v) for v in inst.q]  # type: ignore
    keep = max(q) - 1
    n = inst.n_cars  # type: ignore

    @functools.cache
    def best(counts: tuple[int, ...], tail: tuple[int, ...]) -> int:
        pos = n - sum(counts)
        if pos == n:
            return 0
        out = math.inf
        for c, left in enumerate(counts):
            if not left:
                continue
            window = (*tail, c)
            cost = 0
            for k in range(len(p)):
                if pos + 1 >= q[k]:
                    inside = sum(opts[x][k] for x in window[-q[k]:])
                    cost += max(0, inside - p[k])
            rest = list(counts)
            rest[c] -= 1
            out = min(out, cost + best(tuple(rest),
                                       window[-keep:] if keep else ()))
        return int(out)

    return best(tuple(int(c) for c in inst.class_counts), ())  # type: ignore


@fixed(SEQUENCE_EXAMPLES)
@given(carseq_instances())
def test_sequence_objective_is_recomputed_and_exact(inst: object) -> None:
    """Reported violations = checker's count = the exact optimum."""
    from taktplan.sequence import check_sequence, solve_car_sequencing
    from taktplan.sequence.exact import solve_exact

    result = solve_car_sequencing(inst, time_limit=10, seed=0,  # type: ignore
                                  max_iterations=2000)
    report = check_sequence(inst, result.sequence)  # type: ignore
    assert report.violations == result.violations
    optimum = exact_violations(inst)
    assert result.lower_bound <= optimum <= result.violations
    assert result.violations == optimum
    outcome = solve_exact(inst, time_limit=10, seed=0)  # type: ignore
    assert outcome.optimal
    assert outcome.violations == outcome.lower_bound == optimum


# --------------------------------------------------------------- simulate

@st.composite
def small_lines(draw: st.DrawFn) -> object:
    """2..4 stations, deterministic times, optional failures, buffers."""
    from taktplan.simulate import Line, Station

    n = draw(st.integers(2, 4))
    stations = []
    for i in range(n):
        fails = draw(st.booleans())
        stations.append(Station(
            name=f"S{i}",
            process_times=np.array([draw(st.sampled_from(
                [0.5, 1.0, 1.25, 2.0]))]),
            mtbf=draw(st.sampled_from([20.0, 100.0])) if fails else math.inf,
            mttr=draw(st.sampled_from([2.0, 10.0])) if fails else 0.0,
            parallel=draw(st.integers(1, 2))))
    buffers = tuple(draw(st.lists(st.integers(0, 3), min_size=n - 1,
                                  max_size=n - 1)))
    return Line(tuple(stations), buffers)


@fixed(SIMULATE_EXAMPLES)
@given(small_lines(), st.integers(0, 2**31))
def test_simulation_accounting(line: object, seed: int) -> None:
    """Fractions sum to 1, WIP within capacity, throughput within rates."""
    from taktplan.simulate import simulate

    horizon = 2000.0
    res = simulate(line, horizon=horizon, warmup=50.0,  # type: ignore
                   replications=2, seed=seed)
    stations = line.stations  # type: ignore
    capacity = sum(s.parallel for s in stations) + sum(
        line.buffers)  # type: ignore
    slowest = min(s.parallel / float(s.process_times[0]) for s in stations)
    for rep in res.replications:
        np.testing.assert_allclose(rep.fractions.sum(axis=1), 1.0,
                                   atol=1e-9)
        assert (rep.fractions >= -1e-12).all()
        for levels in rep.buffer_levels:
            assert levels.sum() == pytest.approx(1.0, abs=1e-9)
        # Conservation: jobs in the line never exceed its places.
        assert 0.0 <= rep.wip <= capacity + 1e-9
        # A job leaves the slowest station at most every t/parallel
        # (deterministic times), plus the jobs already begun at warm-up.
        most = slowest * horizon + max(s.parallel for s in stations)
        assert rep.departures <= most
        # Little's law over the window, up to the jobs at its two ends.
        if rep.departures:
            edge = 2 * capacity * rep.flow_time / horizon
            assert rep.wip == pytest.approx(
                rep.throughput * rep.flow_time, rel=0.05, abs=edge)
