"""Compile the simulation kernels once, tiny (for the compile-ahead child
of :mod:`taktplan.precompile`, which runs while the plan balances)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from taktplan.simulate import kernel
from taktplan.simulate.model import Line, Station
from taktplan.simulate.over_time import OverTime
from taktplan.simulate.run import simulate


def warm_up(serial: bool = False) -> None:
    """Run the simulation kernel once on a plant-like line, tiny.

    The line has what the plant's lines have: a paced segment, a
    parallel station, failures with lognormal repairs, two variants,
    work overload; it runs with the over-time record (the plan's years)
    and without (its what-if screening). With ``serial`` also the kernel
    of plain serial lines, which the plan does not use.
    """
    times = np.array([1.0, 0.8])
    line = Line(
        stations=(
            Station("a", times, mtbf=50.0, mttr=2.0, repair="lognormal",
                    repair_cv=0.5, overload_times=np.array([0.2, 0.0])),
            Station("b", times, mtbf=50.0, mttr=2.0),
            Station("c", times * 1.5, parallel=2),
        ),
        buffers=(0, 2), segments=((0, 1),))
    for record in (None, OverTime(50.0, 0.0, 100.0)):
        simulate(line, horizon=200.0, warmup=10.0, replications=1, seed=0,
                 variant_sequence=np.array([0, 1], dtype=np.int64),
                 workers=1, over_time=record)
    if serial:
        plain = Line(stations=(Station("d", times, mtbf=50.0, mttr=2.0),
                               Station("e", times)), buffers=(1,))
        simulate(plain, horizon=200.0, warmup=10.0, replications=1, seed=0,
                 workers=1)


def is_cached() -> bool:
    """Whether numba's on-disk cache already holds the plan's simulation
    kernel."""
    # numba's own cache object: it has no public way to ask this
    try:
        cache: Any = kernel.run_line._cache  # type: ignore[attr-defined]  # noqa: SLF001
        return Path(cache._cache_path,  # noqa: SLF001
                    cache._cache_file._index_name).exists()  # noqa: SLF001
    except Exception:  # any doubt: compile ahead
        return False
