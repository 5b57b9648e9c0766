"""Priority-rule construction of two-sided lines with seeded restarts.

Station by station: append the movable task of highest priority at its
earliest start (ties: the earlier start, then the left side), open the
next station when none fits. Members of a started together group and
tasks pinned to the open station (and their predecessors) go first; a
station that cannot finish a together group it opened is filled again
without it. The rules are the positional weight, the task time (as the
tie-break of the weight and as the lead) and the topological order;
restarts perturb them with a seeded generator, so the same seed gives
the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.problem import EITHER

if TYPE_CHECKING:
    from taktplan.balance.twosided.station import Prepared

Placement = list[list[tuple[int, int, int]]]


@dataclass(frozen=True)
class LineArrays:
    """What the compiled greedy (:mod:`._construct`) reads of a
    :class:`.station.Prepared`: the tasks' times, sides, pins and the
    earliest pinned station each must precede, their predecessors and
    apart partners (CSR), together-group labels, the positions' sides and
    the extra dimensions (variants)."""

    t: np.ndarray
    side: np.ndarray
    pred_ptr: np.ndarray
    pred_idx: np.ndarray
    apart_ptr: np.ndarray
    apart_idx: np.ndarray
    pin: np.ndarray
    group: np.ndarray
    grouped: np.ndarray
    urgent: np.ndarray
    pos_side: np.ndarray
    xt: np.ndarray
    caps: np.ndarray
    xw: np.ndarray

    @classmethod
    def of(cls, prep: Prepared) -> LineArrays:
        """The arrays of ``prep``."""
        n = prep.n
        pred_ptr, pred_idx = csr([list(p) for p in prep.preds])
        apart_ptr, apart_idx = csr([_members(m) for m in prep.apart_mask])
        grouped = np.zeros(n, dtype=np.bool_)
        grouped[_members(prep.grouped_mask)] = True
        return cls(
            t=np.asarray(prep.t, dtype=np.int64),
            side=np.asarray(prep.side, dtype=np.int64),
            pred_ptr=pred_ptr, pred_idx=pred_idx,
            apart_ptr=apart_ptr, apart_idx=apart_idx,
            pin=np.asarray(prep.pin, dtype=np.int64),
            # a group's label: its lowest task
            group=np.asarray([(m & -m).bit_length() - 1
                              for m in prep.group_mask], dtype=np.int64),
            grouped=grouped,
            urgent=np.asarray(_urgent(prep), dtype=np.int64),
            pos_side=np.asarray(prep.pos_side, dtype=np.int64),
            xt=np.asarray(prep.extra_t, dtype=np.int64).reshape(
                n, len(prep.extra_cap)),
            caps=np.asarray(prep.extra_cap, dtype=np.int64),
            xw=np.asarray(prep.extra_w, dtype=np.int64))


def _members(mask: int) -> list[int]:
    """The tasks of a bit mask, in order."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` as compressed rows: row ``i`` is
    ``idx[ptr[i]:ptr[i + 1]]`` (int64)."""
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, r in enumerate(rows):
        ptr[i + 1] = ptr[i] + len(r)
    idx = np.array([x for r in rows for x in r], dtype=np.int64)
    return ptr, idx


def construct(prep: Prepared, c: int, prio: np.ndarray,
              max_stations: int,
              max_positions: int | None = None,
              arrays: LineArrays | None = None) -> Placement | None:
    """One greedy line at cycle ``c``: per station its ``(task, position,
    start)``; ``None`` when it needs more than ``max_stations`` stations
    (or staffs more than ``max_positions`` operator positions: a position
    opens only while the line stays within them) or breaks a zoning
    rule. Station by station, the movable task of highest priority is
    appended at its earliest start (:class:`.station.StationState`'s
    move; ties: the earlier start, then the lower position), members of
    a started together group and tasks pinned to the open station (and
    their predecessors) first; a station that cannot finish a group it
    opened is filled again without it. Compiled (:mod:`._construct`); give
    ``arrays`` (:meth:`LineArrays.of`) when calling it many times."""
    # numba loads with the first line, not on import (`taktplan check`
    # imports the plant's balance stage)
    from taktplan.balance.twosided._construct import OK, construct_line

    a = arrays if arrays is not None else LineArrays.of(prep)
    status, task, pos, start, station = construct_line(
        a.t, a.side, a.pred_ptr, a.pred_idx, a.apart_ptr, a.apart_idx,
        a.pin, a.group, a.grouped, a.urgent, a.pos_side, a.xt, a.caps,
        a.xw, int(c), np.asarray(prio, dtype=np.float64),
        int(max_stations), -1 if max_positions is None else max_positions)
    if status != OK:
        return None
    line: Placement = [[] for _ in range(int(station[-1]) + 1)]
    for i, q, s, k in zip(task.tolist(), pos.tolist(), start.tolist(),
                          station.tolist(), strict=True):
        line[k].append((i, q, s))
    return line


def _urgent(prep: Prepared) -> list[int]:
    """Earliest pinned station each task must precede (``-1``: none)."""
    urgent = list(prep.pin)
    changed = True
    while changed:
        changed = False
        for j in range(prep.n):
            if urgent[j] < 0:
                continue
            for i in prep.preds[j]:
                if urgent[i] < 0 or urgent[i] > urgent[j]:
                    urgent[i] = urgent[j]
                    changed = True
    return urgent


def rules(prep: Prepared) -> list[np.ndarray]:
    """The deterministic priority vectors (larger first)."""
    w = np.asarray(prep.weight)
    t = np.asarray(prep.t, dtype=np.float64)
    scale = max(1.0, float(w.max()))
    return [w, t + w / (scale * 10.0), w / scale + t,
            -np.asarray(prep.rank, dtype=np.float64)]


def best_line(prep: Prepared, c: int, max_stations: int, restarts: int,
              seed: int,
              max_positions: int | None = None) -> Placement | None:
    """The line with fewest stations, then fewest operators, over the
    rules and ``restarts`` seeded perturbations of them (within
    ``max_positions`` staffed positions when given; the rules then also
    come with the sided tasks first, which leaves either-side work for
    the last station's single position)."""
    rng = np.random.default_rng(seed)
    best: Placement | None = None
    best_key = (max_stations + 1, 0)
    base = rules(prep)
    if max_positions is not None:
        sided = np.asarray([s != EITHER for s in prep.side], dtype=float)
        base = base + [r + sided * (np.abs(r).max() + 1.0) for r in base]
    tries = list(base)
    for r in range(restarts):
        rule = base[r % len(base)]
        noise = rng.uniform(0.7, 1.3, size=prep.n)
        tries.append(rule * noise if rule.min() >= 0 else rule + noise * 5)
    arrays = LineArrays.of(prep)
    for prio in tries:
        line = construct(prep, c, prio, best_key[0] if best else max_stations,
                         max_positions, arrays)
        if line is None:
            continue
        key = (len(line), staffed_positions(line))
        if key < best_key:
            best, best_key = line, key
    return best


def staffed_positions(line: Placement) -> int:
    """The operator positions of ``line`` with at least one task."""
    return sum(len({q for _, q, _ in st}) for st in line)


def cycle_of(prep: Prepared, line: Placement) -> int:
    """The latest finish of a task of ``line``: its cycle time."""
    return max((s + prep.t[i] for st in line for i, _, s in st), default=0)
