"""The plant plan: the stages in order, nothing else.

``plan(scenario)`` runs scenario -> capacity -> balance -> sequence ->
simulate -> verdict -> what-if changes and returns a
:class:`~taktplan.plan_result.Plan` whose parts are the stage results.
It never prints; the command line, the report and the JSON writer draw
what it returns.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from taktplan.plan_check import check_plan
from taktplan.plan_result import Plan
from taktplan.plant.consistency import plan_warnings
from taktplan.plant.design import Design
from taktplan.plant.line_stage import build_plant_line
from taktplan.plant.sim_size import check_balanced, check_before_balance
from taktplan.plant.simulate_stage import simulate_design, yearly
from taktplan.plant.stages import Progress, balance_and_sequence
from taktplan.plant.verdict import annual_output, make_verdict, top_bottlenecks
from taktplan.plant.whatif import recommend
from taktplan.precompile import BALANCE, SIMULATION, BackgroundCompile
from taktplan.progress import in_notebook, stage_bars
from taktplan.scenario import Scenario
from taktplan.scenario.checks import check_scenario
from taktplan.scenario.load import load_scenario_source

if TYPE_CHECKING:
    from pathlib import Path

    from taktplan.simulate.run import ReplicationExecutor


def plan(scenario: Scenario | str | Path | None = None, *,
         replications: int | None = None, seed: int | None = None,
         recommend_changes: bool = True,
         progress: Progress | bool | None = None,
         executor: ReplicationExecutor | None = None,
         replications_from: str | None = None) -> Plan:
    """Plan the plant of ``scenario`` (a model, a TOML path, or built-in).

    Parameters
    ----------
    scenario
        A :class:`Scenario`, the path of a scenario TOML file, or
        ``None`` for the built-in relocated LCV plant.
    replications, seed
        Override the scenario's ``[simulation]`` settings.
    recommend_changes
        Search for the cheapest changes that close a gap.
    progress
        A callback ``(stage, fraction done)`` called as the stages run
        (``capacity``, ``rampup``, ``balance``, ``sequence``,
        ``simulate``, ``improve``); ``True`` shows a rich bar per stage
        on standard error (or in the notebook); ``False`` nothing;
        ``None`` (default) the bars in a Jupyter notebook, nothing
        elsewhere.
    executor
        Runs the replicated years and the what-if simulations (a Dask
        cluster, see ``taktplan.experiment.executors``); each replication
        is a pure function of its seed, so the numbers are the same as
        in process.
    replications_from
        The file whose ``simulation.replications`` the ``replications``
        override is (``compare`` plans every file with the first one's),
        for messages; ``None``: the ``--replications`` flag.
    """
    if progress is None:
        progress = in_notebook()
    if progress is True:
        with stage_bars() as bars:
            return _plan(scenario, replications=replications, seed=seed,
                         recommend_changes=recommend_changes,
                         progress=bars, executor=executor,
                         replications_from=replications_from)
    return _plan(scenario, replications=replications, seed=seed,
                 recommend_changes=recommend_changes,
                 progress=progress if callable(progress) else None,
                 executor=executor, replications_from=replications_from)


def _plan(scenario: Scenario | str | Path | None = None, *,
          replications: int | None = None, seed: int | None = None,
          recommend_changes: bool = True,
          progress: Progress | None = None,
          executor: ReplicationExecutor | None = None,
          replications_from: str | None = None) -> Plan:
    """:func:`plan` with its progress resolved to a callback."""
    place = None
    if isinstance(scenario, Scenario):
        model, source = scenario, "<scenario>"
        # A scenario built or changed in Python gets a file's checks.
        check_scenario(model, source)
    else:
        loaded = load_scenario_source(scenario)
        model = loaded.scenario
        source = str(scenario) if scenario is not None else "built-in"
        if loaded.task_list is not None:
            place = loaded.task_list.place
    sim = model.simulation
    # an override equal to the file's value is the file's; compare's is
    # the first file's (replications_from)
    overridden = (replications is not None
                  and replications != sim.replications)
    flag = overridden and replications_from is None
    size_source = (replications_from if overridden and replications_from
                   else source)
    if replications is not None or seed is not None:
        sim = sim.model_copy(update={
            "replications": replications or sim.replications,
            "seed": sim.seed if seed is None else seed})
        model = model.model_copy(update={"simulation": sim})
    check_before_balance(model, sim.replications, source=size_source,
                         flag=flag)
    report = progress or (lambda stage, done: None)

    # On a cold numba cache a child process compiles kernels while this
    # one compiles others and works (taktplan.precompile). It starts once
    # the scenario has passed its checks.
    with BackgroundCompile() as ahead:

        def before_balance() -> None:
            ahead.start()
            # numba loads only here (see BackgroundCompile.start)
            from taktplan.balance.warmup import compile_depth_first

            compile_depth_first()
            ahead.wait(BALANCE)

        upstream = balance_and_sequence(model, source, progress=report,
                                        before_balance=before_balance,
                                        place=place)
        ahead.wait(SIMULATION)
    balance, sequence = upstream.balance, upstream.sequence
    timings = dict(upstream.timings_s)
    check_balanced(build_plant_line(model, balance, sequence.sequence),
                   sim.replications, source=size_source, flag=flag)

    t0 = time.perf_counter()
    report("simulate", 0.0)
    run = simulate_design(
        model, balance, sequence.sequence, Design(),
        replications=sim.replications, seed=sim.seed,
        progress=lambda k, n: report("simulate", k / n), over_time=True,
        executor=executor)
    result = run.result
    output = annual_output(yearly(result, model, Design()),
                           model.targets.annual_volume)
    verdict = make_verdict(model, result, output)
    timings["simulate"] = time.perf_counter() - t0
    report("simulate", 1.0)

    recommendation = None
    if recommend_changes and (not verdict.meets_target
                              or output.probability < 0.9):
        t0 = time.perf_counter()
        report("improve", 0.0)
        recommendation = recommend(
            model, balance, sequence.sequence, top_bottlenecks(result, 2),
            seed=sim.seed, progress=lambda f: report("improve", f),
            executor=executor)
        timings["improve"] = time.perf_counter() - t0
        report("improve", 1.0)
    warnings = plan_warnings(model, upstream.capacity, sequence, balance,
                             place)
    checked = Plan(model, source, upstream.capacity, balance, sequence,
                   run.line, result, verdict, recommendation, timings,
                   tuple(warnings))
    check_plan(checked)
    return checked
