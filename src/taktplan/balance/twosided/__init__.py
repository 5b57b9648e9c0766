"""Two-sided (and multi-manned) line balancing: TALBP-1 and TALBP-2.

Public entry points:

- :class:`TwoSidedProblem` the instance (sides, zoning rules, operators);
- :func:`solve_talbp1` fewest mated stations then operators at a cycle;
- :func:`solve_talbp2` least cycle for a number of mated stations;
- :func:`check_two_sided_line` the independent checker.
"""

from __future__ import annotations

from taktplan.balance.twosided.budget import Budget as Budget
from taktplan.balance.twosided.check import (
    InvalidTwoSidedLineError as InvalidTwoSidedLineError,
)
from taktplan.balance.twosided.check import (
    check_two_sided_line as check_two_sided_line,
)
from taktplan.balance.twosided.fewest_stations import (
    solve_talbp1 as solve_talbp1,
)
from taktplan.balance.twosided.least_cycle import (
    solve_talbp2 as solve_talbp2,
)
from taktplan.balance.twosided.problem import (
    TwoSidedProblem as TwoSidedProblem,
)
from taktplan.balance.twosided.result import TwoSidedResult as TwoSidedResult

__all__ = ["Budget", "InvalidTwoSidedLineError", "TwoSidedProblem",
           "TwoSidedResult", "check_two_sided_line", "solve_talbp1",
           "solve_talbp2"]
