"""The typed, validated, immutable scenario model (pydantic v2).

Units are in the field names: ``_s`` seconds, ``_min`` minutes, ``_h``
hours, ``_per_year`` per calendar year. Every model forbids unknown keys
and non-finite numbers, so a typo or a NaN in a scenario file is an
error, not a silent default.

Models are immutable; change one with :meth:`Scenario.with_changes`
(dotted keys) or ``model_copy(update=...)``, both of which validate the
result like a file (pydantic's own ``model_copy`` would not).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from taktplan.limits import (
    MAX_CV,
    MAX_FIXED_STATIONS,
    MAX_PLAN_REPLICATIONS,
    MAX_SEED,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]
#: Caps far beyond any real plant (README, "Bad input"): they keep every
#: computation finite and every run bounded.
MAX_VOLUME = 10_000_000  # vehicles a year
MAX_WEEKS = 5_200  # a hundred years
Weeks = Annotated[float, Field(ge=0.0, le=MAX_WEEKS, allow_inf_nan=False)]
Volume = Annotated[int, Field(ge=1, le=MAX_VOLUME)]
Identifier = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
]
Distribution = Literal[
    "exponential", "deterministic", "lognormal", "gamma", "weibull"
]


class Frozen(BaseModel):
    """Base of every scenario model: immutable, strict about keys."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False,
        validate_default=True,
    )

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Self:
        """A copy with ``update`` applied, validated like a new model.

        Raises :class:`pydantic.ValidationError` when a changed field is
        out of range, of the wrong type, unknown, or breaks a rule
        across fields (pydantic's own ``model_copy`` checks nothing).
        """
        if not update:
            return super().model_copy(deep=deep)
        # Only the fields given stay "given" (a scenario without [costs]
        # is still told so after a copy).
        fields = {name: getattr(self, name)
                  for name in self.model_fields_set}
        return type(self).model_validate({**fields, **update})


class Meta(Frozen):
    """Name and description of the scenario."""

    name: str = Field(min_length=1)
    description: str = ""
    #: What the line builds, as a plural noun printed with its numbers
    #: ("vehicles", "engines", "cabs").
    product: str = Field(default="vehicles", min_length=1, max_length=40,
                         pattern=r"^[^\x00-\x1f<>&\[\]]+$")
    schema_version: Literal[1] = 1


class Calendar(Frozen):
    """The plant's working calendar.

    Net working days are ``weekdays_per_year - holidays_per_year``; each
    has ``shifts_per_day`` shifts of ``shift_length_min`` minutes of
    which ``paid_breaks_min_per_shift`` are breaks with the line stopped,
    and ``planned_maintenance_min_per_day`` further minutes a day are
    kept for planned maintenance inside shift time.
    """

    weekdays_per_year: Annotated[int, Field(ge=1, le=366)]
    holidays_per_year: Annotated[int, Field(ge=0, le=366)] = 0
    shifts_per_day: Annotated[int, Field(ge=1, le=3)]
    max_shifts_per_day: Annotated[int, Field(ge=1, le=3)] = 3
    shift_length_min: Annotated[float, Field(gt=0, le=720,
                                             allow_inf_nan=False)]
    paid_breaks_min_per_shift: NonNegative = 0.0
    planned_maintenance_min_per_day: NonNegative = 0.0
    working_days_per_week: Annotated[int, Field(ge=1, le=7)] = 5
    overtime_max_h_per_month: NonNegative = 0.0

    @model_validator(mode="after")
    def _consistent(self) -> Calendar:
        if self.holidays_per_year >= self.weekdays_per_year:
            raise ValueError(
                "holidays_per_year must be below weekdays_per_year"
            )
        if self.max_shifts_per_day < self.shifts_per_day:
            raise ValueError(
                "max_shifts_per_day must be at least shifts_per_day"
            )
        if self.paid_breaks_min_per_shift >= self.shift_length_min:
            raise ValueError(
                "paid_breaks_min_per_shift must be shorter than the shift"
            )
        day = self.shifts_per_day * (
            self.shift_length_min - self.paid_breaks_min_per_shift
        )
        if self.planned_maintenance_min_per_day >= day:
            raise ValueError(
                "planned_maintenance_min_per_day leaves no production time"
            )
        return self


