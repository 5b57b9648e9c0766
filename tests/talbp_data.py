"""The classic two-sided graphs' folder, a line check and random small
lines shared by the two-sided tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from taktplan.balance.twosided import TwoSidedProblem, check_two_sided_line
from taktplan.balance.twosided.finish import stations_of

TALBP = (Path(__file__).resolve().parents[2] / "shared" / "data" / "talbp"
         / "Singletype_Cobot_TALBP2")
needs_data = pytest.mark.skipif(not TALBP.is_dir(),
                                reason="../shared/data/talbp not present")


def check_placement(p: TwoSidedProblem,
                    line: list[list[tuple[int, int, int]]],
                    cycle: int) -> None:
    """Run the independent checker on a placement of ``p`` at ``cycle``."""
    check_two_sided_line(stations_of(p, line), p.times,
                         [p.side_name(i) for i in range(p.n_tasks)],
                         p.arcs, cycle, two_sided=p.two_sided,
                         operators_per_side=p.operators_per_side,
                         together=p.together, apart=p.apart,
                         fixed_station=[int(x) for x in p.fixed_station])


def random_line(seed: int, n: int, longest: int,
                arc_share: float) -> TwoSidedProblem:
    """A seeded plain two-sided line: ``n`` tasks of 1 to ``longest``,
    random sides, each forward pair an arc with probability
    ``arc_share``."""
    rng = np.random.default_rng(seed)
    times = rng.integers(1, longest + 1, n)
    sides = rng.integers(0, 3, n)
    arcs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)
                     if rng.random() < arc_share]).reshape(-1, 2)
    return TwoSidedProblem(times=times, sides=sides, arcs=arcs)
