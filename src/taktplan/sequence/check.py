"""An independent checker for car sequences.

Written apart from the solvers and from :mod:`.evaluate` (plain loops,
no shared code) so that a bug in one does not hide in the other. The
command line runs it on every sequence before printing it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from taktplan.errors import ResultCheckError
from taktplan.sequence.instance import CarSequencingInstance


class SequenceCheckError(ResultCheckError):
    """A returned sequence is wrong (a solver bug, never bad input)."""


@dataclass(frozen=True)
class CheckReport:
    """What the checker recomputed.

    Attributes
    ----------
    violations
        Violations recomputed window by window.
    per_option
        The same per option.
    """

    violations: int
    per_option: tuple[int, ...]


def check_sequence(
    instance: CarSequencingInstance,
    sequence: np.ndarray,
    claimed_violations: int | None = None,
) -> CheckReport:
    """Verify a sequence: class counts kept and violations recomputed.

    Parameters
    ----------
    instance
        The problem.
    sequence
        Class index per position.
    claimed_violations
        If given, the value the solver reported; it must match.

    Raises
    ------
    SequenceCheckError
        When the sequence has the wrong length, an unknown class, the
        wrong number of cars of a class, or violations other than claimed.
    """
    seq = [int(c) for c in sequence]
    n_classes = len(instance.class_counts)
    if len(seq) != int(sum(int(c) for c in instance.class_counts)):
        raise SequenceCheckError(
            f"sequence has {len(seq)} cars, instance has "
            f"{int(sum(instance.class_counts))}")
    seen = Counter(seq)
    for c in seen:
        if not 0 <= c < n_classes:
            raise SequenceCheckError(f"unknown class {c} in the sequence")
    for c in range(n_classes):
        if seen.get(c, 0) != int(instance.class_counts[c]):
            raise SequenceCheckError(
                f"class {c}: {seen.get(c, 0)} cars in the sequence, "
                f"{int(instance.class_counts[c])} demanded")
    per_option = []
    n = len(seq)
    for k in range(len(instance.p)):
        p, q = int(instance.p[k]), int(instance.q[k])
        total = 0
        for start in range(n - q + 1):
            inside = 0
            for t in range(start, start + q):
                inside += int(instance.options[seq[t]][k])
            if inside > p:
                total += inside - p
        per_option.append(total)
    report = CheckReport(sum(per_option), tuple(per_option))
    if claimed_violations is not None and (
            report.violations != claimed_violations):
        raise SequenceCheckError(
            f"solver claimed {claimed_violations} violations, the checker "
            f"counts {report.violations}")
    return report
