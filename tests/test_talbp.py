"""Two-sided line balancing (issue 18): reader, optima, checker, CLI.

The optima of P9-P24 (variant 0 of ../shared/data/talbp) are asserted
for type II (least cycle for the file's mated stations) and type I
(fewest stations at the literature's cycle times). Each backend decides
them on its own: the station-oriented search and CP-SAT both find a
line at the optimum and prove that one less is impossible.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from typer.testing import CliRunner

from taktplan.balance.twosided import (
    Budget,
    InvalidTwoSidedLineError,
    TwoSidedProblem,
    check_two_sided_line,
    solve_talbp1,
    solve_talbp2,
)
from taktplan.balance.twosided.bounds import (
    counting_bound,
    cycle_bound,
    stations_bound,
)
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.result import Position, ScheduledTask, Station
from taktplan.balance.twosided.search import StationSearch
from taktplan.balance.twosided.station import Prepared, prepare
from taktplan.cli import app
from taktplan.errors import InputError
from taktplan.formats.talbp import is_two_sided, read_talbp

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement

ROOT = Path(__file__).resolve().parents[1]
TALBP = ROOT.parent / "shared" / "data" / "talbp" / "Singletype_Cobot_TALBP2"
TINY = Path(__file__).resolve().parent / "data" / "talbp" / "tiny.alb"
runner = CliRunner()

needs_data = pytest.mark.skipif(not TALBP.is_dir(),
                                reason="../shared/data/talbp not present")

#: Least cycle of (graph, mated stations), variant 0: found and proved by
#: both backends here (no published table could be read; see
#: BENCHMARKS.md).
TYPE2 = {("P9", 2): 5, ("P9", 3): 3, ("P12", 2): 7, ("P12", 3): 5,
         ("P12", 4): 4, ("P12", 5): 3, ("P16", 2): 22, ("P16", 3): 16,
         ("P16", 4): 15, ("P16", 5): 11, ("P24", 2): 35, ("P24", 3): 24,
         ("P24", 4): 18, ("P24", 5): 16}
#: Fewest mated stations of (graph, cycle time).
TYPE1 = {("P9", 3): 3, ("P9", 4): 3, ("P9", 5): 2, ("P9", 6): 2,
         ("P12", 4): 4, ("P12", 5): 3, ("P12", 6): 3, ("P12", 7): 2,
         ("P12", 8): 2, ("P16", 15): 4, ("P16", 16): 3, ("P16", 18): 3,
         ("P16", 19): 3, ("P16", 20): 3, ("P16", 21): 3, ("P16", 22): 2,
         ("P24", 18): 4, ("P24", 20): 4, ("P24", 24): 3, ("P24", 25): 3,
         ("P24", 30): 3, ("P24", 35): 2, ("P24", 40): 2}


def _stations(prep: Prepared, line: Placement) -> tuple[Station, ...]:
    """A search's placement as the checker's stations."""
    return tuple(Station(tuple(
        Position("L" if side == 1 else "R", tuple(sorted(
            (ScheduledTask(i, s, s + prep.t[i]) for i, q, s in st
             if q == k), key=lambda x: x.start)))
        for k, side in enumerate(prep.pos_side))) for st in line)


def _graph(name: str) -> TwoSidedProblem:
    path = sorted(TALBP.glob(f"{name}_*_0.txt"))[0]
    return read_talbp(path)


@needs_data
@pytest.mark.parametrize("graph,tasks,total,longest,sides,arcs", [
    ("P9", 9, 17, 3, (3, 2, 4), 8), ("P12", 12, 25, 3, (3, 3, 6), 12),
    ("P16", 16, 82, 9, (3, 3, 10), 18), ("P24", 24, 140, 9, (7, 7, 10), 26),
    ("P65", 65, 5099, 272, (15, 14, 36), 91),
    ("P148", 148, 5124, 170, (34, 26, 88), 175),
    ("P205", 205, 23345, 944, (58, 60, 87), 288)])
def test_reader_gives_the_facts_of_source_md(graph: str, tasks: int,
                                             total: int, longest: int,
                                             sides: tuple[int, int, int],
                                             arcs: int) -> None:
    """Task count, work, longest task, L/R/E counts and arcs as
    SOURCE.md lists them; the first time column is the manual time."""
    p = _graph(graph)
    assert p.n_tasks == tasks and int(p.times.sum()) == total
    assert int(p.times.max()) == longest and len(p.arcs) == arcs
    counts = tuple(int((p.sides == code).sum()) for code in (1, 2, 0))
    assert counts == sides
    assert p.n_stations is not None and p.cycle_time is None


def test_reader_on_alb_with_directions() -> None:
    """An .alb with <task directions> and <cycle time> is type I."""
    assert is_two_sided(TINY)
    p = read_talbp(TINY)
    assert p.cycle_time == 6 and p.n_stations is None
    assert [p.side_name(i) for i in range(5)] == ["L", "R", "E", "E", "L"]
    assert p.arcs.tolist() == [[0, 2], [1, 2], [2, 4]]


def test_salbp_alb_stays_one_sided() -> None:
    """A SALBP .alb (no directions) is not taken for a two-sided file."""
    salbp = ROOT / "tests" / "data"
    files = list(salbp.rglob("*.alb")) + list(
        (ROOT / "benchmarks" / "instances" / "salbp").glob("*.IN2"))[:3]
    assert files
    for f in files:
        if f != TINY:
            assert not is_two_sided(f)


def test_tiny_line_by_hand() -> None:
    """Tiny at c=6: L work 6, R work 2, E work 6, so the work bound is
    ceil(max(6, 2, 14/2)/6) = 2 stations. But task 3 (4) cannot share a
    station with task 1 (3, ends at 3: 3+4 > 6) nor with task 5 (3):
    the chain 1-3-5 needs three stations, found and proved. The station
    windows see it too: with two stations task 3 (after 7 of work and
    the chain 3+4 > 6) sits no earlier than station 2 and (with task 5
    after it, 4+3 > 6) no later than station 1, so the bound is 3."""
    p = read_talbp(TINY)
    assert counting_bound(p, 6) == 2
    assert stations_bound(p, 6) == 3
    r = solve_talbp1(p, 6)
    assert r.status == "optimal" and r.n_stations == 3
    assert r.lower_bound == 3
    where = r.station_of(5)
    assert where[0] < where[2] < where[4]


@needs_data
@pytest.mark.parametrize("key", sorted(TYPE2))
def test_type2_optimum_by_both_backends(key: tuple[str, int]) -> None:
    """Search and CP-SAT each find a line at c* and prove c*-1 fails
    (or the side-aware bound is c* already)."""
    graph, m = key
    p = _graph(graph)
    best = TYPE2[key]
    for backend in ("search", "cp-sat"):
        r = solve_talbp2(p, m, Budget(backend=backend, nodes=3_000_000))
        assert (r.cycle_time, r.status) == (best, "optimal"), backend
        assert r.lower_bound == best
    prep = prepare(p)
    assert StationSearch(prep, best, m, 10**7).run() is not None
    assert solve_cpsat(p, c=best, m=m, c_high=best).line is not None
    if cycle_bound(p, m) < best:
        assert StationSearch(prep, best - 1, m, 10**7).run() is None
        out = solve_cpsat(p, c=best - 1, m=m, c_high=best - 1)
        assert out.line is None and out.proved


@needs_data
@pytest.mark.parametrize("key", sorted(TYPE1))
def test_type1_optimum_by_both_backends(key: tuple[str, int]) -> None:
    """Fewest mated stations at the literature's cycle times."""
    graph, c = key
    p = _graph(graph)
    best = TYPE1[key]
    for backend in ("search", "cp-sat"):
        r = solve_talbp1(p, c, Budget(backend=backend, nodes=3_000_000))
        assert r.n_stations == best and r.lower_bound == best, backend
    prep = prepare(p)
    assert StationSearch(prep, c, best, 10**7).run() is not None
    assert solve_cpsat(p, c=c, m=best, c_high=c).line is not None
    if stations_bound(p, c) < best:
        assert StationSearch(prep, c, best - 1, 10**7).run() is None
        out = solve_cpsat(p, c=c, m=best - 1, c_high=c)
        assert out.line is None and out.proved


