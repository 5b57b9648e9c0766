"""The DuckDB result store: whole rows, resume, the summary view."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from taktplan.errors import InputError
from taktplan.experiment.design import cartesian
from taktplan.experiment.runner import (
    SweepPlan,
    plan_sweep,
    read_input,
    run_sweep,
)
from taktplan.experiment.store import read_rows, summary
from taktplan.scenario import Scenario

DATA = Path(__file__).parent / "data"
LINE = DATA / "sweep_line.toml"


def small_plan(replications: int = 3, seed: int = 5) -> SweepPlan:
    """Four design points of the small test line."""
    raw, source = read_input(LINE)
    pts = cartesian([("buffers.0", [0, 3]), ("stations.B.mttr", [2.0, 6.0])])
    return plan_sweep(raw, source, pts, replications=replications,
                      seed=seed)


def rows_without_run(path: Path) -> list[dict[str, object]]:
    """Every stored row minus what depends on the run (id, wall time)."""
    return [{k: v for k, v in r.items() if k not in ("run_id",
                                                     "runtime_s")}
            for r in read_rows(path)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted in-process run of the small plan."""
    out = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    result = run_sweep(small_plan(), out)
    assert result.rows_computed == 12
    return out


def test_rows_carry_seed_and_metrics(reference: Path) -> None:
    """One row per (point, rep) with its spawn key and every metric."""
    rows = read_rows(reference)
    assert [(r["point_index"], r["replication"]) for r in rows] == [
        (p, k) for p in range(4) for k in range(3)]
    assert all(r["seed_entropy"] == 5 for r in rows)
    assert rows[7]["spawn_key"] == "[2, 1]"
    for key in ("throughput", "jph", "wip", "flow_time", "A.working",
                "C.blocked", "B.down", "buffer.0.mean"):
        assert all(r[key] is not None for r in rows), key
    # time fractions of a station add up to one
    for r in rows:
        total = sum(r[f"B.{s}"] for s in ("working", "blocked", "starved",
                                          "down"))
        assert math.isclose(total, 1.0, abs_tol=1e-9)


def test_summary_view_is_mean_and_t_interval(reference: Path) -> None:
    """The view's mean and CI equal numpy/scipy on the stored rows."""
    from scipy.stats import t

    table = summary(reference)
    col = {c: i for i, c in enumerate(table.columns)}
    row = table.rows[2]
    values = np.array([r["throughput"] for r in read_rows(reference)
                       if r["point_index"] == 2])
    half = t.ppf(0.975, 2) * values.std(ddof=1) / math.sqrt(3)
    assert row[col["n"]] == 3
    assert row[col["label"]] == "buffers.0=3, stations.B.mttr=2.0"
    assert math.isclose(row[col["throughput_mean"]], values.mean())
    assert math.isclose(row[col["throughput_ci_low"]], values.mean() - half)
    assert math.isclose(row[col["throughput_ci_high"]],
                        values.mean() + half)


def test_rerun_computes_nothing(reference: Path, tmp_path: Path) -> None:
    """Running the same sweep again on a complete file adds no row."""
    out = tmp_path / "again.duckdb"
    out.write_bytes(reference.read_bytes())
    result = run_sweep(small_plan(), out)
    assert (result.rows_computed, result.rows_reused) == (0, 12)
    assert rows_without_run(out) == rows_without_run(reference)


def test_interrupted_sweep_resumes_to_the_same_rows(
        reference: Path, tmp_path: Path) -> None:
    """Interrupted after 5 rows, then resumed: exactly the reference."""
    out = tmp_path / "cut.duckdb"

    def stop(done: int, total: int) -> None:
        if done >= 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(small_plan(), out, chunk=1, progress=stop)
    assert len(read_rows(out)) == 5
    result = run_sweep(small_plan(), out, chunk=2)
    assert (result.rows_computed, result.rows_reused) == (7, 5)
    assert rows_without_run(out) == rows_without_run(reference)


def test_more_replications_extend_the_experiment(
        reference: Path, tmp_path: Path) -> None:
    """Asking for 4 replications later computes only the 4th of each."""
    out = tmp_path / "more.duckdb"
    out.write_bytes(reference.read_bytes())
    result = run_sweep(small_plan(replications=4), out)
    assert (result.rows_computed, result.rows_reused) == (4, 12)
    assert rows_without_run(out)[:3] == rows_without_run(reference)[:3]


def test_other_scenario_file_is_refused(reference: Path,
                                       tmp_path: Path) -> None:
    """A store of another scenario is an InputError and stays unchanged."""
    raw, source = read_input(LINE)
    raw["horizon"] = 1500.0
    other = plan_sweep(raw, source, cartesian([]), replications=2, seed=5)
    out = tmp_path / "other.duckdb"
    out.write_bytes(reference.read_bytes())
    before = out.read_bytes()
    with pytest.raises(InputError, match="another scenario"):
        run_sweep(other, out)
    assert out.read_bytes() == before


def test_not_a_store_is_input_error(tmp_path: Path) -> None:
    """A file that is not DuckDB is refused with an InputError."""
    bad = tmp_path / "bad.duckdb"
    bad.write_text("hello")
    with pytest.raises(InputError, match="not a taktplan results file"):
        summary(bad)
    with pytest.raises(InputError, match="file not found"):
        summary(tmp_path / "missing.duckdb")


def test_same_seed_same_numbers_different_seed_differs(
        reference: Path, tmp_path: Path) -> None:
    """The seed drives the numbers: same seed equal, another differs."""
    out = tmp_path / "s6.duckdb"
    run_sweep(small_plan(seed=6), out)
    a = [r["throughput"] for r in read_rows(reference)]
    b = [r["throughput"] for r in read_rows(out)]
    assert a != b


def test_scenario_evaluator_plugs_in_with_one_function(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With the plan's scenario line, a scenario KEY sweep runs end to
    end (a stand-in line here, so the test needs no balancing)."""
    from taktplan.experiment.evaluators import prepare_line
    from taktplan.plant import stages
    from taktplan.simulate import ShiftCalendar

    raw_line, _ = read_input(LINE)
    line_model = prepare_line(raw_line, str(LINE))

    def scenario_line(scenario: Scenario, *_: object) -> SimpleNamespace:
        shifts = scenario.calendar.shifts_per_day
        return SimpleNamespace(
            line=line_model.line, variant_sequence=None, horizon_s=500.0,
            warmup_s=50.0, calendar=ShiftCalendar(shifts_per_day=shifts))

    monkeypatch.setattr(stages, "scenario_line", scenario_line)
    raw, source = read_input(DATA / "tiny_scenario.toml")
    pts = cartesian([("calendar.shifts_per_day", [1, 2])])
    plan = plan_sweep(raw, source, pts, replications=2, seed=3)
    assert plan.evaluator.name == "scenario"
    out = tmp_path / "scenario.duckdb"
    run_sweep(plan, out)
    rows = read_rows(out)
    one, two = rows[0], rows[2]
    assert (one["point_index"], two["point_index"]) == (0, 1)
    # point 1 runs on other seeds, but vehicles a year per job an hour is
    # the calendar's productive hours: twice as many with two shifts
    ratio = two["vehicles_per_year"] / two["jph"]
    assert math.isclose(ratio / (one["vehicles_per_year"] / one["jph"]),
                        2.0)
