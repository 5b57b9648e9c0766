"""The two-sided line balancing problem (TALBP): tasks, sides, rules.

A :class:`TwoSidedProblem` holds integer task times, each task's side
(``L``, ``R`` or ``E`` = either), 0-based precedence arcs and the
zoning rules of real lines: tasks that must share a station
(``together``), tasks that must not (``apart``) and tasks pinned to a
station. A mated station has a left and a right side with up to
``operators_per_side`` operator positions each; ``two_sided=False``
gives a one-sided line whose stations hold ``operators_per_side``
positions (a multi-manned SALBP), the sides then being ignored.

It is pure data; the solvers of this package read it and never change
it. The checks here raise :class:`~taktplan.errors.InputError` naming
the source, the task and what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from taktplan.balance.problem import (
    find_cycle_arc,
    topological_order,
    transitive_closure,
)
from taktplan.errors import InputError

#: Side codes: ``E`` either side, ``L`` left, ``R`` right.
EITHER, LEFT, RIGHT = 0, 1, 2
SIDE_NAMES = ("E", "L", "R")
SIDE_CODES = {"E": EITHER, "L": LEFT, "R": RIGHT}

#: Tasks that must share one station: what binds them (for messages),
#: how to undo that, and the tasks.
_Block = tuple[str, str, np.ndarray]

#: Operator positions a side at most: each is one more schedule in every
#: station the searches time (100,000 a side on a 9-task file took 48 s
#: and wrote 13 MB of empty positions; the scenario allows 4).
MAX_OPERATORS_PER_SIDE = 8


@dataclass(frozen=True)
class TwoSidedProblem:
    """A two-sided (or multi-manned) assembly line balancing instance.

    Parameters
    ----------
    times
        Integer task times, shape ``(n,)``, each ``>= 0``.
    sides
        Side code per task (:data:`EITHER`, :data:`LEFT`, :data:`RIGHT`).
    arcs
        Precedence arcs ``(pred, succ)``, 0-based.
    name, source
        A label and where the data came from (used in messages).
    cycle_time
        The cycle time of a type-I instance, or ``None``.
    n_stations
        The mated stations of a type-II instance, or ``None``.
    together
        Pairs ``(i, j)`` of tasks that must share a station.
    apart
        Pairs ``(i, j)`` of tasks that must be at different stations.
    fixed_station
        0-based station per task, ``-1`` when free (empty: all free).
    extra_times, extra_limits
        Optional ``(n, D)`` integer times of further dimensions (the
        plant's variants) and each one's limit: the same positions and
        task orders must then also fit every dimension's limit. The
        heuristic and the station-oriented search keep them; the CP-SAT
        model times each dimension in its own order (a relaxation).
    extra_weights
        Optional integer weight of each extra dimension (the variants'
        demand shares): each station's weighted mean of its times in
        those dimensions must then be within the cycle too,
        ``sum(w[d] * time[d]) <= sum(w) * cycle`` (a station whose
        variants average more than the cycle cannot keep the takt).
    extra_names
        The user's name of each extra dimension (the plant's variant
        ids), for messages; empty: ``dimension 1``, ...
    extra_advice
        What a message tells to change when a rule's tasks overload an
        extra dimension's limit (the plant's ``"raise
        sequencing.variant_overload"``).
    operators_per_side
        Operator positions per side of a station (``K >= 1``).
    two_sided
        ``False`` for a one-sided line (the sides are then ignored).
    task_lines
        Where each task was read (``"line 12"``), for messages.
    task_ids
        The user's name of each task (the plant's ``"TR005"``), for
        messages; ``None``: ``task 5``, 1-based as in a file.
    time_unit_s
        Seconds per unit of the times, for messages (the plant's
        tenths of a second: 0.1); ``None``: the file's own units.
    cycle_advice
        What a message tells to change when the cycle is too short for
        a rule: a file's ``"raise the cycle time"``, the plant's
        ``"lower the volume"`` (its cycle comes from the volume).
    """

    times: np.ndarray
    sides: np.ndarray
    arcs: np.ndarray
    name: str = "instance"
    source: str = "<data>"
    cycle_time: int | None = None
    n_stations: int | None = None
    together: tuple[tuple[int, int], ...] = ()
    apart: tuple[tuple[int, int], ...] = ()
    fixed_station: np.ndarray = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64))
    operators_per_side: int = 1
    two_sided: bool = True
    task_lines: tuple[str, ...] | None = field(default=None, repr=False)
    task_ids: tuple[str, ...] | None = field(default=None, repr=False)
    time_unit_s: float | None = field(default=None, repr=False)
    cycle_advice: str = field(default="raise the cycle time", repr=False)
    extra_times: np.ndarray | None = field(default=None, repr=False)
    extra_limits: tuple[int, ...] = ()
    extra_weights: tuple[int, ...] = ()
    extra_names: tuple[str, ...] = field(default=(), repr=False)
    extra_advice: str = field(default="raise its limit", repr=False)

    def __post_init__(self) -> None:
        times = np.ascontiguousarray(self.times, dtype=np.int64)
        sides = np.ascontiguousarray(self.sides, dtype=np.int64)
        arcs = np.asarray(self.arcs, dtype=np.int64).reshape(-1, 2)
        n = times.size
        fixed = np.ascontiguousarray(self.fixed_station, dtype=np.int64)
        if fixed.size == 0:
            fixed = np.full(n, -1, dtype=np.int64)
        for name, value in (("times", times), ("sides", sides),
                            ("arcs", arcs), ("fixed_station", fixed)):
            object.__setattr__(self, name, value)
        if times.ndim != 1 or n == 0:
            raise InputError(self.source, None, "no tasks",
                             "give at least one task")
        if sides.shape != (n,) or fixed.shape != (n,):
            raise InputError(self.source, None, "sides or fixed stations "
                             "do not match the task count",
                             "give one side per task")
        if (times < 0).any():
            task = int(np.argmax(times < 0))
            self.fail(task, f"task {task + 1} has negative time "
                      f"{times[task]}", "give task times >= 0")
        bad_side = (sides < 0) | (sides > 2)
        if bad_side.any():
            task = int(np.argmax(bad_side))
            self.fail(task, f"task {task + 1} has an unknown side",
                      "give L, R or E")
        if self.operators_per_side < 1:
            raise InputError(self.source, "operators per side",
                             f"{self.operators_per_side} operators per side",
                             "give at least one operator per side")
        if self.operators_per_side > MAX_OPERATORS_PER_SIDE:
            raise InputError(
                self.source, "operators per side",
                f"{self.operators_per_side} operators per side is more "
                f"than {MAX_OPERATORS_PER_SIDE} (every position is one "
                "more schedule in each station the searches try)",
                f"give 1-{MAX_OPERATORS_PER_SIDE} operators per side")
        bad = (arcs < 0) | (arcs >= n)
        if bad.any():
            k = int(np.argmax(bad.any(axis=1)))
            raise InputError(self.source, f"arc {k + 1}",
                             f"arc {arcs[k, 0] + 1},{arcs[k, 1] + 1} names "
                             f"a task outside 1..{n}",
                             "number tasks from 1 to the task count")
        loops = arcs[:, 0] == arcs[:, 1]
        if loops.any():
            k = int(np.argmax(loops))
            self.fail(int(arcs[k, 0]), f"task {arcs[k, 0] + 1} precedes "
                      "itself", "remove the arc")
        k_cycle = find_cycle_arc(n, arcs)
        if k_cycle is not None:
            a, b = arcs[k_cycle]
            raise InputError(self.source, f"arc {a + 1},{b + 1}",
                             f"precedence cycle through arc {a + 1},{b + 1}",
                             "remove an arc so that no task precedes itself")
        for pairs in (self.together, self.apart):
            for a, b in pairs:
                for task in (a, b):
                    if not 0 <= task < n:
                        raise InputError(self.source, "rules",
                                         f"task {task + 1} is outside 1..{n}",
                                         "name tasks of the line")
        self._check_rules()
        if self.cycle_time is not None:
            self.check_cycle_time(self.cycle_time)
        if self.n_stations is not None:
            self.check_stations(self.n_stations)

    # -- derived data -------------------------------------------------
    @property
    def n_tasks(self) -> int:
        """The number of tasks."""
        return int(self.times.size)

    @property
    def positions_per_station(self) -> int:
        """Operator positions of one station (both sides)."""
        return self.operators_per_side * (2 if self.two_sided else 1)

    @property
    def position_sides(self) -> tuple[int, ...]:
        """The side of each operator position of a station, as every
        backend numbers them: the left's ``K`` then the right's (one
        side, :data:`EITHER`, when not two-sided)."""
        k = self.operators_per_side
        if self.two_sided:
            return (LEFT,) * k + (RIGHT,) * k
        return (EITHER,) * k

    @cached_property
    def closure(self) -> np.ndarray:
        """Transitive closure: ``closure[i, j]`` when i must precede j."""
        return transitive_closure(self.n_tasks, self.arcs)

    @cached_property
    def topological_order(self) -> np.ndarray:
        """The tasks in an order compatible with every arc."""
        return topological_order(self.n_tasks, self.arcs)

    @cached_property
    def groups(self) -> np.ndarray:
        """Together-group label per task (tasks that share a station)."""
        parent = list(range(self.n_tasks))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b in self.together:
            parent[root(int(a))] = root(int(b))
        return np.array([root(i) for i in range(self.n_tasks)],
                        dtype=np.int64)

    def side_name(self, task: int) -> str:
        """``"L"``, ``"R"`` or ``"E"``."""
        return SIDE_NAMES[int(self.sides[task])]

    def with_cycle_time(self, cycle_time: int) -> TwoSidedProblem:
        """A copy of type I at ``cycle_time`` (checked against the tasks)."""
        return replace(self, cycle_time=int(cycle_time), n_stations=None)

    def with_stations(self, n_stations: int) -> TwoSidedProblem:
        """A copy of type II with ``n_stations`` mated stations."""
        return replace(self, n_stations=int(n_stations), cycle_time=None)

    # -- checks -------------------------------------------------------
    def where(self, task: int) -> str:
        """The place of a task in the source, for messages."""
        if self.task_lines is not None:
            if self.task_ids is not None:
                return self.task_lines[task]
            return f"{self.task_lines[task]} (task {task + 1})"
        return f"task {task + 1}"

    def task_name(self, task: int) -> str:
        """The task as its user names it: ``TR005``, or ``task 5``."""
        if self.task_ids is not None:
            return self.task_ids[int(task)]
        return f"task {int(task) + 1}"

    def task_names(self, tasks: np.ndarray | list[int],
                   most: int = 8) -> str:
        """Up to ``most`` tasks by name, then how many more."""
        if self.task_ids is None:
            shown = ", ".join(str(int(t) + 1) for t in tasks[:most])
            head = f"task {shown}" if len(tasks) == 1 else f"tasks {shown}"
        else:
            head = ", ".join(self.task_ids[int(t)] for t in tasks[:most])
        more = len(tasks) - most
        return head + (f" and {more} more" if more > 0 else "")

    def rules_text(self, most: int = 4) -> str:
        """The zoning rules by the tasks they bind, for a message:
        ``TR005 at station 17; A2 with A6; A1 apart from A3``."""
        name = self.task_name
        out = [f"{name(int(i))} at station {self.fixed_station[i] + 1}"
               for i in np.flatnonzero(self.fixed_station >= 0)]
        g = self.groups
        for label in np.unique(g):
            tasks = np.flatnonzero(g == label)
            if tasks.size > 1:
                out.append(" with ".join(name(int(t)) for t in tasks))
        out += [f"{name(a)} apart from {name(b)}" for a, b in self.apart]
        more = len(out) - most
        return "; ".join(out[:most]) + (f"; and {more} more" if more > 0
                                        else "")

    def time_text(self, value: float) -> str:
        """A time in the user's units: ``87.0 s``, or a file's ``870``."""
        if self.time_unit_s is None:
            return f"{value:g}"
        return f"{value * self.time_unit_s:.1f} s"

    def fail(self, task: int, problem: str, fix: str) -> None:
        """Raise an :class:`InputError` about ``task``."""
        raise InputError(self.source, self.where(task), problem, fix)

    def check_cycle_time(self, cycle_time: int,
                         shown: float | None = None) -> None:
        """Raise :class:`InputError` unless every task and every group of
        tasks bound to one station fits ``cycle_time``, and every pinned
        task's predecessors and followers fit the stations before and
        after its pin (a line has at most as many stations as tasks).

        The one check of these rules, for ``taktplan balance``, the
        plant's ``check`` and its ``plan``: messages name the tasks as
        the user does, times in the user's units, and the plant's
        advice (:attr:`cycle_advice`). ``shown``: the cycle as the user
        gave it, for the messages (a fractional ``--cycle-time 12.5``,
        checked at 12).
        """
        advice = self.cycle_advice
        cycle_text = self.time_text(cycle_time if shown is None else shown)
        if cycle_time < 1:
            raise InputError(self.source, "cycle time",
                             f"cycle time {cycle_time} is below 1",
                             "give a positive cycle time")
        longest = int(np.argmax(self.times))
        if self.times[longest] > cycle_time:
            self.fail(longest, f"{self.task_name(longest)} takes "
                      f"{self.time_text(self.times[longest])}, longer than "
                      f"the cycle time {cycle_text}",
                      f"{advice} to at least the longest task time or "
                      "split the task")
        blocks = self._station_blocks()
        for block in blocks:
            self._check_block(block, self.times, cycle_time,
                              f"the cycle time {cycle_text}", "", advice)
        if self.extra_times is not None:
            # each variant's times on the same station, within its limit
            for d, limit in enumerate(self.extra_limits):
                label = (self.extra_names[d] if d < len(self.extra_names)
                         else f"dimension {d + 1}")
                for block in blocks:
                    self._check_block(
                        block, self.extra_times[:, d], int(limit),
                        f"{label}'s limit {self.time_text(limit)}",
                        f" for {label}", self.extra_advice)
        self._check_pin_reach(cycle_time)

    def _check_block(self, block: _Block, times: np.ndarray, limit: int,
                     limit_text: str, of: str, advice: str) -> None:
        """Raise unless the tasks of ``block``, which share one station,
        fit ``limit`` with ``times``: each side's own work, their
        precedence chain and their total (``of``: which times, as
        `` for JVV``; ``limit_text`` the limit as messages name it)."""
        what, undo, tasks = block
        k = self.operators_per_side
        cap = limit * k
        per_side = (f"one side of a station holds "
                    f"({self.time_text(cap)})" if k == 1 else
                    f"the {k} operators of one side of a station hold "
                    f"({k} x {self.time_text(limit)})")
        work = times[tasks]
        who = f"{self.task_names(tasks)} ({what})"
        for code, side, other in ((LEFT, "left", "right"),
                                  (RIGHT, "right", "left")):
            on = int(work[self.sides[tasks] == code].sum())
            if self.two_sided and on > cap:
                self.fail(int(tasks[0]), f"{who} need "
                          f"{self.time_text(on)}{of} on the {side} side, "
                          f"more than {per_side}",
                          f"{undo}, move one of them to the "
                          f"{other} side or E, or {advice}")
        chain = self._chain(tasks, times)
        if chain > limit:
            self.fail(int(tasks[0]), f"{who} form a precedence chain "
                      f"of {self.time_text(chain)}{of}, longer than "
                      f"{limit_text}", f"{undo} or {advice}")
        total = int(work.sum())
        room = cap * (2 if self.two_sided else 1)
        if total > room:
            self.fail(int(tasks[0]), f"{who} need "
                      f"{self.time_text(total)}{of}, more than a station "
                      f"holds ({self.time_text(room)})",
                      f"{undo} or {advice}")

    def stations_for(self, tasks: np.ndarray, cycle_time: int,
                     times: np.ndarray | None = None) -> int:
        """The stations ``tasks`` need at least at ``cycle_time``: their
        left-only, right-only and half their work (all of it on a
        one-sided line) over what a side holds, by ``times`` (default:
        the problem's)."""
        t = (self.times if times is None else times)[tasks]
        side = self.sides[tasks]
        cap = cycle_time * self.operators_per_side
        if not self.two_sided:
            return max(1, -(-int(t.sum()) // cap))
        need = max(int(t[side == LEFT].sum()), int(t[side == RIGHT].sum()),
                   -(-int(t.sum()) // 2))
        return max(1, -(-need // cap))

    def _check_pin_reach(self, cycle_time: int) -> None:
        """A pinned task's predecessors must fit the stations up to its
        pin, and its followers the stations from it to the line's last
        (a line has at most as many stations as tasks)."""
        pin = self.group_station
        cl = self.closure
        most = self.n_tasks
        for task in np.flatnonzero(self.fixed_station >= 0):
            group = np.flatnonzero(self.groups == self.groups[task])
            station = int(pin[task]) + 1
            name = self.task_name(int(task))
            if station > most:
                self.fail(int(task), f"{name} is pinned to station "
                          f"{station} but a line of {most} tasks has at "
                          f"most {most} stations",
                          f"pin it to a station from 1 to {most}")
            before = np.flatnonzero(cl[:, group].any(axis=1))
            before = np.setdiff1d(before, group)
            if before.size:
                need = self.stations_for(np.union1d(before, group),
                                         cycle_time)
                if need > station:
                    self.fail(int(task), f"{name} is pinned to station "
                              f"{station} but it and its predecessors "
                              f"{self.task_names(before, 5)} need at least "
                              f"{need} stations",
                              f"pin it to station {need} or later, or "
                              f"{self.cycle_advice}")
            after = np.flatnonzero(cl[group].any(axis=0))
            after = np.setdiff1d(after, group)
            if after.size:
                need = self.stations_for(np.union1d(after, group),
                                         cycle_time)
                if station - 1 + need > most:
                    self.fail(int(task), f"{name} is pinned to station "
                              f"{station} but it and its followers "
                              f"{self.task_names(after, 5)} need at least "
                              f"{need - 1} more station"
                              f"{'' if need == 2 else 's'} after it; a line "
                              f"of {most} tasks has at most {most}",
                              f"pin it to station {most - need + 1} or "
                              "earlier")

    def check_stations(self, n_stations: int) -> None:
        """Raise :class:`InputError` unless ``n_stations`` can hold the
        pinned tasks and each extra dimension's (variant's) work within
        its limit, whatever the cycle."""
        if n_stations < 1:
            raise InputError(self.source, "number of stations",
                             f"station count {n_stations} is below 1",
                             "give at least one station")
        for d, cap in enumerate(self.extra_limits):
            assert self.extra_times is not None
            times = self.extra_times[:, d]
            need = self.stations_for(np.arange(self.n_tasks), int(cap),
                                     times)
            if need > n_stations:
                label = (self.extra_names[d] if d < len(self.extra_names)
                         else f"dimension {d + 1}")
                work = self.time_text(int(times.sum()))
                raise InputError(
                    self.source, "number of stations",
                    f"{label}'s work ({work}) needs at least {need} "
                    f"stations within its limit {self.time_text(cap)}, "
                    f"more than {n_stations}",
                    f"give at least {need} stations or {self.extra_advice}")
        late = self.fixed_station >= n_stations
        if late.any():
            task = int(np.argmax(late))
            self.fail(task, f"task {task + 1} is fixed to station "
                      f"{self.fixed_station[task] + 1} but the line has "
                      f"{n_stations}", "pin it to a station of the line or "
                      "give more stations")

    def _chain(self, tasks: np.ndarray,
               times: np.ndarray | None = None) -> int:
        """Longest precedence chain through ``tasks`` and the tasks
        between them (which a shared station pulls in too), by
        ``times`` (default: the problem's)."""
        t = self.times if times is None else times
        cl = self.closure
        inside = np.zeros(self.n_tasks, dtype=bool)
        inside[tasks] = True
        inside |= cl[tasks].any(axis=0) & cl[:, tasks].any(axis=1)
        best = np.where(inside, t, 0).astype(np.int64)
        for i in self.topological_order:
            if not inside[i]:
                continue
            for j in np.flatnonzero(cl[i] & inside):
                best[j] = max(best[j], best[i] + t[j])
        return int(best.max())

    def _station_blocks(self) -> list[_Block]:
        """Sets of tasks that must share one station, with what binds
        them and how to undo it: together groups and the tasks pinned to
        each station."""
        blocks: list[_Block] = []
        g = self.groups
        for label in np.unique(g):
            tasks = np.flatnonzero(g == label)
            if tasks.size > 1:
                blocks.append(("bound together", "split the group", tasks))
        for s in np.unique(self.fixed_station[self.fixed_station >= 0]):
            pinned = np.flatnonzero(self.fixed_station == s)
            g_tasks = np.flatnonzero(np.isin(g, g[pinned]))
            blocks.append((f"pinned to station {s + 1}",
                           f"pin fewer of them to station {s + 1}",
                           g_tasks))
        return blocks

    def _check_rules(self) -> None:
        g = self.groups
        name = self.task_name
        for a, b in self.apart:
            if a == b:
                self.fail(int(a), f"{name(a)} is to be apart from itself",
                          "remove it from its own apart rules")
            if g[a] == g[b]:
                group = np.flatnonzero(g == g[a])
                via = ("" if group.size == 2 else " (through the together "
                       f"group {self.task_names(group)})")
                self.fail(int(a), f"{name(a)} must be apart from {name(b)} "
                          f"and also together with it{via}",
                          "drop one of the two rules")
            fa, fb = self.fixed_station[a], self.fixed_station[b]
            if fa >= 0 and fa == fb:
                self.fail(int(a), f"{name(a)} and {name(b)} must be apart "
                          f"but are both fixed to station {fa + 1}",
                          "drop the rule or move one of them")
        for label in np.unique(g):
            tasks = np.flatnonzero(g == label)
            pins = {int(s) for s in self.fixed_station[tasks] if s >= 0}
            if len(pins) > 1:
                self.fail(int(tasks[0]), f"{self.task_names(tasks)} must "
                          f"share a station but are fixed to stations "
                          f"{', '.join(str(p + 1) for p in sorted(pins))}",
                          "pin the group to one station")
        pin = self.group_station
        for a, b in self.arcs:
            if pin[a] >= 0 and pin[b] >= 0 and pin[a] > pin[b]:
                self.fail(int(b), f"{name(b)} is bound to station "
                          f"{pin[b] + 1} but follows {name(a)}, bound "
                          f"to station {pin[a] + 1}",
                          "pin them so that the predecessor comes first")

    @cached_property
    def group_station(self) -> np.ndarray:
        """0-based station each task is bound to through its together
        group's pinned member, ``-1`` when free."""
        g = self.groups
        out = np.full(self.n_tasks, -1, dtype=np.int64)
        for task in np.flatnonzero(self.fixed_station >= 0):
            out[g == g[task]] = self.fixed_station[task]
        return out