@needs_data
def test_type1_operators_are_proved() -> None:
    """P9 at c=6: 2 stations; the work 17 needs ceil(17/6) = 3
    operators, and 3 it gets (one station staffed on one side)."""
    r = solve_talbp1(_graph("P9"), 6)
    assert (r.n_stations, r.operators, r.status) == (2, 3, "optimal")
    assert r.operators_lower_bound == 3


@needs_data
def test_operators_bound_stands_when_stations_are_not_proved() -> None:
    """P65 at c=326 cut to one node: 9 stations against a bound of 8, so
    the operators are not proved either, but their bound still holds:
    the work 5,099 s needs ceil(5099 / 326) = 16 operators (it said 0)."""
    r = solve_talbp1(_graph("P65"), 326,
                     Budget(nodes=1, work=0.0, restarts=1, backend="search"))
    assert (r.n_stations, r.lower_bound, r.status) == (9, 8, "feasible")
    assert r.operators_lower_bound == 16 <= r.operators


# -- the checker ----------------------------------------------------------

def _line(*stations: list[tuple[str, list[tuple[int, int]]]],
          times: list[int]) -> tuple[Station, ...]:
    return tuple(Station(tuple(
        Position(side, tuple(ScheduledTask(i, s, s + times[i])
                             for i, s in tasks))
        for side, tasks in st)) for st in stations)


