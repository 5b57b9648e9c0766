"""Ratio rules for the sequencer, derived from station loads or given.

A station whose work for some variant exceeds the cycle can absorb the
excess only if lighter vehicles follow: over any ``q`` consecutive
vehicles the work must fit in ``q`` cycles. With the heavy variants'
largest time ``h`` and the lightest variant's time ``l`` at that
station, ``p`` heavy of ``q`` consecutive fit when
``p * h + (q - p) * l <= q * c``, so ``p / q <= (c - l) / (h - l)``.
The rule kept is the largest ``p / q`` with ``q <= max_q`` below that
ratio (ties: the smaller ``q``, the less restrictive window).

Every rule is kept and reported; the sequencer is spared only a rule
another one provably implies (:func:`implies`), and that rule is still
reported and its violations counted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from taktplan.scenario.model import Scenario


@dataclass(frozen=True)
class PlantRule:
    """A ratio rule on a set of variants: at most p of q consecutive.

    Attributes
    ----------
    name
        What the rule is about (``"drive=4x4"``, ``"heavy@trim-07"``).
    variants
        Indices of the variants the rule restricts.
    p, q
        At most ``p`` of any ``q`` consecutive vehicles.
    origin
        ``"scenario"`` for a given rule, ``"loads"`` for a derived one.
    implied_by
        The name of the rule that implies this one (the sequencer then
        keeps that one for both), or ``None``.
    """

    name: str
    variants: tuple[int, ...]
    p: int
    q: int
    origin: str
    implied_by: str | None = None

    @property
    def stated(self) -> str:
        """The rule in words: ``at most 1 of 2 consecutive drive=4x4``."""
        return f"at most {self.p} of {self.q} consecutive {self.name}"


def window_most(rule: PlantRule, length: int) -> int:
    """The most vehicles of ``rule``'s variants in ``length`` consecutive
    ones of a sequence that keeps ``rule``.

    A window of ``k * q + r`` vehicles splits into ``k`` windows of
    ``q`` (at most ``p`` each) and one of ``r`` (at most ``min(p, r)``).
    """
    k, r = divmod(length, rule.q)
    return k * rule.p + min(rule.p, r)


def implies(a: PlantRule, b: PlantRule) -> bool:
    """Whether every sequence that keeps ``a`` keeps ``b`` too.

    True when ``a`` covers all of ``b``'s variants and ``a`` lets at most
    ``b.p`` of them into any ``b.q`` consecutive vehicles.
    """
    return (set(b.variants) <= set(a.variants)
            and window_most(a, b.q) <= b.p)


def mark_implied(rules: list[PlantRule]) -> list[PlantRule]:
    """The same rules, each one another implies marked ``implied_by``.

    Of two rules that imply each other the earlier is kept (the
    scenario's rules come first). Rules that are not marked are the
    ones the sequencer needs to enforce; together they imply all.
    """
    out: list[PlantRule] = []
    dropped: set[int] = set()
    for i, rule in enumerate(rules):
        by = next((j for j, other in enumerate(rules)
                   if j != i and j not in dropped and implies(other, rule)
                   and (j < i or not implies(rule, other))), None)
        if by is None:
            out.append(rule)
        else:
            dropped.add(i)
            out.append(replace(rule, implied_by=rules[by].name))
    return out


def best_ratio(limit: float, max_q: int = 6) -> tuple[int, int] | None:
    """The largest p/q <= ``limit`` with 1 <= p <= q <= ``max_q``.

    ``None`` when even 1/``max_q`` exceeds ``limit``.
    """
    best: Fraction | None = None
    for q in range(1, max_q + 1):
        p = int(np.floor(limit * q + 1e-9))
        p = min(p, q)
        if p < 1:
            continue
        f = Fraction(p, q)
        if best is None or f > best:
            best = f
    if best is None:
        return None
    return best.numerator, best.denominator


def rules_from_loads(loads: np.ndarray, cycle_s: float,
                     station_names: list[str],
                     max_q: int = 6) -> list[PlantRule]:
    """Ratio rules for every station some variant overloads.

    Parameters
    ----------
    loads
        ``(n_stations, n_variants)`` station time of each variant.
    cycle_s
        The cycle the station must keep on average.
    station_names
        A name for each station.

    Stations overloaded by the same set of variants share one rule, the
    most restrictive of theirs.
    """
    by_set: dict[tuple[int, ...], tuple[Fraction, str]] = {}
    for k in range(loads.shape[0]):
        row = loads[k]
        heavy = tuple(int(v) for v in np.flatnonzero(row > cycle_s + 1e-9))
        if not heavy:
            continue
        h = float(row[list(heavy)].max())
        light = float(row.min())
        limit = (cycle_s - light) / (h - light) if h > light else 1.0
        ratio = best_ratio(limit, max_q)
        p, q = ratio if ratio is not None else (1, max_q)
        f = Fraction(p, q)
        if heavy not in by_set or f < by_set[heavy][0]:
            by_set[heavy] = (f, station_names[k])
    rules = []
    for heavy, (f, station) in sorted(by_set.items(),
                                      key=lambda kv: kv[1][1]):
        rules.append(PlantRule(f"heavy@{station}", heavy, f.numerator,
                               f.denominator, "loads"))
    return rules


def rules_from_scenario(scenario: Scenario) -> list[PlantRule]:
    """The scenario's explicit rules, resolved to variant indices.

    A rule whose option value no variant has is dropped (it restricts
    nothing).
    """
    rules = []
    for rule in scenario.sequencing.rules:
        variants = tuple(
            i for i, v in enumerate(scenario.variants)
            if v.options.get(rule.option) == rule.value)
        if variants:
            rules.append(PlantRule(f"{rule.option}={rule.value}", variants,
                                   rule.p, rule.q, "scenario"))
    return rules
