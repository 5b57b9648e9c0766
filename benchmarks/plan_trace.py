"""What the report's over-time record costs the plan's simulation stage.

The built-in plant, balanced and sequenced once; its design simulated
for the scenario's replicated years without the record (as sweeps and
the what-if screening run) and with it (as ``plan`` runs: output per
shift in every year, then the median year replayed on its own stream
with a trace of its worst day). CPU seconds (all threads), best of
``--repeat`` alternating runs.

Run: PYTHONPATH=src python benchmarks/plan_trace.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from taktplan.plant.design import Design
from taktplan.plant.simulate_stage import simulate_design
from taktplan.plant.stages import balance_and_sequence
from taktplan.scenario import load_scenario


def main() -> None:
    """Print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    scenario = load_scenario(None)
    up = balance_and_sequence(scenario)
    reps = scenario.simulation.replications
    seed = scenario.simulation.seed

    def run(record: bool) -> float:
        t0 = time.process_time()
        simulate_design(scenario, up.balance, up.sequence.sequence,
                        Design(), replications=reps, seed=seed,
                        over_time=record)
        return time.process_time() - t0

    run(True)  # compile both kernel specialisations
    run(False)
    best = {False: float("inf"), True: float("inf")}
    for _ in range(args.repeat):
        for record in (False, True):
            best[record] = min(best[record], run(record))
    print(f"| built-in plant, {reps} replicated years | CPU s |")
    print("|---|---|")
    print(f"| without the over-time record | {best[False]:.2f} |")
    print(f"| with it (shift bins, the chosen day replayed and traced) | "
          f"{best[True]:.2f} |")
    print(f"| cost of the record | {best[True] / best[False] - 1:+.0%} |")


if __name__ == "__main__":
    main()
