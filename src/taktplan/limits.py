"""The documented caps every input is checked against before work starts.

A value beyond one of these is refused with one line (file and field, or
flag) instead of a hang, an overflow or an allocation that cannot succeed.
They are far beyond any real plant or line (README, section "Bad input").
"""

from __future__ import annotations

#: Largest seed: a signed 64-bit integer (the results file stores seeds
#: as BIGINT).
MAX_SEED = 2**63 - 1

#: Largest time in a line's time unit (cycle, MTBF, MTTR, horizon,
#: warm-up): 10^12 keeps every sum of times exact to well below one unit.
MAX_TIME = 1e12

#: Largest coefficient of variation of a processing, failure or repair
#: time (above it the shape parameters overflow; no real process has it).
MAX_CV = 100.0

#: Most events (job starts, failures) one simulation may take, summed over
#: its replications, as estimated before it starts (about a minute of CPU).
MAX_EVENTS = 2e9

#: Most identical servers at one station, and most stations in a fixed
#: segment.
MAX_PARALLEL = 1_000
MAX_FIXED_STATIONS = 10_000

#: Most replications of one simulation or design point.
MAX_REPLICATIONS = 100_000

#: Most replicated years of a plan: a scenario's
#: ``simulation.replications`` and ``plan``/``compare --replications``.
MAX_PLAN_REPLICATIONS = 10_000

#: Most stations ``taktplan balance --stations`` may ask for: a real line
#: has a few hundred, and the two-sided search's memory grows with the
#: square of the count (10,000 mated stations took 5 GB, measured).
MAX_BALANCE_STATIONS = 1_000

#: Most worker processes of a local Dask cluster (``--workers``): each
#: is a process on this machine; more machines go through
#: ``--scheduler``.
MAX_LOCAL_WORKERS = 256

#: Most design points in one sweep (each is a row of the design table).
MAX_DESIGN_POINTS = 1_000_000

#: Deepest nesting of arrays and tables a TOML file may have.
MAX_TOML_DEPTH = 32

#: Most buffer places in total that ``optimize-buffers`` searches (its
#: greedy pass evaluates every total up to it).
MAX_BUFFER_TOTAL = 200

#: Most cars and options in one car-sequencing instance (a day is a few
#: thousand cars; the search keeps arrays of cars x options).
MAX_CARS = 100_000
MAX_OPTIONS = 1_000
