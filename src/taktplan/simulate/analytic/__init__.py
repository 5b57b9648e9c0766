"""Analytic models of unreliable lines: exact two-machine lines (Gershwin),
the DDX decomposition for long lines, and the exact Markov chain of short
exponential lines. They cross-check the simulator and give throughput
estimates in milliseconds.
"""

from taktplan.simulate.analytic.decomposition import (
    DecompositionResult as DecompositionResult,
)
from taktplan.simulate.analytic.decomposition import ddx as ddx
from taktplan.simulate.analytic.decomposition import (
    decomposition_throughput as decomposition_throughput,
)
from taktplan.simulate.analytic.decomposition import (
    line_parameters as line_parameters,
)
from taktplan.simulate.analytic.markov import ChainResult as ChainResult
from taktplan.simulate.analytic.markov import exact_line as exact_line
from taktplan.simulate.analytic.two_machine import (
    TwoMachineResult as TwoMachineResult,
)
from taktplan.simulate.analytic.two_machine import (
    two_machine_bernoulli as two_machine_bernoulli,
)
from taktplan.simulate.analytic.two_machine import (
    two_machine_exponential as two_machine_exponential,
)

__all__ = [
    "ChainResult",
    "DecompositionResult",
    "TwoMachineResult",
    "ddx",
    "decomposition_throughput",
    "exact_line",
    "line_parameters",
    "two_machine_bernoulli",
    "two_machine_exponential",
]
