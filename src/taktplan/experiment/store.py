"""The result store: one embedded DuckDB file per scenario.

Tables
------
``store_info``
    One row: the scenario hash the file belongs to and the schema version.
``runs``
    One row per invocation: run id, experiment id, scenario hash, code
    version, evaluator, seed, replications asked for, started, finished
    (NULL while running or when interrupted).
``design_points``
    One row per (experiment, point): its index, label and KEY values
    (JSON).
``replications``
    One row per (experiment, point, replication): the seed entropy and
    spawn key, the run that computed it, its wall time and one DOUBLE
    column per output metric (added as metrics appear).
``t_quantiles``
    Student-t 0.975 quantiles by degrees of freedom (for the view).
``point_summary`` (view)
    Per (experiment, point): ``n`` and, per metric ``m``, ``m_mean``,
    ``m_ci_low``, ``m_ci_high`` (t-based 95% interval; NULL for n < 2).

Each batch of rows is written in one transaction, with a Ctrl-C held
until it ends (DuckDB's client can crash on an interrupt inside its
calls, :mod:`.interrupts`), so an interrupted sweep leaves only whole
rows; the primary key (experiment, point,
replication) keeps a row from ever being written twice.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from taktplan.errors import InputError
from taktplan.experiment.interrupts import uninterrupted

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from taktplan.experiment.design import DesignPoint

SCHEMA_VERSION = 1
FIXED_COLUMNS = ("experiment_id", "point_index", "replication",
                 "seed_entropy", "spawn_key", "run_id", "runtime_s")
_T_MAX_DF = 1000
_ROWS_PER_INSERT = 100


@dataclass(frozen=True)
class Row:
    """One replication's outputs, as stored."""

    point_index: int
    replication: int
    seed_entropy: int
    spawn_key: tuple[int, ...]
    runtime_s: float
    metrics: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class SummaryTable:
    """The ``point_summary`` view of a store, ready to print."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    headline: tuple[str, ...]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _connect(path: Path, read_only: bool = False) -> Any:
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=read_only)
    except (duckdb.IOException, duckdb.InvalidInputException,
            duckdb.SerializationException, duckdb.CatalogException) as exc:
        first = str(exc).splitlines()[0]
        if "lock" in first.lower():
            raise InputError(path, None, "is in use by another process",
                             "wait for the sweep writing it to end") from None
        raise InputError(path, None, f"is not a taktplan results file "
                         f"({first})", "give a .duckdb file written by "
                         "taktplan sweep, or a new file name") from None


def check_store(path: Path, scenario_hash: str) -> None:
    """Raise :class:`InputError` if ``path`` exists but belongs elsewhere.

    Reads only: a bad file is left exactly as it was.
    """
    if not path.exists():
        _check_writable(path)
        return
    if _is_unstarted(path):
        return
    con = _connect(path, read_only=True)
    try:
        stored = _stored_hash(con, path)
    finally:
        con.close()
    if stored != scenario_hash:
        raise InputError(path, None, "holds results of another scenario "
                         f"(hash {stored[:12]}, this one "
                         f"{scenario_hash[:12]})",
                         "give a new --out file, or the scenario these "
                         "results came from")


def _check_writable(path: Path) -> None:
    """Refuse a new results file whose folder cannot take it."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(path, None, f"cannot be created: the folder "
                         f"{folder} is not writable",
                         "give --out a path in a folder you can write to")


def _is_unstarted(path: Path) -> bool:
    """Whether ``path`` is a results file a sweep was interrupted while
    creating: empty, or a DuckDB database without a single table (the
    tables are created in one transaction, so a file has all or none).
    Such a file is ours: the sweep creates its tables and goes on."""
    if path.is_dir():
        return False
    if path.stat().st_size == 0:
        return True
    con = _connect(path, read_only=True)
    try:
        tables = con.execute("SELECT count(*) FROM information_schema."
                             "tables").fetchone()[0]
    finally:
        con.close()
    return int(tables) == 0


def _stored_hash(con: Any, path: Path) -> str:
    try:
        got = con.execute("SELECT scenario_hash, schema_version "
                          "FROM store_info").fetchall()
    except Exception:  # duckdb.CatalogException: no such table
        raise InputError(path, None, "is not a taktplan results file",
                         "give a file written by taktplan sweep") from None
    if len(got) != 1 or got[0][1] != SCHEMA_VERSION:
        raise InputError(path, "store_info", "has an unknown layout",
                         "re-run the sweep into a new file")
    return str(got[0][0])


