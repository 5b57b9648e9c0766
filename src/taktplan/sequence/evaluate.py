"""The violation measure of a car sequence (vectorised numpy).

Measure: for each option ``k`` and each *full* window of ``q[k]``
consecutive cars (``n - q[k] + 1`` windows), the excess
``max(0, cars with option k in the window - p[k])``, summed over windows
and options. It is the measure of Gottlieb, Puchta & Solnon (2003), of the
ACO papers of Solnon and of the Hexaly example, and the one the CSPLib
best-known table (``known.csv``) uses. Windows shorter than ``q`` at the
ends of the day are not counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from taktplan.sequence.instance import CarSequencingInstance


def window_counts(flags: np.ndarray, q: int) -> np.ndarray:
    """Count the 1s in each full window of ``q`` consecutive positions.

    Parameters
    ----------
    flags
        ``(n,)`` 0/1 per position.
    q
        Window length.

    Returns
    -------
    ``(max(0, n - q + 1),)`` counts, window ``s`` covering ``s..s+q-1``.
    """
    n = flags.shape[0]
    if n < q:
        return np.zeros(0, dtype=np.int64)
    csum = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
    return csum[q:] - csum[: n - q + 1]


def violations_per_option(
    instance: CarSequencingInstance, sequence: np.ndarray
) -> np.ndarray:
    """Summed window excess of each option, ``(n_options,)``."""
    flags = instance.options[np.asarray(sequence, dtype=np.int64)]
    out = np.zeros(instance.n_options, dtype=np.int64)
    for k in range(instance.n_options):
        counts = window_counts(flags[:, k], int(instance.q[k]))
        out[k] = np.maximum(counts - instance.p[k], 0).sum()
    return out


def count_violations(
    instance: CarSequencingInstance, sequence: np.ndarray
) -> int:
    """Total violations of ``sequence`` (see the module docstring)."""
    return int(violations_per_option(instance, sequence).sum())


def violation_mask(
    instance: CarSequencingInstance, sequence: np.ndarray
) -> np.ndarray:
    """Which cars sit in an over-full window of an option they carry.

    Returns
    -------
    ``(n_cars, n_options)`` bool: True where the car at the position has
    option ``k`` and some full window of ``q[k]`` cars containing it holds
    more than ``p[k]`` cars with option ``k``.
    """
    flags = instance.options[np.asarray(sequence, dtype=np.int64)]
    n = flags.shape[0]
    mask = np.zeros(flags.shape, dtype=bool)
    for k in range(instance.n_options):
        q = int(instance.q[k])
        over = window_counts(flags[:, k], q) > instance.p[k]
        if not over.any():
            continue
        # Position t is covered by an over-full window iff some start s in
        # [t - q + 1, t] is over-full: a difference array marks the spans.
        diff = np.zeros(n + 1, dtype=np.int64)
        starts = np.flatnonzero(over)
        np.add.at(diff, starts, 1)
        np.add.at(diff, starts + q, -1)
        covered = np.cumsum(diff[:n]) > 0
        mask[:, k] = covered & (flags[:, k] == 1)
    return mask