TIMES = [3, 2, 4, 2, 3]
SIDES = ["L", "R", "E", "E", "L"]
ARCS = np.array([[0, 2], [1, 2], [2, 4]])


def test_checker_accepts_a_valid_line() -> None:
    """Task 3 waits for task 1 (ends at 3) on the other side."""
    line = _line([("L", [(0, 0)]), ("R", [(1, 0), (2, 3)])],
                 [("L", [(4, 0)]), ("R", [(3, 0)])], times=TIMES)
    check_two_sided_line(line, np.array(TIMES), SIDES, ARCS, 7)


@pytest.mark.parametrize("stations,cycle,words", [
    ([[("L", [(0, 0)]), ("R", [(1, 0), (2, 2)])],
      [("L", [(4, 0)]), ("R", [(3, 0)])]], 7, "predecessor"),
    ([[("L", [(0, 0), (1, 3)]), ("R", [(2, 3)])],
      [("L", [(4, 0)]), ("R", [(3, 0)])]], 7, "is on side L"),
    ([[("L", [(0, 0)]), ("R", [(1, 0), (2, 3)])],
      [("L", [(4, 0)]), ("R", [(3, 0)])]], 6, "outside the cycle"),
    ([[("L", [(0, 0)]), ("R", [(1, 0), (2, 3)])],
      [("L", [(4, 0), (3, 1)])]], 7, "overlap"),
    ([[("L", [(0, 0)]), ("R", [(1, 0), (2, 3)])],
      [("L", [(4, 0)])]], 7, "on no station"),
    ([[("L", [(0, 0)]), ("R", [(1, 0), (2, 3)])],
      [("L", [(4, 0), (0, 3)]), ("R", [(3, 0)])]], 7, "on stations"),
    ([[("L", [(4, 0)]), ("R", [(3, 0)])],
      [("L", [(0, 0)]), ("R", [(1, 0), (2, 3)])]], 7, "predecessor"),
])
def test_checker_rejects_bad_lines(stations: list, cycle: int,
                                   words: str) -> None:
    """Precedence across sides, wrong side, span past the cycle,
    overlap, a missing and a repeated task, a successor upstream."""
    line = _line(*stations, times=TIMES)
    with pytest.raises(InvalidTwoSidedLineError, match=words):
        check_two_sided_line(line, np.array(TIMES), SIDES, ARCS, cycle)


def test_checker_rejects_broken_zoning() -> None:
    """Together, apart and fixed-station rules are checked too."""
    line = _line([("L", [(0, 0)]), ("R", [(1, 0), (2, 3)])],
                 [("L", [(4, 0)]), ("R", [(3, 0)])], times=TIMES)
    args = (line, np.array(TIMES), SIDES, ARCS, 7)
    with pytest.raises(InvalidTwoSidedLineError, match="share"):
        check_two_sided_line(*args, together=[(0, 4)])
    with pytest.raises(InvalidTwoSidedLineError, match="different"):
        check_two_sided_line(*args, apart=[(0, 1)])
    with pytest.raises(InvalidTwoSidedLineError, match="fixed"):
        check_two_sided_line(*args, fixed_station=[1, -1, -1, -1, -1])


def test_zoning_rules_are_kept() -> None:
    """Tiny with tasks 1 and 4 together, 3 and 5 apart and task 2 pinned
    to station 2: the solver keeps all three (the checker says so)."""
    p = read_talbp(TINY)
    from dataclasses import replace
    q = replace(p, together=((0, 3),), apart=((2, 4),),
                fixed_station=np.array([-1, 1, -1, -1, -1]))
    for backend in ("search", "cp-sat"):
        r = solve_talbp1(q, 6, Budget(backend=backend))
        where = r.station_of(5)
        assert where[0] == where[3] and where[2] != where[4]
        assert where[1] == 1
        assert r.lower_bound == r.n_stations == 3


# -- the command ------------------------------------------------------------

