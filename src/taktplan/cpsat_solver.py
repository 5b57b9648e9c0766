"""A CP-SAT solver set up as every model of the project runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from taktplan.stop_request import raise_if_stopped

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


def new_solver(seed: int, *, workers: int = 1) -> cp_model.CpSolver:
    """A CP-SAT solver with ``seed`` on ``workers`` workers (one gives
    the same answer on any machine) that leaves Ctrl-C to Python:
    CP-SAT's own SIGINT handler ate it in a standalone solve or, in the
    plan, ended the process with no message (exit -2 instead of 130).
    OR-Tools is imported here, not at start-up. A Ctrl-C that a
    compiled kernel before it only marked (:mod:`taktplan.stop_request`)
    raises here, before the model runs."""
    raise_if_stopped()
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    solver.parameters.num_workers = int(workers)
    # CP-SAT's seed is a 32-bit integer; the project's seeds go to
    # 2^63 - 1 (a larger one was a traceback): smaller seeds are kept.
    solver.parameters.random_seed = int(seed) % 2**31
    return solver
