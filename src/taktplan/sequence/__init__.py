"""Mixed-model sequencing: car sequencing (CSPLib) and ROADEF 2005.

Public entry points:

- :class:`CarSequencingInstance`, :class:`SequenceResult`;
- :func:`solve_car_sequencing` (greedy, local search, CP-SAT);
- :func:`count_violations`, :func:`violation_mask` (the measure);
- :func:`check_sequence` (the independent checker);
- :func:`solve_roadef` (ROADEF 2005 paint-shop and ratio objectives);
- :func:`reduce_overload` (the work overload of a paced line's sequence).
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
from taktplan.sequence.overload import OverloadResult as OverloadResult
from taktplan.sequence.overload import reduce_overload as reduce_overload
from taktplan.sequence.roadef import RoadefResult as RoadefResult
from taktplan.sequence.roadef import solve_roadef as solve_roadef
from taktplan.sequence.solve import (
    solve_car_sequencing as solve_car_sequencing,
)
