"""Car-sequencing problem data and the result of solving it.

The instance is the CSPLib prob001 model: ``class_counts[c]`` cars of
class ``c``; class ``c`` carries option ``k`` when ``options[c, k]`` is 1;
option ``k`` allows at most ``p[k]`` cars with it in any ``q[k]``
consecutive cars (a "ratio rule" p/q).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from taktplan.errors import InputError

Status = Literal["optimal", "feasible", "infeasible", "unknown"]

_SOURCE = "<instance>"


def _int_array(name: str, value: object, ndim: int) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim != ndim:
        raise InputError(_SOURCE, name, f"expected {ndim}-D array, got "
                         f"shape {arr.shape}", "pass a matching array")
    if arr.size and not np.issubdtype(arr.dtype, np.integer) and (
            not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr))):
        raise InputError(_SOURCE, name, "holds non-integer values",
                         "use whole numbers")
    out = np.array(arr, dtype=np.int64)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class CarSequencingInstance:
    """A car-sequencing instance (classes, options and ratio rules).

    Parameters
    ----------
    class_counts
        ``(n_classes,)`` number of cars of each class (>= 0).
    options
        ``(n_classes, n_options)`` 0/1 flags: class ``c`` has option ``k``.
    p, q
        ``(n_options,)``: at most ``p[k]`` cars with option ``k`` in any
        ``q[k]`` consecutive cars; ``1 <= p[k] <= q[k]``.
    class_names, option_names
        Optional labels (for display only).

    Raises
    ------
    InputError
        When shapes disagree, a value is not a whole number, a flag is
        not 0/1, a count is negative or a rule has ``p > q`` or ``p < 1``.
    """

    class_counts: np.ndarray
    options: np.ndarray
    p: np.ndarray
    q: np.ndarray
    class_names: tuple[str, ...] | None = None
    option_names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        counts = _int_array("class_counts", self.class_counts, 1)
        opts = _int_array("options", self.options, 2)
        p = _int_array("p", self.p, 1)
        q = _int_array("q", self.q, 1)
        object.__setattr__(self, "class_counts", counts)
        object.__setattr__(self, "options", opts)
        object.__setattr__(self, "p", p)
        object.__setattr__(self, "q", q)
        if opts.shape[0] != counts.shape[0]:
            raise InputError(_SOURCE, "options", f"{opts.shape[0]} rows for "
                             f"{counts.shape[0]} classes",
                             "give one row of option flags per class")
        if p.shape != (opts.shape[1],) or q.shape != (opts.shape[1],):
            raise InputError(_SOURCE, "p/q", f"p has {p.size} and q has "
                             f"{q.size} entries for {opts.shape[1]} options",
                             "give one p and one q per option")
        if np.any(counts < 0):
            raise InputError(_SOURCE, "class_counts", "negative count",
                             "counts must be >= 0")
        if np.any((opts != 0) & (opts != 1)):
            raise InputError(_SOURCE, "options", "flags other than 0/1",
                             "use 0 or 1 per option")
        for k in range(p.size):
            if p[k] < 1 or q[k] < 1:
                raise InputError(_SOURCE, f"option {k}", f"rule {p[k]}/"
                                 f"{q[k]} has p or q below 1",
                                 "use 1 <= p <= q")
            if p[k] > q[k]:
                raise InputError(_SOURCE, f"option {k}", f"rule {p[k]}/"
                                 f"{q[k]} has p > q", "use 1 <= p <= q")
        for name, labels, size in (("class_names", self.class_names,
                                    counts.size),
                                   ("option_names", self.option_names,
                                    p.size)):
            if labels is not None and len(labels) != size:
                raise InputError(_SOURCE, name, f"{len(labels)} labels for "
                                 f"{size} items", "give one label each")

    @property
    def n_cars(self) -> int:
        """Total number of cars to sequence."""
        return int(self.class_counts.sum())

    @property
    def n_classes(self) -> int:
        """Number of classes (variants)."""
        return int(self.class_counts.size)

    @property
    def n_options(self) -> int:
        """Number of options (ratio rules)."""
        return int(self.p.size)

    def option_demand(self) -> np.ndarray:
        """Cars needing each option, ``(n_options,)``."""
        return self.class_counts @ self.options


@dataclass(frozen=True)
class SequenceResult:
    """A sequence and how good it is.

    Attributes
    ----------
    sequence
        ``(n_cars,)`` class index of the car at each position.
    violations
        Summed excess over every full window (see
        :func:`taktplan.sequence.evaluate.violations_per_option`).
    violations_per_option
        ``(n_options,)`` the same, option by option.
    violation_mask
        ``(n_cars, n_options)`` bool: the car at this position has the
        option and lies in a window of that option that holds more than
        ``p`` such cars (what to draw red on the strip).
    lower_bound
        A proved lower bound on the violations (0 when nothing better is
        known).
    status
        ``"optimal"`` (violations == lower_bound), ``"feasible"``,
        ``"infeasible"`` (no 0-violation sequence exists: proved; the
        sequence is still the best found) or ``"unknown"``.
    runtime_s
        Wall-clock seconds spent.
    method
        Which solver produced the sequence (``"greedy"``, ``"local"``,
        ``"cp-sat"``).
    """

    sequence: np.ndarray
    violations: int
    violations_per_option: np.ndarray
    violation_mask: np.ndarray
    lower_bound: int
    status: Status
    runtime_s: float
    method: str = "local"
    extra: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.violations < 0 or self.lower_bound < 0:
            raise ValueError("negative violations or bound not understood")
        if self.lower_bound > self.violations:
            raise ValueError("lower bound above the found violations")

    def summary(self) -> str:
        """One line: violations, bound, status and time."""
        return (f"violations {self.violations} (bound {self.lower_bound}, "
                f"{self.status}) in {self.runtime_s:.2f} s")
