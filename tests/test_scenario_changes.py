"""Changing a scenario from Python validates (issue 16, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from taktplan.errors import InputError
from taktplan.pipeline import plan
from taktplan.scenario import load_scenario

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"


def test_model_copy_validates_the_changed_field() -> None:
    """annual_volume = -5 through model_copy is refused, as in a file."""
    s = load_scenario(TINY)
    with pytest.raises(ValidationError, match="annual_volume"):
        s.targets.model_copy(update={"annual_volume": -5})
    with pytest.raises(ValidationError, match="annual_volume"):
        s.model_copy(update={"targets": {"annual_volume": -5,
                                         "availability": 0.9}})


def test_model_copy_refuses_unknown_keys_and_cross_field_breaks() -> None:
    """A misspelt key and a start above the target are errors."""
    s = load_scenario(TINY)
    with pytest.raises(ValidationError, match="annual_volum"):
        s.targets.model_copy(update={"annual_volum": 5})
    with pytest.raises(ValidationError, match="start_volume_per_year"):
        s.rampup.model_copy(update={"start_volume_per_year": 70_000})


def test_with_changes_takes_dotted_keys_and_validates() -> None:
    """Dotted keys change one field; the rest stays; bad values fail."""
    s = load_scenario(TINY)
    t = s.with_changes({"targets.annual_volume": 50_000,
                        "segments.0.buffer_after": 3,
                        "variants.1.share": 0.25})
    assert t.targets.annual_volume == 50_000
    assert t.segments[0].buffer_after == 3
    assert t.tasks == s.tasks and t.rampup == s.rampup
    assert s.targets.annual_volume == 60_000
    with pytest.raises(ValidationError, match=r"targets\.annual_volume"):
        s.with_changes({"targets.annual_volume": -5})
    with pytest.raises(ValidationError, match="availability"):
        s.with_changes({"targets.availability": float("nan")})


def test_plan_checks_a_changed_scenario_like_a_file() -> None:
    """Shares that no longer sum to 1 stop the plan with an InputError."""
    s = load_scenario(TINY).with_changes({"variants.1.share": 0.5})
    with pytest.raises(InputError, match=r"shares sum to 1\.25"):
        plan(s, replications=2)