class ResultStore:
    """An open result store (use :func:`open_store`)."""

    def __init__(self, con: Any, path: Path) -> None:
        self.con = con
        self.path = path
        self._columns: list[str] | None = None

    # -- set-up ---------------------------------------------------------
    @uninterrupted
    def _create(self, scenario_hash: str) -> None:
        from scipy.stats import t as student_t

        c = self.con
        c.execute("BEGIN")
        c.execute("CREATE TABLE store_info (scenario_hash VARCHAR, "
                  "schema_version INTEGER)")
        c.execute("INSERT INTO store_info VALUES (?, ?)",
                  [scenario_hash, SCHEMA_VERSION])
        c.execute("""CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY, experiment_id VARCHAR NOT NULL,
            scenario_hash VARCHAR NOT NULL, code_version VARCHAR,
            evaluator VARCHAR, source VARCHAR, seed BIGINT,
            replications INTEGER, design VARCHAR, headline VARCHAR,
            started TIMESTAMP, finished TIMESTAMP)""")
        c.execute("""CREATE TABLE design_points (
            experiment_id VARCHAR, point_index INTEGER, label VARCHAR,
            point_values VARCHAR,
            PRIMARY KEY (experiment_id, point_index))""")
        c.execute("""CREATE TABLE replications (
            experiment_id VARCHAR, point_index INTEGER,
            replication INTEGER, seed_entropy HUGEINT, spawn_key VARCHAR,
            run_id INTEGER, runtime_s DOUBLE,
            PRIMARY KEY (experiment_id, point_index, replication))""")
        c.execute("CREATE TABLE t_quantiles (df INTEGER PRIMARY KEY, "
                  "t DOUBLE)")
        df = np.arange(1, _T_MAX_DF + 1)
        c.execute("INSERT INTO t_quantiles SELECT unnest(?), unnest(?)",
                  [df.tolist(), student_t.ppf(0.975, df).tolist()])
        self._create_view([])
        c.execute("COMMIT")

    def _metric_columns(self) -> list[str]:
        cols = self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE "
            "table_name = 'replications' ORDER BY ordinal_position"
        ).fetchall()
        return [c[0] for c in cols if c[0] not in FIXED_COLUMNS]

    def _create_view(self, metrics: Sequence[str]) -> None:
        z = 1.959963984540054
        # Aggregate in replication order: rows arrive in any order from
        # a cluster, and a float sum depends on its order, so only a fixed
        # order gives every executor the same bytes.
        agg = "".join(f", avg({_q(m)} ORDER BY replication) AS "
                      f"{_q(m + '_mean')}, stddev_samp({_q(m)} ORDER BY "
                      f"replication) AS {_q(m + '_sd')}"
                      for m in metrics)
        out = "".join(
            f", a.{_q(m + '_mean')}, "
            f"a.{_q(m + '_mean')} - coalesce(t.t, {z}) * "
            f"a.{_q(m + '_sd')} / sqrt(a.n) AS {_q(m + '_ci_low')}, "
            f"a.{_q(m + '_mean')} + coalesce(t.t, {z}) * "
            f"a.{_q(m + '_sd')} / sqrt(a.n) AS {_q(m + '_ci_high')}"
            for m in metrics)
        self.con.execute(f"""CREATE OR REPLACE VIEW point_summary AS
            WITH a AS (SELECT experiment_id, point_index, count(*) AS n
                       {agg} FROM replications
                       GROUP BY experiment_id, point_index)
            SELECT a.experiment_id, a.point_index, d.label, a.n {out}
            FROM a JOIN design_points d
              ON d.experiment_id = a.experiment_id
             AND d.point_index = a.point_index
            LEFT JOIN t_quantiles t ON t.df = a.n - 1
            ORDER BY a.experiment_id, a.point_index""")

    # -- runs and points ------------------------------------------------
    @uninterrupted
    def begin_run(self, *, experiment_id: str, scenario_hash: str,
                  code_version: str, evaluator: str, source: str,
                  seed: int, replications: int, design: str,
                  headline: Sequence[str],
                  points: Sequence[DesignPoint]) -> int:
        """Record a new run (and the experiment's points); its run id."""
        c = self.con
        c.execute("BEGIN")
        run_id = int(c.execute("SELECT coalesce(max(run_id), 0) + 1 "
                               "FROM runs").fetchone()[0])
        c.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, NULL)",
                  [run_id, experiment_id, scenario_hash, code_version,
                   evaluator, source, seed, replications, design,
                   json.dumps(list(headline)), _now()])
        c.executemany(
            "INSERT INTO design_points VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [[experiment_id, p.index, p.label, p.as_json()]
             for p in points])
        c.execute("COMMIT")
        return run_id

    @uninterrupted
    def finish_run(self, run_id: int) -> None:
        """Stamp the run as finished."""
        self.con.execute("UPDATE runs SET finished = ? WHERE run_id = ?",
                         [_now(), run_id])

    def done(self, experiment_id: str) -> set[tuple[int, int]]:
        """The (point, replication) pairs already stored."""
        got = self.con.execute(
            "SELECT point_index, replication FROM replications "
            "WHERE experiment_id = ?", [experiment_id]).fetchall()
        return {(int(p), int(r)) for p, r in got}

    @uninterrupted
    def add_rows(self, experiment_id: str, run_id: int,
                 rows: Iterable[Row]) -> int:
        """Write whole rows in one transaction; the number new."""
        rows = list(rows)
        if not rows:
            return 0
        c = self.con
        c.execute("BEGIN")
        try:
            if self._columns is None:
                self._columns = self._metric_columns()
            names: list[str] = []
            for row in rows:
                for name, _ in row.metrics:
                    if name not in names:
                        names.append(name)
            new = [n for n in names if n not in self._columns]
            for name in new:
                c.execute(f"ALTER TABLE replications ADD COLUMN {_q(name)} "
                          "DOUBLE")
            if new:
                self._columns = self._metric_columns()
                self._create_view(self._columns)
            cols = ", ".join(_q(n) for n in (*FIXED_COLUMNS, *names))
            one = "(" + ", ".join("?" * (len(FIXED_COLUMNS)
                                         + len(names))) + ")"
            before = self._count(experiment_id)
            values = []
            for row in rows:
                m = dict(row.metrics)
                values.append([
                    experiment_id, row.point_index, row.replication,
                    row.seed_entropy, json.dumps(list(row.spawn_key)),
                    run_id, row.runtime_s,
                    *(_finite_or_none(m.get(n)) for n in names)])
            # One multi-row statement per batch: DuckDB's executemany
            # runs row by row and is ten times slower.
            for k in range(0, len(values), _ROWS_PER_INSERT):
                part = values[k:k + _ROWS_PER_INSERT]
                c.execute(f"INSERT INTO replications ({cols}) VALUES "
                          f"{', '.join([one] * len(part))} "
                          "ON CONFLICT DO NOTHING",
                          [v for r in part for v in r])
            added = self._count(experiment_id) - before
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            self._columns = None
            raise
        return added

    def _count(self, experiment_id: str) -> int:
        return int(self.con.execute(
            "SELECT count(*) FROM replications WHERE experiment_id = ?",
            [experiment_id]).fetchone()[0])

    @uninterrupted
    def close(self) -> None:
        """Close the file."""
        self.con.close()


