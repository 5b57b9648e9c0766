"""Compile the sequencing kernels before any clock starts.

The car-sequencing search and the work-overload search run on CPU-time
limits; a cold numba compile inside one would cut it short. Run once,
tiny, before the first timed search (the plant's sequencing stage and
the compile-ahead child of :mod:`taktplan.precompile` call it).
"""

from __future__ import annotations

import numpy as np

from taktplan.sequence.instance import CarSequencingInstance
from taktplan.sequence.overload import reduce_overload
from taktplan.sequence.solve import solve_car_sequencing


def warm_up() -> None:
    """Run the car-sequencing and overload kernels once, tiny."""
    instance = CarSequencingInstance(
        class_counts=np.array([2, 2], dtype=np.int64),
        options=np.array([[1], [0]], dtype=np.int64),
        p=np.array([1], dtype=np.int64), q=np.array([2], dtype=np.int64),
        class_names=("a", "b"), option_names=("r",))
    result = solve_car_sequencing(instance, time_limit=5.0, seed=0,
                                  exact=False, max_iterations=100)
    loads = np.array([[2.0, 1.0], [1.0, 2.0]])
    reduce_overload(result.sequence, loads, 1.5, 0.2, seed=0, max_moves=10)
