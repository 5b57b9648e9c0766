"""The plan result: every stage's result for one scenario.

The pipeline builds it; the report, the summary table and the JSON
writer (:mod:`taktplan.plan_json`) take it. It imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.plant.capacity_stage import CapacityPlan
    from taktplan.plant.consistency import PlanWarning
    from taktplan.plant.line_stage import PlantLine
    from taktplan.plant.sequence_stage import PlantSequence
    from taktplan.plant.verdict import Verdict
    from taktplan.plant.whatif import Recommendation
    from taktplan.scenario.model import Scenario
    from taktplan.simulate import SimulationResult


@dataclass(frozen=True)
class Plan:
    """Every stage's result for one scenario.

    Stages not run are ``None``. ``source`` names where the scenario
    came from (a path, ``"built-in"`` or ``"<scenario>"``);
    ``timings_s`` holds the seconds each stage took; ``warnings`` the
    inputs that contradict each other and the limits that bit.
    """

    scenario: Scenario
    source: str
    capacity: CapacityPlan
    balance: PlantBalance | None = None
    sequence: PlantSequence | None = None
    line: PlantLine | None = None
    simulation: SimulationResult | None = None
    verdict: Verdict | None = None
    recommendation: Recommendation | None = None
    timings_s: dict[str, float] = field(default_factory=dict)
    warnings: tuple[PlanWarning, ...] = ()