class Targets(Frozen):
    """The volume the plant must deliver and the availability to plan at.

    ``availability`` is the share of net shift time the line really
    produces (losses from breakdowns, starving, blocking, quality): the
    cycle time to design for is the takt times this share.
    """

    annual_volume: Volume
    availability: Fraction


class Variant(Frozen):
    """A buildable variant: its family, brand, options and demand share."""

    id: Identifier
    name: str = ""
    family: str = ""
    brand: str = ""
    share: Fraction
    options: dict[Identifier, str] = Field(default_factory=dict)


class Task(Frozen):
    """An assembly task: its area, its time per variant and predecessors.

    ``time_s`` applies to every variant not named in ``times_s``; a task
    a variant does not need has time 0 for it. Give at least one of the
    two.
    """

    id: Identifier
    name: str = ""
    area: Identifier
    time_s: NonNegative | None = None
    times_s: dict[Identifier, NonNegative] = Field(default_factory=dict)
    predecessors: tuple[Identifier, ...] = ()
    # Two-sided lines (issue 18): the side the task is done from (L, R or
    # E = either), tasks that must share its station or must not, and a
    # station of its segment (1-based) or a named zone of it.
    side: Literal["L", "R", "E"] = "E"
    together_with: tuple[Identifier, ...] = ()
    apart_from: tuple[Identifier, ...] = ()
    station: Annotated[int, Field(ge=1)] | None = None
    zone: Identifier | None = None

    @model_validator(mode="after")
    def _has_time(self) -> Task:
        if self.time_s is None and not self.times_s:
            raise ValueError("give time_s or times_s")
        return self

    def time_for(self, variant: str) -> float:
        """This task's time in seconds for one variant."""
        if variant in self.times_s:
            return self.times_s[variant]
        return self.time_s if self.time_s is not None else 0.0


#: Shortest MTBF (minutes) a station may have: more failures than that
#: per job make a simulated year take unbounded time.
MIN_MTBF_MIN = 0.01


class Reliability(Frozen):
    """Failure and repair of a station.

    MTBF counts operating time only (operation-dependent failures). Give
    either ``mtbf_min`` and ``mttr_min``, or an ``availability`` with
    ``mttr_min`` (then MTBF = MTTR * A / (1 - A)).
    """

    mtbf_min: Annotated[float, Field(ge=MIN_MTBF_MIN, le=1e9,
                                     allow_inf_nan=False)] | None = None
    mttr_min: Annotated[float, Field(ge=0.0, le=1e6,
                                     allow_inf_nan=False)] = 0.0
    availability: Fraction | None = None
    failure: Distribution = "exponential"
    repair: Distribution = "exponential"
    repair_cv: Annotated[float, Field(ge=0.0, le=MAX_CV,
                                      allow_inf_nan=False)] = 1.0

    @model_validator(mode="after")
    def _one_way(self) -> Reliability:
        if self.mtbf_min is not None and self.availability is not None:
            raise ValueError("give mtbf_min or availability, not both")
        if self.availability is not None and self.availability < 1.0:
            if self.mttr_min <= 0:
                raise ValueError("availability below 1 needs mttr_min > 0")
            if self.mtbf_effective_min < MIN_MTBF_MIN:
                raise ValueError(
                    f"availability {self.availability} with mttr_min "
                    f"{self.mttr_min} means a failure every "
                    f"{self.mtbf_effective_min:.3g} min, below "
                    f"{MIN_MTBF_MIN} min: raise the availability")
        if self.mtbf_min is not None and self.mttr_min <= 0:
            raise ValueError("mtbf_min needs mttr_min > 0 (a failure "
                             "takes time to repair)")
        if self.repair in ("lognormal", "gamma", "weibull") and \
                self.repair_cv <= 0 and \
                math.isfinite(self.mtbf_effective_min):
            raise ValueError(f"a {self.repair} repair needs repair_cv > 0 "
                             '(or repair = "deterministic")')
        return self

    @property
    def mtbf_effective_min(self) -> float:
        """MTBF in minutes (infinite for a station that never fails)."""
        if self.mtbf_min is not None:
            return self.mtbf_min
        if self.availability is None or self.availability >= 1.0:
            return math.inf
        a = self.availability
        return self.mttr_min * a / (1.0 - a)

    @property
    def availability_effective(self) -> float:
        """Steady-state availability MTBF / (MTBF + MTTR) while working."""
        mtbf = self.mtbf_effective_min
        if math.isinf(mtbf):
            return 1.0
        return mtbf / (mtbf + self.mttr_min)


