"""Line balancing: SALBP-1, SALBP-2 and mixed-model lines.

Public entry points:

- :func:`solve_salbp1` fewest stations for a cycle time (exact BB&R);
- :func:`solve_small` the same for a small line, in plain Python;
- :func:`solve_salbp2` shortest cycle for a station count;
- :func:`balance_mixed_model` the plant's mixed-model line;
- :func:`check_line` the independent checker every solver calls.

The names that import numpy are loaded on first use (PEP 562): the
SALBP-2 and mixed-model ones import numba and the compiled kernels,
which a small SALBP-1 instance does not need (see :mod:`.salbp1`), and
numpy itself costs 0.12 s of CPU, a third of ``taktplan balance`` on a
three-task line (measured); the checker, the plain-Python instance and
the small search import without it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from taktplan.balance.check import InvalidLineError as InvalidLineError
from taktplan.balance.check import check_line as check_line
from taktplan.balance.instance import SalbpInstance as SalbpInstance
from taktplan.balance.small import SmallLine as SmallLine
from taktplan.balance.small import solve_small as solve_small

if TYPE_CHECKING:
    from taktplan.balance.mixed import MixedModelBalance as MixedModelBalance
    from taktplan.balance.mixed import MixedModelProblem as MixedModelProblem
    from taktplan.balance.mixed import (
        balance_mixed_model as balance_mixed_model,
    )
    from taktplan.balance.problem import SalbpProblem as SalbpProblem
    from taktplan.balance.result import SalbpResult as SalbpResult
    from taktplan.balance.salbp1 import solve_salbp1 as solve_salbp1
    from taktplan.balance.salbp2 import solve_salbp2 as solve_salbp2

#: Names loaded on first use, and the module of each.
_LAZY = {"MixedModelBalance": "mixed", "MixedModelProblem": "mixed",
         "balance_mixed_model": "mixed", "SalbpProblem": "problem",
         "SalbpResult": "result", "solve_salbp1": "salbp1",
         "solve_salbp2": "salbp2"}

__all__ = [
    "InvalidLineError",
    "MixedModelBalance",
    "MixedModelProblem",
    "SalbpInstance",
    "SalbpProblem",
    "SalbpResult",
    "SmallLine",
    "balance_mixed_model",
    "check_line",
    "solve_salbp1",
    "solve_salbp2",
    "solve_small",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(import_module(f"taktplan.balance.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
