"""Priority-rule construction of two-sided lines with seeded restarts.

Station by station: append the movable task of highest priority at its
earliest start (ties: the earlier start, then the left side), open the
next station when none fits. Members of a started together group and
tasks pinned to the open station (and their predecessors) go first. The
rules are the positional weight, the task time and the number of
followers; restarts perturb them with a seeded generator, so the same
seed gives the same lines.
"""

from __future__ import annotations

import numpy as np

from taktplan.balance.twosided.problem import EITHER
from taktplan.balance.twosided.station import Prepared, StationState

Placement = list[list[tuple[int, int, int]]]


def construct(prep: Prepared, c: int, prio: np.ndarray,
              max_stations: int,
              max_positions: int | None = None) -> Placement | None:
    """One greedy line at cycle ``c``: per station its ``(task, position,
    start)``; ``None`` when it needs more than ``max_stations`` stations
    (or staffs more than ``max_positions`` operator positions: a position
    opens only while the line stays within them) or breaks a zoning
    rule."""
    done = 0
    staffed = 0
    line: Placement = []
    urgent = _urgent(prep)
    while done != prep.full:
        k = len(line)
        if k >= max_stations:
            return None
        st = StationState(prep, c, k, done)
        while True:
            moves = st.moves(canonical=False)
            if max_positions is not None and (
                    staffed + sum(1 for u in st.pos_used if u)
                    >= max_positions):
                moves = [mv for mv in moves if st.pos_used[mv[1]]]
            if not moves:
                break
            open_groups = st.tasks & prep.grouped_mask
            best = None
            best_key: tuple[float, ...] = ()
            for i, q, start in moves:
                boost = 0.0
                if prep.group_mask[i] & open_groups:
                    boost = 2.0
                elif 0 <= urgent[i] <= k:
                    boost = 1.0
                key = (boost, prio[i], -start, -q)
                if best is None or key > best_key:
                    best, best_key = (i, q, start), key
            assert best is not None
            st.push(*best)
        if st.tasks == 0 and _waits_for_pin(prep, done, k):
            line.append([])
            continue
        if not st.can_close() or st.tasks == 0:
            return None
        line.append(list(st.placed))
        staffed += sum(1 for u in st.pos_used if u)
        done |= st.tasks
    return line


def _waits_for_pin(prep: Prepared, done: int, k: int) -> bool:
    """Whether a task not yet ``done`` is pinned beyond station ``k``:
    a station left empty because the rest waits for that pin (its
    predecessors' work fits fewer stations than the pin asks for)."""
    return any(p > k and not (done >> i) & 1
               for i, p in enumerate(prep.pin))


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
    followers = np.zeros(prep.n)
    for i in range(prep.n):
        followers[i] = bin(prep.pred_mask[i]).count("1")
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
    for prio in tries:
        line = construct(prep, c, prio, best_key[0] if best else max_stations,
                         max_positions)
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
