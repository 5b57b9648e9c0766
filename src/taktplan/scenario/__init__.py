"""The scenario: a typed plant description loaded from TOML."""

from taktplan.scenario.load import (
    builtin_scenario_path as builtin_scenario_path,
)
from taktplan.scenario.load import load_scenario as load_scenario
from taktplan.scenario.load import parse_scenario as parse_scenario
from taktplan.scenario.model import Scenario as Scenario

__all__ = [
    "Scenario",
    "builtin_scenario_path",
    "load_scenario",
    "parse_scenario",
]
