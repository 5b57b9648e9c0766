"""Experiments: design points, seeds, executors, the result store, sweeps
and buffer allocation.

An experiment is a pure function of (input, design point, seed): the
sweep applies each design point to the raw input dict (:mod:`.keys`),
validates it, and runs its replications on an executor (in-process or
Dask, :mod:`.executors`) with seeds spawned per point and replication
(:mod:`.seeds`), writing whole rows to a DuckDB store (:mod:`.store`).
"""

from taktplan.experiment.design import DesignPoint as DesignPoint
from taktplan.experiment.design import cartesian as cartesian
from taktplan.experiment.design import read_points as read_points
from taktplan.experiment.evaluators import Evaluator as Evaluator
from taktplan.experiment.evaluators import (
    register_evaluator as register_evaluator,
)
from taktplan.experiment.executors import DaskExecutor as DaskExecutor
from taktplan.experiment.executors import (
    InProcessExecutor as InProcessExecutor,
)
from taktplan.experiment.keys import apply_point as apply_point
from taktplan.experiment.keys import parse_values as parse_values
from taktplan.experiment.runner import SweepPlan as SweepPlan
from taktplan.experiment.runner import SweepResult as SweepResult
from taktplan.experiment.runner import plan_sweep as plan_sweep
from taktplan.experiment.runner import run_sweep as run_sweep
from taktplan.experiment.seeds import replication_seed as replication_seed

__all__ = [
    "DaskExecutor",
    "DesignPoint",
    "Evaluator",
    "InProcessExecutor",
    "SweepPlan",
    "SweepResult",
    "apply_point",
    "cartesian",
    "parse_values",
    "plan_sweep",
    "read_points",
    "register_evaluator",
    "replication_seed",
    "run_sweep",
]
