"""Searches that go on from where their budget stopped them.

The best-first and breadth-first searches of :func:`.search.run_search`
return their state when a node or work budget stops them; called again
with it, they go on. Cut into many small budgets they reach the same
answer as one call with the whole budget (known optima of Scholl's
set).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from taktplan.balance.prepare import Prepared, prepare
from taktplan.balance.search import SearchRun, run_search
from taktplan.formats.salbp import read_salbp

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"

#: (graph, cycle time, optimal stations), lower bound of the prepared
#: instance one short of the optimum.
CASES = [("GUNTHER", 41, 14), ("BUXEY", 30, 12)]


def _prepared(graph: str, cycle: int) -> Prepared:
    problem = read_salbp(DATA / f"{graph}.IN2")
    return prepare(problem.times[:, None], np.array([cycle], np.int64),
                   problem.arcs)


def _in_slices(prep: Prepared, ub: int, lb: int, **kind: object
               ) -> tuple[SearchRun, int]:
    """Run a search on budgets of 2 nodes at a time until it ends;
    the last run and the number of calls."""
    state = None
    calls = 0
    while True:
        calls += 1
        run = run_search(prep, ub, lb, 60.0, node_limit=2, resume=state,
                         **kind)  # type: ignore[arg-type]
        if run.state is None or run.best < ub:
            return run, calls
        state = run.state


@pytest.mark.parametrize(("graph", "cycle", "opt"), CASES)
def test_breadth_first_in_slices_proves_the_optimum(graph: str, cycle: int,
                                                    opt: int) -> None:
    """Asked for fewer than the optimum, the complete breadth-first
    search, stopped every 2 nodes and resumed, ends proving that no
    such line exists, as one call does."""
    prep = _prepared(graph, cycle)
    lb = prep.lower_bound()
    assert lb < opt
    whole = run_search(prep, opt, lb, 60.0, width=1 << 62)
    assert whole.complete and whole.best == opt and whole.state is None
    sliced, calls = _in_slices(prep, opt, lb, width=1 << 62)
    assert calls > 1
    assert sliced.complete and sliced.best == opt


@pytest.mark.parametrize(("graph", "cycle", "opt"), CASES)
def test_best_first_in_slices_runs_as_one_call(graph: str, cycle: int,
                                               opt: int) -> None:
    """The best-first search, stopped every 2 nodes and resumed (asked
    each time for lines shorter than its best so far), finds the
    optimal line and ends having expanded exactly the nodes one call
    expands: its budgets are checked between nodes."""
    prep = _prepared(graph, cycle)
    lb = prep.lower_bound()
    kind = {"best_first": True, "max_leaves": 10_000, "use_mt": False}
    whole = run_search(prep, opt + 1, lb, 60.0, **kind)  # type: ignore[arg-type]
    assert whole.best == opt and whole.state is None
    state = None
    ub = opt + 1
    nodes = 0
    calls = 0
    while True:
        run = run_search(prep, ub, lb, 60.0, node_limit=2, resume=state,
                         **kind)  # type: ignore[arg-type]
        nodes += run.nodes
        calls += 1
        if run.best < ub:
            ub = run.best
            stations = run.station_of
        if run.state is None:
            break
        state = run.state
    assert calls > 1
    assert ub == opt and nodes == whole.nodes
    assert run.complete == whole.complete
    assert stations.min() == 0 and stations.max() == opt - 1