class Segment(Frozen):
    """A segment of the line: a shop or a section of final assembly.

    A ``balanced`` segment takes the tasks of its ``areas`` and gets its
    stations from the balance; a ``fixed`` segment (body, paint) has a
    given number of stations of ``cycle_time_s`` each. In a ``paced``
    segment the stations move together, so one station down stops the
    segment. ``buffer_after`` is the capacity of the buffer (vehicles)
    between this segment and the next.
    """

    name: Identifier
    kind: Literal["balanced", "fixed"]
    areas: tuple[Identifier, ...] = ()
    stations: Annotated[int, Field(ge=1, le=MAX_FIXED_STATIONS)] | None = None
    cycle_time_s: Annotated[float, Field(gt=0.0, le=86_400.0,
                                         allow_inf_nan=False)] | None = None
    parallel: Annotated[int, Field(ge=1, le=16)] = 1
    paced: bool = True
    reliability: Reliability = Reliability()
    station_reliability: dict[Identifier, Reliability] = Field(
        default_factory=dict
    )
    buffer_after: Annotated[int, Field(ge=0, le=100_000)] = 0
    note: str = ""
    # Two-sided balanced segments (issue 18): mated stations with a left
    # and a right side, up to K operators a side; zones name stations
    # (1-based) that tasks may be pinned to with ``zone``.
    two_sided: bool = False
    max_operators_per_side: Annotated[int, Field(ge=1, le=4)] = 1
    zones: dict[Identifier, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict)

    @model_validator(mode="after")
    def _kind_fields(self) -> Segment:
        if self.kind == "balanced":
            if not self.areas:
                raise ValueError("a balanced segment needs areas")
            if self.stations is not None or self.cycle_time_s is not None:
                raise ValueError(
                    "a balanced segment gets its stations from the "
                    "balance: remove stations and cycle_time_s"
                )
        else:
            if self.stations is None or self.cycle_time_s is None:
                raise ValueError(
                    "a fixed segment needs stations and cycle_time_s"
                )
            if self.areas:
                raise ValueError("a fixed segment takes no areas")
        return self


class RatioRule(Frozen):
    """At most ``p`` of any ``q`` consecutive vehicles with an option."""

    option: Identifier
    value: str
    p: Annotated[int, Field(ge=1)]
    q: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _p_below_q(self) -> RatioRule:
        if self.p > self.q:
            raise ValueError("p must not exceed q")
        return self


class Sequencing(Frozen):
    """How each day's vehicles are put in order.

    ``variant_overload`` is the share by which one variant's work at a
    station may exceed the cycle time (the overload the sequence must
    spread out); ``rules`` are explicit ratio rules, added to those the
    plan derives from the station loads.
    """

    variant_overload: Annotated[float, Field(ge=0.0, le=1.0,
                                             allow_inf_nan=False)] = 0.25
    rules: tuple[RatioRule, ...] = ()
    derive_rules_from_loads: bool = True
    time_limit_s: Positive = 5.0


