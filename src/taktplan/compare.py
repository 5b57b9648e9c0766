"""Two or more plans side by side, on common random numbers (see
:mod:`taktplan.comparison` for why and what comes back)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from taktplan.comparison import Comparison, paired_difference, plan_years
from taktplan.errors import InputError
from taktplan.pipeline import plan
from taktplan.plant.sim_size import check_before_balance
from taktplan.progress import STAGES
from taktplan.scenario import load_scenario

if TYPE_CHECKING:
    from collections.abc import Sequence

    from taktplan.progress import StageProgress
    from taktplan.simulate.run import ReplicationExecutor


def compare(paths: Sequence[Path], *, replications: int | None = None,
            seed: int | None = None,
            executor: ReplicationExecutor | None = None,
            progress: StageProgress | None = None,
            ) -> Comparison:
    """Plan every scenario on common random numbers and compare.

    The seed and the replications are the first scenario's unless
    given; every plan uses them. ``progress`` gets each plan's stages,
    named ``"FILE: stage"``.
    """
    if len(paths) < 2:
        where = str(paths[0]) if paths else "<command line>"
        raise InputError(where, "scenarios", "fewer than two scenarios "
                         "to compare", "give two or more scenario files")
    models = [load_scenario(p) for p in paths]
    sim = models[0].simulation
    seed = sim.seed if seed is None else seed
    flag = replications is not None
    replications = replications or sim.replications
    for model in models:  # every plan's size before the first one's work
        check_before_balance(model, replications, flag=flag,
                             source=str(paths[0]))
    # each plan reads its file again, so its checks and warnings name it
    plans = tuple(
        plan(path, replications=replications, seed=seed,
             progress=_stage_progress(progress, path), executor=executor,
             replications_from=None if flag else str(paths[0]))
        for path in paths)
    first = plans[0]
    diffs = tuple(
        paired_difference(p.source, plan_years(first), plan_years(p))
        for p in plans[1:])
    return Comparison(plans, diffs, seed, replications)


def _stage_progress(progress: StageProgress | None, path: Path
                    ) -> StageProgress | bool:
    """The stages of the plan of ``path`` as the comparison's, named by
    the file (no progress: ``False``, no bars)."""
    if progress is None:
        return False

    def step(stage: str, done: float) -> None:
        progress(f"{Path(path).name}: {STAGES.get(stage, stage)}", done)

    return step
