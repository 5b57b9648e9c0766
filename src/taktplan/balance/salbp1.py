"""SALBP-1, the fewest stations for a cycle time: the entry point.

Small instances are solved and proved in plain Python
(:mod:`.small`), so that ``taktplan balance`` on a line of a few tasks
neither imports numba nor loads a compiled kernel (measured: 2.6 s and
220 MiB with them, a tenth of that without). Everything else, and a
small instance the plain search gives up on, goes to the compiled
branch, bound and remember search (:func:`.exact.solve_exact`),
imported only then.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.result import SalbpResult, finish
from taktplan.balance.small import solve_small
from taktplan.stop_request import kernel_safe_interrupts

if TYPE_CHECKING:
    from taktplan.balance.problem import SalbpProblem


@kernel_safe_interrupts()
def solve_salbp1(
    problem: SalbpProblem,
    cycle_time: int | None = None,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    restarts: int = 20,
    node_limit: int | None = None,
) -> SalbpResult:
    """Fewest stations for the cycle time, with a proof when possible.

    Parameters
    ----------
    problem
        The instance.
    cycle_time
        The cycle time; defaults to ``problem.cycle_time``.
    time_limit
        Seconds for the exact search (a safety net with
        ``node_limit``).
    seed
        Seed of the randomised heuristics.
    restarts
        Randomised priority-rule restarts per direction.
    node_limit
        Nodes the exact search may expand in all: with it the result
        does not depend on the machine. ``None``: the time limit alone.

    Returns
    -------
    SalbpResult
        ``status == "optimal"`` when the lower bound equals the stations
        found.
    """
    c = problem.cycle_time if cycle_time is None else int(cycle_time)
    if c is None:
        raise ValueError("solve_salbp1 needs a cycle time")
    problem.check_cycle_time(c)
    start = time.perf_counter()
    line = solve_small(problem.times.tolist(),
                       problem.arcs.tolist(), c)
    if line is not None:
        m = line.n_stations
        return finish(problem, c, np.asarray(line.station_of), m, m, start,
                      0)
    # numba and the compiled kernels: only for instances that need them.
    from taktplan.balance.exact import solve_exact

    return solve_exact(problem, c, time_limit=time_limit, seed=seed,
                       restarts=restarts, node_limit=node_limit)