class Balancing(Frozen):
    """How the plan balances its balanced segments.

    ``load_factor`` is the share of the cycle the demand-weighted station
    load may fill: the rest is slack that lets operators recover from
    heavy variants (mixed-model drift) without stopping the line.
    ``cp_sat_work`` (0: off) is the CP-SAT deterministic time a two-sided
    segment gets for each mated-station count below the line its
    searches found, while that count is above the bound
    (:mod:`taktplan.balance.twosided.mixed_cpsat`).
    """

    time_limit_s: Positive = 5.0
    load_factor: Annotated[float, Field(gt=0.5, le=1.0,
                                        allow_inf_nan=False)] = 1.0
    cp_sat_work: Annotated[float, Field(ge=0.0, le=1_000.0,
                                        allow_inf_nan=False)] = 0.0


class Simulation(Frozen):
    """How the plan simulates the line."""

    replications: Annotated[int, Field(ge=2, le=MAX_PLAN_REPLICATIONS)] = 10
    seed: Annotated[int, Field(ge=0, le=MAX_SEED)] = 0
    warmup_h: Annotated[float, Field(ge=0.0, le=8_760.0,
                                     allow_inf_nan=False)] = 8.0
    horizon: Literal["year"] = "year"


class RampUp(Frozen):
    """The move and the ramp-up from today's volume to the target.

    The old plant stops at the start of the relocation window; the new
    one starts production (SOP) when the window ends, at
    ``start_volume_per_year``, and climbs to ``target_volume_per_year``
    along ``curve``:

    - ``learning``: Wright's learning curve; the time per vehicle falls
      by ``learning_rate`` with each doubling of cumulative output,
      counted from ``experience_units_at_sop`` (pilot-build units), so
      the rate is ``start * (1 + N / N0) ** -log2(learning_rate)``;
    - ``logistic``, ``exponential``, ``linear``: the rate reaches
      ``reach_share`` of the target ``weeks_to_target`` after SOP.

    Customers take ``weekly_demand`` vehicles a week throughout; the
    stock built ahead must cover the window, any shortfall of the ramp
    and ``safety_stock_weeks`` of demand.
    """

    start_volume_per_year: Volume
    target_volume_per_year: Volume
    curve: Literal["learning", "logistic", "exponential", "linear"] = (
        "learning"
    )
    learning_rate: Annotated[float, Field(gt=0.5, lt=1.0,
                                          allow_inf_nan=False)] = 0.85
    experience_units_at_sop: Annotated[float, Field(
        gt=0.0, le=1e9, allow_inf_nan=False)] = 200.0
    weeks_to_target: Annotated[float, Field(
        gt=0.0, le=MAX_WEEKS, allow_inf_nan=False)] | None = None
    reach_share: Annotated[float, Field(gt=0.5, le=1.0,
                                        allow_inf_nan=False)] = 0.95
    trial_weeks: Weeks = 0.0
    relocation_window_weeks: Weeks
    weekly_demand: Annotated[float, Field(ge=0.0, le=MAX_VOLUME,
                                          allow_inf_nan=False)]
    safety_stock_weeks: Weeks = 0.0
    working_weeks_per_year: Annotated[float, Field(gt=0, le=53,
                                                   allow_inf_nan=False)] = 50

    @model_validator(mode="after")
    def _consistent(self) -> RampUp:
        if self.start_volume_per_year > self.target_volume_per_year:
            raise ValueError(
                "start_volume_per_year must not exceed "
                "target_volume_per_year"
            )
        if self.curve != "learning" and self.weeks_to_target is None:
            raise ValueError(
                f"curve '{self.curve}' needs weeks_to_target"
            )
        return self


def rampup_defaults(given: dict[str, Any], annual_volume: int
                    ) -> dict[str, Any]:
    """``[rampup]`` with the keys a new line may leave out filled in.

    A new line with no move needs no ``[rampup]`` (or only part of it):
    ``target_volume_per_year`` defaults to ``targets.annual_volume``,
    ``start_volume_per_year`` to the target (no climb),
    ``relocation_window_weeks`` to 0 (nothing to bridge) and
    ``weekly_demand`` to the target over ``working_weeks_per_year``.
    """
    out = dict(given)
    out.setdefault("target_volume_per_year", annual_volume)
    target = out["target_volume_per_year"]
    out.setdefault("start_volume_per_year", target)
    out.setdefault("relocation_window_weeks", 0.0)
    weeks = out.get("working_weeks_per_year", 50)
    if ("weekly_demand" not in out and isinstance(target, int | float)
            and isinstance(weeks, int | float) and weeks > 0):
        out["weekly_demand"] = target / weeks
    return out


