"""The classic two-sided graphs' folder and a line check shared by the
two-sided tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from taktplan.balance.twosided import TwoSidedProblem, check_two_sided_line
from taktplan.balance.twosided.solve import stations_of

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