@needs_data
def test_cli_json_contract() -> None:
    """`balance FILE --json` on a TALBP file: the issue's keys, tasks
    1-based, each once, spans inside the cycle."""
    f = TALBP / "P12_3_0.txt"
    res = runner.invoke(app, ["balance", str(f), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["cycle_time"] == 5 and out["status"] == "optimal"
    assert out["lower_bound"] == 5 and out["operators"] == 6
    tasks = [t["task"] for st in out["line"] for p in st["positions"]
             for t in p["tasks"]]
    assert sorted(tasks) == list(range(1, 13))
    for st in out["line"]:
        assert [p["side"] for p in st["positions"]] == ["L", "R"]
        for p in st["positions"]:
            for t in p["tasks"]:
                assert 0 <= t["start"] < t["finish"] <= 5


@needs_data
def test_cli_flag_wins_over_the_file() -> None:
    """--cycle-time turns the type-II file into a type-I run."""
    f = TALBP / "P16_2_0.txt"
    res = runner.invoke(app, ["balance", str(f), "-c", "16", "--json"])
    out = json.loads(res.stdout)
    assert out["problem"] == "TALBP-1" and out["cycle_time"] == 16
    assert out["lower_bound"] == len(out["line"]) == 3


def test_cli_keeps_a_fractional_cycle_time() -> None:
    """--cycle-time 5.5 on the tiny file (integer times): the line of
    cycle 5 (what 5.5 holds), printed with 5.5 as given, as SALBP files
    keep 27.5 (it was truncated to 5), and the idle measured on 5.5."""
    res = runner.invoke(app, ["balance", str(TINY), "-c", "5.5", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    whole = json.loads(runner.invoke(
        app, ["balance", str(TINY), "-c", "5", "--json"]).stdout)
    assert out["cycle_time"] == 5.5 and whole["cycle_time"] == 5
    assert out["line"] == whole["line"]
    assert out["n_stations"] == whole["n_stations"]
    table = runner.invoke(app, ["balance", str(TINY), "-c", "5.5"])
    text = " ".join(table.output.split())
    assert "at cycle time 5.5" in text
    rows = [[c.strip() for c in row.split("│")[1:-1]]
            for row in table.output.splitlines() if row.startswith("│")]
    idle = {float(r[3]) for r in rows if r[3] != "-"}
    assert idle and idle == {5.5 - float(r[2]) for r in rows
                             if r[3] != "-"}
    assert all(x % 1 == 0.5 for x in idle)


def test_cli_too_short_fractional_cycle_is_named_as_given() -> None:
    """The tiny file's task 3 takes 4: --cycle-time 3.5 names 3.5, not
    the 3 it is checked at (the message said "the cycle time 3")."""
    res = runner.invoke(app, ["balance", str(TINY), "-c", "3.5"])
    assert res.exit_code == 2
    line = " ".join(res.stderr.split())
    assert "line 8 (task 3): task 3 takes 4, longer than the cycle " \
        "time 3.5;" in line


def test_cli_rejected_line_is_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    """A solver bug (a task put on the wrong side) is caught: exit 3."""
    import taktplan.balance.twosided.fewest_stations as solve

    def broken(prep, c, max_stations, restarts, seed):
        return [[(i, 0, 0) for i in range(prep.n)]]

    monkeypatch.setattr(solve, "best_line", broken)
    monkeypatch.setattr(solve, "stations_bound", lambda p, c: 1)
    res = runner.invoke(app, ["balance", str(TINY), "--json"])
    assert res.exit_code == 3
    assert "internal check failed" in res.output


def _write(tmp_path: Path, body: str, cycle: str = "<cycle time>\n6\n"
           ) -> Path:
    f = tmp_path / "bad.alb"
    f.write_text("<number of tasks>\n3\n" + cycle + "<task times>\n1 3\n"
                 "2 2\n3 4\n<task directions>\n1 L\n2 R\n3 E\n"
                 "<precedence relations>\n1,3\n" + body + "<end>\n")
    return f


@pytest.mark.parametrize("body,cycle,args,words", [
    ("", "<cycle time>\n6\n", [], None),
    ("<together>\n1,2\n<apart>\n2,1\n", "<cycle time>\n6\n", [],
     "task 2 must be apart from task 1 and also together with it"),
    ("<apart>\n3,3\n", "<cycle time>\n6\n", [],
     "task 3 is to be apart from itself"),
    ("<fixed stations>\n3 4\n", "<number of stations>\n2\n", [],
     "fixed to station 4 but the line has 2"),
    ("<fixed stations>\n1 1\n3 1\n", "<cycle time>\n6\n", [],
     "form a precedence chain of 7, longer than the cycle time 6"),
    ("", "", [], "neither a <cycle time>"),
    ("", "<cycle time>\n6\n", ["--cycle-time", "3"],
     "task 3 takes 4, longer than the cycle time 3"),
    ("<operators per side>\n0\n", "<cycle time>\n6\n", [],
     "give at least one operator per side"),
    ("<operators per side>\n9\n", "<cycle time>\n6\n", [],
     "9 operators per side is more than 8"),
    ("<operators per side>\n8\n", "<cycle time>\n6\n", [], None),
])
def test_cli_bad_input_is_one_line_exit_2(tmp_path: Path, body: str,
                                          cycle: str, args: list[str],
                                          words: str | None) -> None:
    """Rules that cannot hold, a task longer than the cycle, a type-II
    run without stations: one line naming the file (and task), exit 2."""
    f = _write(tmp_path, body, cycle)
    res = runner.invoke(app, ["balance", str(f), "--json", *args])
    if words is None:
        assert res.exit_code == 0, res.output
        return
    assert res.exit_code == 2, res.output
    line = " ".join(res.output.split())
    assert str(f) in line and words in line
    assert "Traceback" not in res.output


def test_unknown_direction_names_line_and_task(tmp_path: Path) -> None:
    """A direction X is refused with its line and task."""
    f = _write(tmp_path, "")
    f.write_text(f.read_text().replace("2 R", "2 X"))
    res = runner.invoke(app, ["balance", str(f)])
    assert res.exit_code == 2
    line = " ".join(res.output.split())
    assert "line 11 (task 2)" in line and "unknown direction 'X'" in line


def test_pinned_group_overload_is_input_error() -> None:
    """The problem itself refuses pinned tasks over a side's room, in a
    file's own units and task numbers, and (a file's cycle is given)
    may tell to raise the cycle time."""
    with pytest.raises(InputError) as err:
        TwoSidedProblem(times=np.array([5, 5]), sides=np.array([1, 1]),
                        arcs=np.zeros((0, 2)), cycle_time=6,
                        fixed_station=np.array([0, 0]))
    assert ("tasks 1, 2 (pinned to station 1) need 10 on the left side, "
            "more than one side of a station holds (6); pin fewer of them "
            "to station 1, move one of them to the right side or E, or "
            "raise the cycle time") in str(err.value)


def test_messages_name_the_user_s_tasks_and_seconds() -> None:
    """With the plant's ids, seconds and advice: ``A2, A6``, ``85.0 s``,
    no "raise the cycle time" (it was ``task 2``, ``870``, ``707``)."""
    with pytest.raises(InputError) as err:
        TwoSidedProblem(times=np.array([300, 400, 450]),
                        sides=np.array([0, 1, 1]),
                        arcs=np.array([[0, 1], [1, 2]]), cycle_time=707,
                        together=((2, 1),), task_ids=("A1", "A2", "A6"),
                        task_lines=("row 2 ('A1')", "row 3 ('A2')",
                                    "row 7 ('A6')"),
                        time_unit_s=0.1, cycle_advice="lower the volume")
    text = str(err.value)
    assert ("A2, A6 (bound together) need 85.0 s on the left side, more "
            "than one side of a station holds (70.7 s); split the group, "
            "move one of them to the right side or E, or lower the "
            "volume") in text
    assert text.startswith("<data>: row 3 ('A2'): A2, A6")
    assert "raise the cycle time" not in text and "task 2" not in text


def test_apart_from_itself_is_named() -> None:
    """A task apart from itself is said so (it was "task 5 must be apart
    from task 5 and also together with it")."""
    with pytest.raises(InputError, match="task 2 is to be apart from "
                       "itself"):
        TwoSidedProblem(times=np.array([1, 1]), sides=np.array([0, 0]),
                        arcs=np.zeros((0, 2)), apart=((1, 1),))


def test_no_line_names_the_rules_it_could_not_keep() -> None:
    """When no line is found the message names the tasks under rules
    (pins with their stations, together groups, apart pairs)."""
    from taktplan.balance.twosided.finish import found_line as _found

    p = TwoSidedProblem(times=np.array([1, 1, 1]), sides=np.array([0, 0, 0]),
                        arcs=np.zeros((0, 2)), together=((0, 1),),
                        apart=((1, 2),),
                        fixed_station=np.array([-1, -1, 2]),
                        task_ids=("A1", "A2", "TR005"))
    with pytest.raises(InputError) as err:
        _found(p, None, "", p.cycle_advice)
    assert ("no line keeps all the zoning rules (TR005 at station 3; A1 "
            "with A2; A2 apart from TR005) within the search's budget; "
            "loosen one of these rules or raise the cycle time"
            ) in str(err.value)


def test_greedy_opens_empty_stations_up_to_a_later_pin() -> None:
    """Task 1 pinned to station 3 of the tiny file: every other task
    follows it or fits station 1, so station 2 has nothing to do. The
    greedy lines keep it empty instead of failing (the plant's trim with
    TR005 pinned to station 17 stopped with "no line keeps all the
    zoning rules"; now 22 stations, TR005 at trim-17)."""
    from dataclasses import replace

    from talbp_data import check_placement

    from taktplan.balance.twosided.heuristic import best_line

    q = replace(read_talbp(TINY), fixed_station=np.array([2, -1, -1, -1,
                                                          -1]))
    line = best_line(prepare(q), 6, 6, 4, 0)
    assert line is not None
    assert line[1] == [] and [i for i, _, _ in line[2]] == [0]
    check_placement(q, line, 6)


# -- type II local search and the operators of type I ---------------------

def test_local_search_splits_one_side_by_hand() -> None:
    """Three free either-side tasks (4, 4, 2) all on the left of one
    station take 10; one move of a 4 to the right gives 6, the optimum
    (4 and 4 cannot share a side within 6 with the 2 beside either)."""
    from taktplan.balance.twosided.improve import improve_cycle

    p = TwoSidedProblem(times=np.array([4, 4, 2]), sides=np.zeros(3, int),
                        arcs=np.zeros((0, 2), int))
    prep = prepare(p)
    left = prep.pos_side.index(1)
    line = [[(0, left, 0), (1, left, 4), (2, left, 8)]]
    better, used = improve_cycle(prep, line, 100)
    assert max(s + prep.t[i] for i, _, s in better[0]) == 6
    assert 0 < used <= 100
    assert improve_cycle(prep, line, 0)[0] is line


@needs_data
@pytest.mark.parametrize("m", [2, 3, 4, 5])
def test_local_search_keeps_lines_valid(m: int) -> None:
    """On P24 from each greedy line: never longer, always valid."""
    from taktplan.balance.twosided.heuristic import best_line
    from taktplan.balance.twosided.improve import improve_cycle
    p = _graph("P24")
    prep = prepare(p)
    c = 2 * cycle_bound(p, m)
    line = best_line(prep, c, m, 4, 0)
    assert line is not None
    line += [[] for _ in range(m - len(line))]
    before = max(s + prep.t[i] for st in line for i, _, s in st)
    better, _ = improve_cycle(prep, line, 5_000)
    after = max(s + prep.t[i] for st in better for i, _, s in st)
    assert after <= before
    check_two_sided_line(_stations(prep, better), p.times,
                         [p.side_name(i) for i in range(p.n_tasks)],
                         p.arcs, after)


@needs_data
def test_p148_operators_proved_without_cp_sat() -> None:
    """P148 at c=255: 11 stations (the side-aware bound) and 21
    operators = ceil(5124 / 255), found by the position-capped greedy
    lines alone (one station staffed on one side)."""
    r = solve_talbp1(_graph("P148"), 255, Budget(backend="search"))
    assert (r.n_stations, r.operators, r.status) == (11, 21, "optimal")
    assert r.operators_lower_bound == 21


@needs_data
def test_type1_probes_its_bound_before_the_fits_spend_the_nodes() -> None:
    """P148 at 366 (off the literature's list): 7 stations, which type II
    reaches at 366 by the station search in 643 nodes. Type I's fits end
    at 8 and spent the search's nodes, so it stayed at 8, not proved,
    even at 30 s; a probe of a quarter of the nodes first finds the 7."""
    r = solve_talbp1(_graph("P148"), 366, Budget.for_seconds(10))
    assert (r.n_stations, r.operators, r.status, r.backend) == (
        7, 14, "optimal", "search")



@needs_data
def test_type1_fits_a_station_between_bound_and_greedy_line() -> None:
    """P205 at 944, its longest task (off the literature's list): the
    bound is 13 stations, the greedy line 15, and the fit of 13 fails
    (type II with 13 stations ends at 947 with seed 0). Type I then
    fitted nothing in between and stayed at 15; fitted downwards from
    the greedy line to 14, it finds a line of 14, as type II does with
    14 stations (944, optimal)."""
    r = solve_talbp1(_graph("P205"), 944, Budget.for_seconds(10))
    assert (r.n_stations, r.lower_bound, r.status) == (14, 13, "feasible")
    assert r.operators <= 28

# -- type II by fixed-cycle decisions; the search's room and memory -------

def test_room_is_what_open_task_sums_fill() -> None:
    """Three either-side tasks of 6 at c=10 on one mated station: work
    18 fits 2 x 10, but no position holds two of them (12 > 10), so
    each position takes at most 6 and 12 < 18 is refuted at the root."""
    p = TwoSidedProblem(times=np.array([6, 6, 6]), sides=np.zeros(3, int),
                        arcs=np.zeros((0, 2), int))
    s = StationSearch(prepare(p), 10, 1, 10**6)
    assert s.run() is None
    assert s.nodes <= 1
    assert s.side_sums(0) == {1: 1 | 1 << 6, 2: 1 | 1 << 6}


def test_fills_with_one_signature_are_one_state() -> None:
    """Two independent tasks on the left in either order end at the
    same time with no follower waiting: one state for the unordered
    search; the ordered one keeps the last start apart."""
    from taktplan.balance.twosided.station import StationState

    p = TwoSidedProblem(times=np.array([2, 3]), sides=np.ones(2, int),
                        arcs=np.zeros((0, 2), int))
    prep = prepare(p)
    left = prep.pos_side.index(1)
    a, b = StationState(prep, 10, 0, 0), StationState(prep, 10, 0, 0)
    a.push(0, left, 0)
    a.push(1, left, 2)
    b.push(1, left, 0)
    b.push(0, left, 3)
    assert a.signature(canonical=False) == b.signature(canonical=False)
    assert a.signature() != b.signature()


@needs_data
@pytest.mark.parametrize("graph,m,best", [
    ("P148", 5, 513), ("P65", 4, 638), ("P148", 12, 214)])
def test_search_meets_the_bound(graph: str, m: int, best: int) -> None:
    """The side-aware bound ceil(W / 2m) is met by a line the search
    (both directions, no CP-SAT) finds at it: P148 m=5 at 513 (earlier
    drivers stopped at 517); P65 m=4 at 638 (a hinted CP-SAT minimum
    gave 638 once and 639 once; the backward search needs 2,180 nodes,
    the forward one 148,943); P148 m=12 at 214 (the backward search in
    about 18,000 nodes, forward over 100,000 undecided; the third run
    stopped at 217)."""
    p = _graph(graph)
    assert cycle_bound(p, m) == best
    r = solve_talbp2(p, m, Budget(backend="search"))
    assert (r.cycle_time, r.status, r.lower_bound) == (best, "optimal", best)


# -- the backward direction ------------------------------------------------

@needs_data
@pytest.mark.parametrize("key", [k for k in TYPE2 if k[0] in ("P16", "P24")])
def test_backward_search_line_is_a_line_of_the_original(
        key: tuple[str, int]) -> None:
    """The search on the reversed graph decides the same question: at the
    optimum it finds a line, and read backwards (stations from the last,
    each span mirrored in the cycle) that line passes the checker on the
    original graph; one unit less it finds none."""
    from taktplan.balance.twosided.reverse import reversed_problem, unreverse

    graph, m = key
    p = _graph(graph)
    back = reversed_problem(p)
    assert back is not None
    best = TYPE2[key]
    found = StationSearch(prepare(back), best, m, 10**6).run()
    assert found is not None
    line = unreverse(found, p.times)
    assert max(s + p.times[i] for st in line for i, _, s in st) <= best
    check_two_sided_line(_stations(prepare(p), line), p.times,
                         [p.side_name(i) for i in range(p.n_tasks)],
                         p.arcs, best)
    assert StationSearch(prepare(back), best - 1, m, 10**6).run() is None


def test_pinned_lines_are_not_reversed() -> None:
    """A pin counts stations from the front: no backward search then."""
    from taktplan.balance.twosided.reverse import reversed_problem

    p = TwoSidedProblem(times=np.array([2, 3]), sides=np.zeros(2, int),
                        arcs=np.array([[0, 1]]),
                        fixed_station=np.array([-1, 1]))
    assert reversed_problem(p) is None


# -- destructive bounds: station windows and idle while a task runs ---------

@needs_data
def test_destructive_bounds_never_exceed_the_known_optima() -> None:
    """The windows and forced-idle tests raise P16's and P24's bounds
    (P16 m=3: 14 -> 15, m=4: 11 -> 12; P24 m=5: 14 -> 15) and stay
    within every optimum both backends proved."""
    raised = {("P16", 2): 22, ("P16", 3): 15, ("P16", 4): 12,
              ("P24", 5): 15}
    for (graph, m), best in TYPE2.items():
        b = cycle_bound(_graph(graph), m)
        assert b <= best, (graph, m)
        if (graph, m) in raised:
            assert b == raised[graph, m]
    for (graph, c), best in TYPE1.items():
        assert stations_bound(_graph(graph), c) <= best, (graph, c)


@pytest.mark.parametrize("seed", range(40))
def test_destructive_bounds_are_valid_on_random_small_lines(seed: int) -> None:
    """Random 7-task two-sided graphs, solved exactly by the search: the
    raised bounds never pass the proved optimum of either type."""
    rng = np.random.default_rng(seed)
    n = 7
    times = rng.integers(1, 9, n)
    sides = rng.integers(0, 3, n)
    arcs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)
                     if rng.random() < 0.3] or [(0, 1)])
    p = TwoSidedProblem(times=times, sides=sides, arcs=arcs)
    for m in (1, 2, 3):
        r = solve_talbp2(p, m, Budget(backend="search"))
        assert r.status == "optimal"
        assert cycle_bound(p, m) <= r.cycle_time
    c = int(times.max()) + int(rng.integers(0, 8))
    r1 = solve_talbp1(p, c, Budget(backend="search"))
    assert r1.status == "optimal"
    assert stations_bound(p, c) <= r1.n_stations


def test_idle_while_a_task_runs_by_hand() -> None:
    """Task 1 (R, 2) precedes task 2 (L, 1); task 3 (E, 4) is free. One
    station at c = 4: work 7 of 8, chain 3, so the counts allow it. But
    while task 3 runs (4 units) the other side can only do a free task:
    across on the right that is task 1 (2), on the left task 2 (1), so
    at least 4 - 2 = 2 is idle, more than the 1 there is: refuted. At
    c = 5 the line exists (left: 3 then 2 at 4-5; right: 1 at 0-2)."""
    from taktplan.balance.twosided.bounds import forced_idle, refutes

    p = TwoSidedProblem(times=np.array([2, 1, 4]),
                        sides=np.array([2, 1, 0]), arcs=np.array([[0, 1]]))
    assert counting_bound(p, 4) == 1
    assert forced_idle(p, 4, 1) == 2
    assert refutes(p, 4, 1)
    assert cycle_bound(p, 1) == 5
    r = solve_talbp2(p, 1, Budget(backend="search"))
    assert (r.cycle_time, r.status) == (5, "optimal")


# -- round 5: budgets that hold a CPU limit; the open station's tasks ------

def test_candidates_are_the_tasks_that_can_join_the_station() -> None:
    """Chain 0 -> 1 -> 2 of 4, 4 and 3 plus a free task 3 of 2, at
    c = 10: with nothing done, 0 and 1 can share station 0 (chain 8) but
    2 cannot (chain 11 > 10), 3 can; once 0 is done, 1 and 2 can (chain
    7). A window that starts task 3 at station 1 keeps it out of 0."""
    p = TwoSidedProblem(times=np.array([4, 4, 3, 2]), sides=np.zeros(4, int),
                        arcs=np.array([[0, 1], [1, 2]]))
    prep = prepare(p)
    s = StationSearch(prep, 10, 2, 10**6)
    assert s.candidates(0, 0) == 0b1011
    assert s.candidates(1, 0b0001) == 0b1110
    windowed = StationSearch(prep, 10, 2, 10**6, early=(0, 0, 0, 1))
    assert windowed.candidates(0, 0) == 0b0011
    assert windowed.candidates(1, 0) == 0b1011


def test_budget_for_seconds_is_work_not_a_clock() -> None:
    """A time limit becomes node and deterministic-time budgets in
    proportion (the same limit, the same budgets on any machine); the
    CPU clock is a safety net at three times the limit."""
    b = Budget.for_seconds(30)
    assert b == Budget.for_seconds(30)
    assert (b.nodes, b.cpu_limit) == (90_000, 90.0)
    assert b.work == pytest.approx(1.8)
    half = Budget.for_seconds(15)
    assert half.nodes * 2 == b.nodes
    assert half.work * 2 == pytest.approx(b.work)
    # a node of a multi-manned line tries every position: 1 / K nodes
    two = Budget.for_seconds(30, operators_per_side=2)
    assert (two.nodes, two.moves, two.work) == (45_000, b.moves, b.work)
    assert Budget.for_seconds(30, operators_per_side=1) == b


@needs_data
def test_type1_cpsat_models_share_one_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CP-SAT model of a type-I run draws on one deterministic-time
    pool (each station count used to get the whole budget): a fake
    CP-SAT that refutes each station count and spends half of what it
    is given never gets more than the pool in all, the window search
    (which spends first, at most its share of the pool plus the load
    search's share, only the first drawn from the pool) included."""
    import taktplan.balance.twosided.fewest_stations as solve_mod
    import taktplan.balance.twosided.windows as windows_mod
    from taktplan.balance.twosided.budget import WINDOW_SHARE, loads_as_cpsat
    from taktplan.balance.twosided.cpsat import CpOutcome
    from taktplan.balance.twosided.windows import WINDOW_COST

    given: list[float] = []
    windows: list[float] = []

    def fake(problem: TwoSidedProblem, **kw: object) -> CpOutcome:
        work = float(kw["work_limit"])  # type: ignore[arg-type]
        given.append(work)
        return CpOutcome(None, True, 0, 0, False, work / 2)

    def fake_window(problem: TwoSidedProblem, **kw: object) -> CpOutcome:
        work = float(kw["work_limit"])  # type: ignore[arg-type]
        windows.append(work)
        return CpOutcome(None, False, 0, 0, True, work)

    monkeypatch.setattr(solve_mod, "solve_cpsat", fake)
    monkeypatch.setattr(windows_mod, "solve_cpsat", fake_window)
    budget = Budget(work=4.0, backend="cp-sat", restarts=4, moves=200)
    r = solve_talbp1(_graph("P65"), 326, budget)
    assert r.n_stations >= r.lower_bound
    share = 4.0 * WINDOW_SHARE
    taken = WINDOW_COST * sum(windows)  # what the windows took
    assert 0 < taken <= share + loads_as_cpsat(budget) + 1e-9
    drawn = min(taken, share)  # from the pool
    assert given and drawn + sum(w / 2 for w in given) <= budget.work + 1e-9
    assert given[0] == pytest.approx(4.0 - drawn)
    assert all(b <= a / 2 + 1e-9 for a, b in itertools.pairwise(given))


@needs_data
def test_cpu_safety_net_stops_the_search_and_says_so() -> None:
    """With no CPU time left the exact search does not start: the line
    is the heuristic's, checked, and the result says a limit stopped
    it."""
    budget = Budget(nodes=10**6, backend="search", cpu_limit=0.0,
                    restarts=4, moves=200)
    r = solve_talbp2(_graph("P65"), 5, budget)
    assert r.nodes == 0 and r.limit_hit
    assert r.status == "feasible" and r.cycle_time > r.lower_bound
