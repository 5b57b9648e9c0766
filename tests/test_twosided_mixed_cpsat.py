"""CP-SAT for two-sided mixed-model segments: the relaxation with each
variant scheduled on its own, and the re-sequencing that keeps one order
of work per operator position for every variant."""

from __future__ import annotations

import numpy as np
import pytest

from taktplan.balance.twosided import Budget, solve_talbp1
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.finish import stations_of
from taktplan.balance.twosided.mixed import _makespan, _preds
from taktplan.balance.twosided.mixed_cpsat import fewer_stations, with_line
from taktplan.balance.twosided.problem import LEFT, RIGHT, TwoSidedProblem
from taktplan.balance.twosided.resequence import resequence
from taktplan.balance.twosided.result import TwoSidedResult

#: Hand-worked: a, b on the left, c, d on the right, arcs a->c and b->d.
#: Variant 1 (a, b, c, d = 1, 5, 5, 1) fits its limit 7 in one station
#: only with a before b (a 0-1, b 1-6 | c 1-6, d 6-7; b first ends at 11);
#: variant 2 (5, 1, 1, 5) only with b before a. So one station holds all
#: four when each variant has its own order (the relaxation) but not with
#: one order for both; two stations do (a, c | b, d).
VARIANTS = np.array([[1, 5], [5, 1], [5, 1], [1, 5]])


def _crossed() -> TwoSidedProblem:
    return TwoSidedProblem(
        times=np.array([3, 3, 3, 3]), sides=np.array([LEFT, LEFT, RIGHT,
                                                      RIGHT]),
        arcs=np.array([[0, 2], [1, 3]]), extra_times=VARIANTS,
        extra_limits=(7, 7))


def _variant_spans(problem: TwoSidedProblem, line: object) -> list[float]:
    return [_makespan(st, VARIANTS[:, v], _preds(problem))
            for st in line for v in range(2)]  # type: ignore[attr-defined]


def test_relaxation_fits_one_station_that_one_order_cannot() -> None:
    p = _crossed()
    out = solve_cpsat(p, c=12, m=1, c_high=12, work_limit=5.0)
    assert out.line is not None and len(out.line) == 1
    assert resequence(p, 12, out.line) is None


def test_fewer_stations_stops_at_the_line_that_keeps_one_order() -> None:
    """From a 3-station line: 2 stations found and re-sequenced; 1 is a
    relaxation's candidate that cannot keep one order, so no proof: the
    bound stays 1 and the line is 2 stations, each variant within 7."""
    p = _crossed()
    fewer = fewer_stations(p, 12, 3, 1, work_limit=5.0, time_limit=60.0)
    assert fewer.line is not None and len(fewer.line) == 2
    assert fewer.lower_bound == 1
    base = solve_talbp1(p, 12, Budget(backend="search"))
    result = with_line(p, base, stations_of(p, fewer.line),
                       fewer.lower_bound, 0.0)
    assert result.n_stations == 2 and result.status == "feasible"
    assert max(_variant_spans(p, result.line)) <= 7
    for st in result.line:
        for pos in st.positions:
            for s in pos.tasks:  # weighted times within the cycle
                assert 0 <= s.start < s.finish <= 12


def test_infeasible_relaxation_raises_the_bound() -> None:
    """Variant limit 5: a (1) then c (5) alone is 6 > 5 in variant 1 if
    they share a station, and so is b, d in variant 2: CP-SAT proves one
    station infeasible, so the bound rises to 2."""
    p = TwoSidedProblem(
        times=np.array([3, 3, 3, 3]), sides=np.array([LEFT, LEFT, RIGHT,
                                                      RIGHT]),
        arcs=np.array([[0, 2], [1, 3]]), extra_times=VARIANTS,
        extra_limits=(5, 5))
    fewer = fewer_stations(p, 12, 2, 1, work_limit=5.0, time_limit=60.0)
    assert fewer.line is None and fewer.lower_bound == 2


def test_a_safety_net_that_bites_is_said() -> None:
    """A wall limit of zero stops the model before its work budget: no
    line, no proof, and the safety net (not the work) is named."""
    fewer = fewer_stations(_crossed(), 12, 3, 1, work_limit=5.0,
                           time_limit=0.0)
    assert fewer.line is None and fewer.lower_bound == 1
    assert fewer.limit_hit and fewer.safety_net_hit


def test_plant_gives_cp_sat_its_work_only_when_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """balancing.cp_sat_work reaches the two-sided segments whose
    searches stop above the bound (the built-in plant's trim, 14 against
    12, and chassis, 10 against 9), and 0 (the default) asks nothing."""
    from taktplan.balance.twosided import mixed
    from taktplan.plant.balance_stage import balance_plant
    from taktplan.plant.capacity_stage import capacity_stage
    from taktplan.scenario.load import load_scenario_source

    calls: list[tuple[int, int, float]] = []

    def record(scaled: object, cycle: int, result: TwoSidedResult,
               budget: object, work: float) -> tuple[TwoSidedResult, bool]:
        calls.append((result.n_stations, result.lower_bound, work))
        return result, False

    monkeypatch.setattr(mixed, "_fewer_stations", record)
    scenario = load_scenario_source(None).scenario
    cycle = capacity_stage(scenario, lambda s, f: None).takt.planning_cycle_s
    balance_plant(scenario, cycle)
    assert calls == []
    asked = scenario.with_changes({"balancing.cp_sat_work": 2.5})
    balance_plant(asked, cycle)
    assert calls and all(w == 2.5 and lb < n for n, lb, w in calls)
