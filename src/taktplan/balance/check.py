"""The independent checker: is a line a valid assignment?

Written apart from the solvers on purpose (it shares no code with
them): every task on exactly one station, every arc ``i -> j`` with
``station(i) <= station(j)``, every station's load within its
capacity. Each solver calls it before it returns a line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, SupportsFloat, cast

from taktplan.errors import ResultCheckError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np


class InvalidLineError(ResultCheckError):
    """A solver produced a line that breaks a constraint (a bug)."""


def check_line(
    stations: Sequence[Sequence[int]],
    times: np.ndarray | Sequence[float] | Sequence[Sequence[float]],
    arcs: np.ndarray | Sequence[tuple[int, int]],
    capacity: float | np.ndarray | Sequence[float],
    *,
    tolerance: float = 1e-9,
) -> None:
    """Raise :class:`InvalidLineError` unless the line is valid.

    Plain Python, without numpy, so that a small line is checked before
    numpy is imported (see :mod:`.instance`).

    Parameters
    ----------
    stations
        Task indices (0-based) per station, in line order.
    times
        Task times, ``(n,)`` or ``(n, K)`` (an array or nested lists).
    arcs
        Precedence arcs ``(pred, succ)``, 0-based.
    capacity
        Station capacity: a number, or one per dimension ``(K,)``.
    tolerance
        Slack allowed on loads (for float times).
    """
    rows = _rows(times)
    n = len(rows)
    dims = len(rows[0]) if rows else 1
    caps = _capacities(capacity, dims)
    where = [-1] * n
    for s, load in enumerate(stations):
        total = [0.0] * dims
        for task in load:
            if not 0 <= task < n:
                raise InvalidLineError(f"station {s + 1}: no task {task}")
            if where[task] >= 0:
                raise InvalidLineError(
                    f"task {task} on stations {where[task] + 1} and {s + 1}")
            where[task] = s
            for k, t in enumerate(rows[task]):
                total[k] += t
        for k in range(dims):
            if total[k] > caps[k] + tolerance * max(caps[k], 1.0):
                raise InvalidLineError(
                    f"station {s + 1}: load {total[k]} exceeds {caps[k]} "
                    f"(dimension {k})")
    missing = [task for task in range(n) if where[task] < 0]
    if missing:
        raise InvalidLineError(f"task {missing[0]} on no station")
    for i, j in _arc_pairs(arcs):
        if where[i] > where[j]:
            raise InvalidLineError(
                f"task {i} (station {where[i] + 1}) must not follow task {j} "
                f"(station {where[j] + 1})")


def _rows(times: np.ndarray | Sequence[float] | Sequence[Sequence[float]]
          ) -> list[list[float]]:
    """Each task's times per dimension, as floats."""
    values = times.tolist() if hasattr(times, "tolist") else list(times)
    return [[float(x) for x in v] if isinstance(v, list | tuple)
            else [float(cast("SupportsFloat", v))] for v in values]


def _capacities(capacity: float | np.ndarray | Sequence[float],
                dims: int) -> list[float]:
    """The capacity of each of ``dims`` dimensions (a number serves all)."""
    value = capacity.tolist() if hasattr(capacity, "tolist") else capacity
    if isinstance(value, list | tuple):
        caps = [float(c) for c in value]
        return caps * dims if len(caps) == 1 else caps
    return [float(cast("SupportsFloat", value))] * dims


def _arc_pairs(arcs: np.ndarray | Sequence[tuple[int, int]]
               ) -> list[tuple[int, int]]:
    """The arcs as ``(pred, succ)`` pairs of Python ints."""
    values = arcs.tolist() if hasattr(arcs, "tolist") else list(arcs)
    if values and not isinstance(values[0], list | tuple):
        values = [values[k:k + 2] for k in range(0, len(values), 2)]
    return [(int(a), int(b)) for a, b in values]
