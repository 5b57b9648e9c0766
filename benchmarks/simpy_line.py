"""The issue's unreliable serial line written in SimPy (the baseline).

Each station is a SimPy process that takes a job from its input store,
works on it (failures by operating time, repairs interrupt the job and it
resumes), then puts it into the next store (a ``Store`` of the buffer's
capacity: ``put`` waits while it is full, i.e. blocking after service).
The first station makes a new job whenever it is free.
"""

from __future__ import annotations

import numpy as np
import simpy


def simpy_line(cycle: list[float], buffers: list[int], mtbf: float,
               mttr: float, horizon: float, warmup: float,
               seed: int) -> float:
    """Throughput (jobs per time unit) of one SimPy replication."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    stores = [simpy.Store(env, capacity=b) for b in buffers]
    done = [0]
    n = len(cycle)
    end = warmup + horizon

    def station(i: int):
        ttf = rng.exponential(mtbf)
        while True:
            if i > 0:
                yield stores[i - 1].get()
            rest = cycle[i]
            while ttf < rest:
                yield env.timeout(ttf)
                rest -= ttf
                yield env.timeout(rng.exponential(mttr))
                ttf = rng.exponential(mtbf)
            ttf -= rest
            yield env.timeout(rest)
            if i < n - 1:
                yield stores[i].put(1)
            elif warmup < env.now <= end:
                done[0] += 1

    for i in range(n):
        env.process(station(i))
    env.run(until=end)
    return done[0] / horizon
