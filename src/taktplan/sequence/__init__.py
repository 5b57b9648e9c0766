"""Mixed-model sequencing: car sequencing (CSPLib) and ROADEF 2005.

Public entry points:

- :class:`CarSequencingInstance`, :class:`SequenceResult`;
- :func:`solve_car_sequencing` (greedy, local search, CP-SAT);
- :func:`count_violations`, :func:`violation_mask` (the measure);
- :func:`check_sequence` (the independent checker).
"""

from taktplan.sequence.check import CheckReport as CheckReport
from taktplan.sequence.check import SequenceCheckError as SequenceCheckError
from taktplan.sequence.check import check_sequence as check_sequence
from taktplan.sequence.evaluate import count_violations as count_violations
from taktplan.sequence.evaluate import violation_mask as violation_mask
from taktplan.sequence.evaluate import (
    violations_per_option as violations_per_option,
)
from taktplan.sequence.instance import (
    CarSequencingInstance as CarSequencingInstance,
)
from taktplan.sequence.instance import SequenceResult as SequenceResult
from taktplan.sequence.solve import (
    solve_car_sequencing as solve_car_sequencing,
)
