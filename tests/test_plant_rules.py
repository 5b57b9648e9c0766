"""The plan keeps every stated sequencing rule (issue 16, item 1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from taktplan.plant.rules import PlantRule, implies, mark_implied, window_most
from taktplan.plant.stages import balance_and_sequence
from taktplan.scenario import load_scenario
from taktplan.scenario.model import RatioRule

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"


def rule(name: str, variants: tuple[int, ...], p: int, q: int) -> PlantRule:
    """A stated rule for the hand-worked cases."""
    return PlantRule(name, variants, p, q, "scenario")


def window_violations(seq: np.ndarray, variants: tuple[int, ...], p: int,
                      q: int) -> int:
    """Summed excess over ``p`` of every full window of ``q``, by hand."""
    has = np.isin(seq, variants).astype(int)
    return sum(max(0, int(has[i:i + q].sum()) - p)
               for i in range(seq.size - q + 1))


def test_implication_hand_worked() -> None:
    """1 of 2 over {0, 1} keeps 1 of 2 over {0} and 2 of 3 over {0, 1};
    2 of 5 lets two in a row, so it implies neither 1 of 2 nor the
    reverse 1 of 2 -> 2 of 5 (1 of 2 lets 3 into 5)."""
    one_two = rule("a", (0, 1), 1, 2)
    assert window_most(one_two, 5) == 3
    assert implies(one_two, rule("b", (0,), 1, 2))
    assert implies(one_two, rule("c", (0, 1), 2, 3))
    assert not implies(one_two, rule("d", (0, 1), 2, 5))
    assert not implies(rule("e", (0,), 2, 5), rule("f", (0,), 1, 2))
    assert not implies(rule("g", (0,), 1, 2), one_two)
    marked = mark_implied([rule("x", (0,), 1, 2), rule("y", (0,), 2, 5),
                           rule("z", (0,), 1, 2)])
    assert [r.implied_by for r in marked] == [None, None, "x"]


def test_stated_rule_kept_beside_a_weaker_derived_one() -> None:
    """The tiny plant's loads call for 2 of 5 on B; a stated 1 of 2 on
    4x4 (B) is kept, enforced and counted, not replaced by 2 of 5."""
    s = load_scenario(TINY)
    stated = RatioRule(option="drive", value="4x4", p=1, q=2)
    s = s.model_copy(update={"sequencing": s.sequencing.model_copy(
        update={"rules": (stated,)})})
    q = balance_and_sequence(s).sequence
    by_name = {r.name: (k, r) for k, r in enumerate(q.rules)}
    k, kept = by_name["drive=4x4"]
    assert (kept.p, kept.q, kept.origin, kept.implied_by) == (
        1, 2, "scenario", None)
    assert kept.variants == (1,)
    assert kept.stated == "at most 1 of 2 consecutive drive=4x4"
    assert by_name["heavy@line-01"][1].origin == "loads"
    for j, r in enumerate(q.rules):
        assert q.violations_per_rule[j] == window_violations(
            q.sequence, r.variants, r.p, r.q)
    # 62 B among 250 vehicles: 1 of 2 is keepable, so it is kept.
    assert q.violations_per_rule[k] == 0
    assert q.violations == int(q.violations_per_rule.sum())


def test_builtin_stated_rules_reported_with_the_rule_that_implies_them(
        ) -> None:
    """The built-in plant's 1 of 2 on 4x4 and 2 of 3 on double cabs are
    reported as stated; where a derived rule implies one, it is named."""
    q = balance_and_sequence(load_scenario()).sequence
    rules = {r.name: r for r in q.rules}
    assert (rules["drive=4x4"].p, rules["drive=4x4"].q) == (1, 2)
    assert (rules["cab=double"].p, rules["cab=double"].q) == (2, 3)
    assert rules["drive=4x4"].origin == rules["cab=double"].origin == (
        "scenario")
    for k, r in enumerate(q.rules):
        assert q.violations_per_rule[k] == window_violations(
            q.sequence, r.variants, r.p, r.q)
        if r.implied_by is not None:
            by = rules[r.implied_by]
            assert implies(by, r)
            assert by.implied_by is None or implies(rules[by.implied_by], by)
    assert q.violations == int(q.violations_per_rule.sum())


@pytest.mark.parametrize("p,q,length,most", [(1, 2, 5, 3), (2, 3, 7, 5),
                                             (2, 5, 2, 2), (3, 4, 6, 5)])
def test_window_most(p: int, q: int, length: int, most: int) -> None:
    """The most of a rule's variants a window holds, by hand."""
    assert window_most(rule("r", (0,), p, q), length) == most
