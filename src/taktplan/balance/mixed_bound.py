"""The mixed-model station lower bound, apart from the search.

Kept out of :mod:`taktplan.balance.mixed` (which loads numba and the
compiled kernels) so that ``taktplan check`` reports the bound without
loading them: ``taktplan check`` of the built-in plant took 1.87 s of
user CPU with numba loaded, 1.05 s without.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def float_lower_bound(t: np.ndarray, p: np.ndarray, cycle: float,
                      limit: float) -> int:
    """LB1 on the weighted and every variant dimension, in seconds."""
    eps = 1e-9
    lb = math.ceil(float((t @ p).sum()) / cycle - eps)
    for v in range(t.shape[1]):
        lb = max(lb, math.ceil(float(t[:, v].sum()) / limit - eps))
    return max(lb, 1)


def two_sided_float_lower_bound(t: np.ndarray, p: np.ndarray,
                                sides: np.ndarray, per_side: int,
                                cycle: float, limit: float) -> int:
    """Mated stations, at least, on the weighted and every variant
    dimension, in seconds: a station holds ``per_side x cycle`` of
    left-only work, as much of right-only work and twice that in all
    (``sides``: ``"L"``, ``"R"`` or ``"E"`` per task; see
    :mod:`taktplan.balance.twosided.bounds`)."""
    eps = 1e-9
    left, right = sides == "L", sides == "R"

    def need(work: np.ndarray, cap: float) -> int:
        most = max(float(work[left].sum()), float(work[right].sum()),
                   float(work.sum()) / 2)
        return math.ceil(most / (per_side * cap) - eps)

    lb = need(t @ p, cycle)
    for v in range(t.shape[1]):
        lb = max(lb, need(t[:, v], limit))
    return max(lb, 1)