def _finite_or_none(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def open_store(path: Path, scenario_hash: str) -> ResultStore:
    """Open (or create) the store at ``path`` for ``scenario_hash``.

    Call :func:`check_store` first when nothing may be written on error.
    """
    check_store(path, scenario_hash)
    fresh = not path.exists() or _is_unstarted(path)
    if path.exists() and path.stat().st_size == 0:
        path.unlink()  # DuckDB cannot open an empty file as a database
    path.parent.mkdir(parents=True, exist_ok=True)
    store = ResultStore(_connect(path), path)
    if fresh:
        try:
            store._create(scenario_hash)  # noqa: SLF001  (its own module)
        except BaseException:
            # Ctrl-C while the tables are made: close, so the same process
            # can count what the file kept (a rerun finishes the tables).
            store.close()
            raise
    return store


def read_rows(path: Path, experiment_id: str | None = None
              ) -> list[dict[str, Any]]:
    """Every replication row of a store (one experiment, or all)."""
    con = _connect_existing(path)
    try:
        names, rows = _select(con, "replications", experiment_id,
                              " ORDER BY experiment_id, point_index, "
                              "replication")
        return [dict(zip(names, r, strict=True)) for r in rows]
    finally:
        con.close()


def _select(con: Any, relation: str, experiment_id: str | None,
            order: str = "") -> tuple[tuple[str, ...], list[Any]]:
    """Column names and rows of a table or view (one experiment, or all)."""
    sql = f"SELECT * FROM {relation}"
    args: list[Any] = []
    if experiment_id is not None:
        sql += " WHERE experiment_id = ?"
        args.append(experiment_id)
    cur = con.execute(sql + order, args)
    return tuple(d[0] for d in cur.description), cur.fetchall()


def _connect_existing(path: Path) -> Any:
    if not path.exists():
        raise InputError(path, None, "file not found", "check the path")
    if path.is_dir():
        raise InputError(path, None, "is a directory, not a file",
                         "give the .duckdb file")
    con = _connect(path, read_only=True)
    try:
        _stored_hash(con, path)
    except InputError:
        con.close()
        raise
    return con


def summary(path: Path, experiment_id: str | None = None) -> SummaryTable:
    """The ``point_summary`` view of a store (one experiment, or all)."""
    con = _connect_existing(path)
    try:
        columns, got = _select(con, "point_summary", experiment_id)
        rows = tuple(tuple(r) for r in got)
        heads = con.execute("SELECT headline FROM runs ORDER BY run_id "
                            "DESC LIMIT 1").fetchall()
        headline = tuple(json.loads(heads[0][0])) if heads else ()
    finally:
        con.close()
    return SummaryTable(columns, rows, headline)