class Costs(Frozen):
    """Yearly costs used to rank changes that close a capacity gap.

    Capital is annualised (spread over its life) so that one-off and
    running costs compare: a buffer place (conveyor, floor), a parallel
    station (tooling, floor, its operators on every shift), one more
    shift a day for the whole line (its operators and overheads) and a
    dedicated repair crew at one station (halves its repair time), and an
    hour of overtime of the whole line. ``operator_per_year`` is one
    operator position on every shift (issue 18): a change that adds a
    station adds its operators at this cost on top of
    ``station_per_year`` (then tooling and floor only). The defaults,
    used without a ``[costs]`` table, keep the operators inside
    ``station_per_year`` (230,000: tooling, floor and two operator
    positions) and ``operator_per_year`` at 0; the built-in plant
    splits them (50,000 and 90,000 an operator position).
    """

    currency: str = "EUR"
    buffer_place_per_year: NonNegative = 2_500.0
    station_per_year: NonNegative = 230_000.0
    extra_shift_per_year: NonNegative = 6_300_000.0
    repair_crew_per_year: NonNegative = 90_000.0
    overtime_per_line_hour: NonNegative = 5_000.0
    operator_per_year: NonNegative = 0.0


class Scenario(Frozen):
    """A whole plant scenario: calendar, targets, products, work, line."""

    meta: Meta
    calendar: Calendar
    targets: Targets
    variants: tuple[Variant, ...] = Field(min_length=1)
    tasks: tuple[Task, ...] = ()
    segments: tuple[Segment, ...] = Field(min_length=1)
    balancing: Balancing = Balancing()
    sequencing: Sequencing = Sequencing()
    simulation: Simulation = Simulation()
    rampup: RampUp
    costs: Costs = Costs()
    assumptions: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _rampup_defaults(cls, data: Any) -> Any:
        """Fill ``[rampup]`` for a new line: see :func:`rampup_defaults`."""
        if not isinstance(data, dict):
            return data
        rampup = data.get("rampup")
        if rampup is None or isinstance(rampup, dict):
            targets = data.get("targets")
            volume = (targets.get("annual_volume")
                      if isinstance(targets, dict) else
                      getattr(targets, "annual_volume", None))
            if isinstance(volume, int) and volume >= 1:
                data = {**data, "rampup": rampup_defaults(rampup or {},
                                                          volume)}
        return data

    def with_changes(self, changes: Mapping[str, Any]) -> Scenario:
        """A validated copy with ``changes`` applied.

        Keys are dotted paths as in the scenario file, list items by
        index: ``{"targets.annual_volume": 60_000,
        "segments.0.buffer_after": 5}``. Raises
        :class:`pydantic.ValidationError` naming the field when a value
        is out of range or a key unknown; :func:`taktplan.pipeline.plan`
        then checks the parts against each other (shares, precedence,
        areas) as it does for a file.
        """
        data: dict[str, Any] = self.model_dump(mode="json",
                                               exclude_unset=True)
        if self.rampup == RampUp.model_validate(
                rampup_defaults({}, self.targets.annual_volume)):
            data.pop("rampup", None)  # a new line's: derive it again
        for key, value in changes.items():
            *path, last = key.split(".")
            node: Any = data
            for part in path:
                node = node[int(part)] if isinstance(node, list) else (
                    node.setdefault(part, {}))
            if isinstance(node, list):
                node[int(last)] = value
            else:
                node[last] = value
        return Scenario.model_validate(data)

    @property
    def variant_ids(self) -> tuple[str, ...]:
        """The variant ids in file order."""
        return tuple(v.id for v in self.variants)

    @property
    def shares(self) -> tuple[float, ...]:
        """The demand share of each variant, in file order."""
        return tuple(v.share for v in self.variants)
