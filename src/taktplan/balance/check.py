"""The independent checker: is a line a valid assignment?

Written apart from the solvers on purpose (it shares no code with
them): every task on exactly one station, every arc ``i -> j`` with
``station(i) <= station(j)``, every station's load within its
capacity. Each solver calls it before it returns a line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from taktplan.errors import ResultCheckError

if TYPE_CHECKING:
    from collections.abc import Sequence


class InvalidLineError(ResultCheckError):
    """A solver produced a line that breaks a constraint (a bug)."""


def check_line(
    stations: Sequence[Sequence[int]],
    times: np.ndarray,
    arcs: np.ndarray,
    capacity: float | np.ndarray,
    *,
    tolerance: float = 1e-9,
) -> None:
    """Raise :class:`InvalidLineError` unless the line is valid.

    Parameters
    ----------
    stations
        Task indices (0-based) per station, in line order.
    times
        Task times, ``(n,)`` or ``(n, K)``.
    arcs
        Precedence arcs ``(pred, succ)``, 0-based.
    capacity
        Station capacity: a number, or one per dimension ``(K,)``.
    tolerance
        Slack allowed on loads (for float times).
    """
    t = np.asarray(times, dtype=np.float64)
    if t.ndim == 1:
        t = t[:, None]
    n = t.shape[0]
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64),
                          (t.shape[1],))
    where = np.full(n, -1, dtype=np.int64)
    for s, load in enumerate(stations):
        for task in load:
            if not 0 <= task < n:
                raise InvalidLineError(f"station {s + 1}: no task {task}")
            if where[task] >= 0:
                raise InvalidLineError(
                    f"task {task} on stations {where[task] + 1} and {s + 1}")
            where[task] = s
        total = t[list(load)].sum(axis=0) if len(load) else np.zeros_like(cap)
        over = total > cap + tolerance * np.maximum(cap, 1.0)
        if over.any():
            k = int(np.argmax(over))
            raise InvalidLineError(
                f"station {s + 1}: load {total[k]} exceeds {cap[k]} "
                f"(dimension {k})")
    missing = np.flatnonzero(where < 0)
    if missing.size:
        raise InvalidLineError(f"task {missing[0]} on no station")
    a = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    late = where[a[:, 0]] > where[a[:, 1]]
    if late.any():
        i, j = a[int(np.argmax(late))]
        raise InvalidLineError(
            f"task {i} (station {where[i] + 1}) must not follow task {j} "
            f"(station {where[j] + 1})")
