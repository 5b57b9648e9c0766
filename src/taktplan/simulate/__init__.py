"""Simulation of unreliable mixed-model lines, analytic cross-checks and
bottleneck detection.

The public API::

    Station, Line, ShiftCalendar            # the model
    simulate(line, horizon=, warmup=, replications=, seed=, ...)
    simulate_replication(line, horizon=, warmup=, seed_sequence=, ...)
    SimulationResult, ReplicationResult, Estimate
    check_simulation(line, result), SimulationCheckError   # the checker
"""

from taktplan.simulate.check import (
    SimulationCheckError as SimulationCheckError,
)
from taktplan.simulate.check import check_simulation as check_simulation
from taktplan.simulate.model import Line as Line
from taktplan.simulate.model import ShiftCalendar as ShiftCalendar
from taktplan.simulate.model import Station as Station
from taktplan.simulate.results import ReplicationResult as ReplicationResult
from taktplan.simulate.results import SimulationResult as SimulationResult
from taktplan.simulate.stats import Estimate as Estimate
from taktplan.simulate.stats import t_interval as t_interval

TYPE_CHECKING = False
if TYPE_CHECKING:
    from taktplan.simulate.run import simulate as simulate
    from taktplan.simulate.run import (
        simulate_replication as simulate_replication,
    )


def __getattr__(name: str) -> object:
    # numba and scipy load only when something is simulated, so readers
    # and `taktplan --help` stay fast
    if name in ("simulate", "simulate_replication"):
        from taktplan.simulate import run

        return getattr(run, name)
    raise AttributeError(name)

__all__ = [
    "Estimate",
    "Line",
    "ReplicationResult",
    "ShiftCalendar",
    "SimulationCheckError",
    "SimulationResult",
    "Station",
    "check_simulation",
    "simulate",
    "simulate_replication",
    "t_interval",
]
