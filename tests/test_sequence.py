"""Car sequencing: the measure, the checker, the kernel, the solvers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_equal
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.errors import InputError
from taktplan.formats.carseq import read_carseq
from taktplan.sequence import (
    CarSequencingInstance,
    SequenceCheckError,
    check_sequence,
    count_violations,
    solve_car_sequencing,
    violation_mask,
    violations_per_option,
)
from taktplan.sequence import _kernel as kern
from taktplan.sequence.construct import greedy_sequence
from taktplan.sequence.exact import simple_lower_bound, solve_exact
from taktplan.sequence.localsearch import csplib_problem, run_search

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/carseq"


def tiny() -> CarSequencingInstance:
    """Two classes, one option 1/2: class 0 has it, 2 cars each."""
    return CarSequencingInstance(
        class_counts=np.array([2, 2]), options=np.array([[1], [0]]),
        p=np.array([1]), q=np.array([2]))


def test_measure_hand_worked() -> None:
    """AABB under 1/2: windows AA, AB, BB -> excess 1 + 0 + 0."""
    inst = tiny()
    assert count_violations(inst, np.array([0, 0, 1, 1])) == 1
    assert count_violations(inst, np.array([0, 1, 0, 1])) == 0


def test_measure_sums_excess_not_windows() -> None:
    """Three option cars in a 3-window under 1/3 count 2, not 1."""
    inst = CarSequencingInstance(np.array([3]), np.array([[1]]),
                                 np.array([1]), np.array([3]))
    assert_equal(violations_per_option(inst, np.array([0, 0, 0])), [2])


def test_mask_marks_cars_in_overfull_windows() -> None:
    """In AABB only the two A cars are marked."""
    mask = violation_mask(tiny(), np.array([0, 0, 1, 1]))
    assert_equal(mask[:, 0], [True, True, False, False])


def test_checker_rejects_wrong_counts_and_claims() -> None:
    """The checker catches a lost car and a wrong violation claim."""
    inst = tiny()
    with pytest.raises(SequenceCheckError):
        check_sequence(inst, np.array([0, 0, 0, 1]))
    with pytest.raises(SequenceCheckError):
        check_sequence(inst, np.array([0, 0, 1, 1]), claimed_violations=0)
    assert check_sequence(inst, np.array([0, 0, 1, 1])).violations == 1


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"p": np.array([3])}, "p > q"),
        ({"p": np.array([0])}, "below 1"),
        ({"options": np.array([[1, 0], [0, 1]])}, "p/q"),
        ({"options": np.array([[1]])}, "rows"),
        ({"class_counts": np.array([1.5, 2])}, "non-integer"),
        ({"options": np.array([[2], [0]])}, "0/1"),
    ],
)
def test_instance_rejects_bad_data(kwargs: dict, words: str) -> None:
    """Bad arrays raise InputError saying what is wrong."""
    base = {"class_counts": np.array([2, 2]),
            "options": np.array([[1], [0]]), "p": np.array([1]),
            "q": np.array([2])}
    base.update(kwargs)
    with pytest.raises(InputError, match=words):
        CarSequencingInstance(**base)


def _reference_move(kind: int, a: int, b: int, L: int, seq: np.ndarray):
    ref = seq.copy()
    if kind == kern.SWAP:
        ref[a], ref[b] = seq[b], seq[a]
    elif kind == kern.ROT:
        ref[a:b + 1] = np.concatenate((seq[a + L:b + 1], seq[a:a + L]))
    else:
        ref[a:b + 1] = seq[a:b + 1][::-1]
    return ref


def _random_move(rng: np.random.Generator, n: int) -> tuple[int, ...]:
    a, b = sorted(int(v) for v in rng.choice(n, 2, replace=False))
    kind = int(rng.choice([kern.SWAP, kern.ROT, kern.REV]))
    L = int(rng.integers(1, b - a + 1)) if kind == kern.ROT else 0
    return kind, a, b, L


def test_incremental_delta_matches_full_recount() -> None:
    """Every move's O(q) delta equals the change of the full measure."""
    rng = np.random.default_rng(7)
    for _ in range(60):
        m = int(rng.integers(1, 4))
        q = rng.integers(1, 7, size=m)
        p = np.array([rng.integers(1, x + 1) for x in q])
        n_cls = int(rng.integers(2, 6))
        inst = CarSequencingInstance(rng.integers(1, 8, size=n_cls),
                                     rng.integers(0, 2, size=(n_cls, m)),
                                     p, q)
        prob = csplib_problem(inst)
        seq = np.repeat(np.arange(n_cls), inst.class_counts)
        rng.shuffle(seq)
        n = seq.size
        W = np.zeros((m, n), dtype=np.int64)
        kern.recount(seq, prob.opt, W, prob.q, prob.lo, prob.hi, 0, n - 1)
        tmp = np.empty(n, dtype=np.int64)
        for _ in range(30):
            kind, a, b, L = _random_move(rng, n)
            delta = kern._ratio_delta(kind, a, b, L, seq, prob.opt, W,
                                      prob.p, prob.q, prob.w, prob.lo,
                                      prob.hi)
            new = seq.copy()
            kern._apply(kind, a, b, L, new, tmp)
            assert_equal(new, _reference_move(kind, a, b, L, seq))
            assert delta == (count_violations(inst, new)
                             - count_violations(inst, seq))
            seq = new
            kern.recount(seq, prob.opt, W, prob.q, prob.lo, prob.hi, a, b)


def _changes_and_longest(col: np.ndarray, h: int, e: int) -> tuple:
    changes = int(np.count_nonzero(col[max(h, 1):e + 1]
                                   != col[max(h, 1) - 1:e]))
    longest = run = 0
    for t in range(h, e + 1):
        run = run + 1 if t > h and col[t] == col[t - 1] else 1
        longest = max(longest, run)
    return changes, longest


def test_paint_delta_matches_recount_and_batch_limit() -> None:
    """Colour-change deltas are exact; moves breaking the limit rejected."""
    rng = np.random.default_rng(5)
    for _ in range(40):
        n_col = int(rng.integers(2, 4))
        h, n = int(rng.integers(0, 3)), int(rng.integers(6, 20))
        col = rng.integers(0, n_col, size=h + n).astype(np.int64)
        seq = np.arange(h + n, dtype=np.int64)
        limit = int(rng.integers(2, 5))
        for _ in range(40):
            kind, a, b, L = _random_move(rng, n)
            a, b = a + h, b + h
            before, _ = _changes_and_longest(col[seq], h, h + n - 1)
            new = _reference_move(kind, a, b, L, seq)
            after, longest = _changes_and_longest(col[new], h, h + n - 1)
            _, old_longest = _changes_and_longest(col[seq], h, h + n - 1)
            delta = kern._paint_delta(kind, a, b, L, seq, col, h,
                                      h + n - 1, 1, limit)
            if delta >= kern.REJECT:
                assert longest > limit
                continue
            if old_longest <= limit:
                assert longest <= limit
            assert delta == after - before
            seq = new


def test_local_search_solves_satisfiable_hard_instance() -> None:
    """4-72 (satisfiable, CSPLib) reaches 0 violations from greedy."""
    inst = read_carseq(DATA / "4-72.txt")
    out = run_search(csplib_problem(inst), greedy_sequence(inst, seed=0),
                     time_limit=30, seed=0, max_iterations=3_000_000)
    assert out.objective == 0
    assert count_violations(inst, out.sequence) == 0


def test_solver_reaches_best_known_on_unsat_instance() -> None:
    """19-71 (optimum 2, Gent 1998) is sequenced with 2 violations."""
    inst = read_carseq(DATA / "19-71.txt")
    res = solve_car_sequencing(inst, time_limit=30, seed=0, exact=False,
                               max_iterations=400_000)
    assert res.violations == 2
    assert res.status == "feasible"
    check_sequence(inst, res.sequence, claimed_violations=2)


def test_same_seed_same_sequence() -> None:
    """Same seed and iteration budget give the same sequence."""
    inst = read_carseq(DATA / "10-93.txt")
    runs = [solve_car_sequencing(inst, time_limit=30, seed=3, exact=False,
                                 max_iterations=200_000) for _ in range(2)]
    assert_equal(runs[0].sequence, runs[1].sequence)
    assert runs[0].violations == runs[1].violations


def test_restarts_and_annealing_return_the_best_seen() -> None:
    """Kicks, close-class swaps and heat: the best is returned, repeatably."""
    inst = read_carseq(DATA / "10-93.txt")
    start = greedy_sequence(inst, seed=0)
    runs = [run_search(csplib_problem(inst), start, time_limit=30, seed=1,
                       max_iterations=60_000, patience=5_000, kick=4,
                       similar=0.5, temp=0.3) for _ in range(2)]
    assert_equal(runs[0].sequence, runs[1].sequence)
    assert runs[0].objective == count_violations(inst, runs[0].sequence)
    assert runs[0].objective <= count_violations(inst, start)
    assert_equal(np.bincount(runs[0].sequence, minlength=inst.n_classes),
                 inst.class_counts)


def test_exact_proves_small_optimum() -> None:
    """CP-SAT proves AABB-type instance optimal at 0 (ABAB) and 1 bound."""
    inst = tiny()
    out = solve_exact(inst, time_limit=10, seed=0)
    assert out.optimal and out.violations == 0
    three = CarSequencingInstance(np.array([3, 1]), np.array([[1], [0]]),
                                  np.array([1]), np.array([2]))
    # 3 option cars in 4 positions under 1/2: ABAA-like, optimum 1.
    out = solve_exact(three, time_limit=10, seed=0)
    assert out.optimal and out.violations == 1 and out.lower_bound == 1
    assert simple_lower_bound(three) == 1


def test_status_infeasible_when_bound_positive() -> None:
    """An instance with a proved positive bound is optimal when met."""
    three = CarSequencingInstance(np.array([3, 1]), np.array([[1], [0]]),
                                  np.array([1]), np.array([2]))
    res = solve_car_sequencing(three, time_limit=5, seed=0)
    assert res.violations == 1 and res.lower_bound == 1
    assert res.status == "optimal"


def test_cli_json_keys() -> None:
    """`taktplan sequence FILE --json` prints the documented keys."""
    result = CliRunner().invoke(app, [
        "sequence", str(DATA / "41-66.txt"), "--time-limit", "5",
        "--seed", "1", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["violations"] == 0
    assert payload["status"] == "optimal"
    assert len(payload["sequence"]) == 100
    for key in ("lower_bound", "runtime_s", "cpu_s",
                "violations_per_option"):
        assert key in payload


def test_sat_model_decides_zero() -> None:
    """The SAT model finds ABAB for 1/2 and proves AAA+B impossible."""
    from taktplan.sequence.exact import prove_zero

    out = prove_zero(tiny(), time_limit=10, seed=0)
    assert out.answer == "sat"
    assert out.sequence is not None
    assert count_violations(tiny(), out.sequence) == 0
    three = CarSequencingInstance(np.array([3, 1]), np.array([[1], [0]]),
                                  np.array([1]), np.array([2]))
    assert prove_zero(three, time_limit=10, seed=0).answer == "unsat"


def test_sat_model_agrees_with_search_on_random_instances() -> None:
    """Where the search finds 0 the SAT model says sat; never the reverse."""
    from taktplan.sequence.exact import prove_zero

    rng = np.random.default_rng(11)
    for _ in range(8):
        inst = CarSequencingInstance(rng.integers(1, 5, size=3),
                                     rng.integers(0, 2, size=(3, 2)),
                                     np.array([1, 2]), np.array([2, 3]))
        out = prove_zero(inst, time_limit=10, seed=0)
        assert out.answer in ("sat", "unsat")
        found = solve_car_sequencing(inst, time_limit=5, seed=0, exact=False,
                                     max_iterations=50_000)
        if found.violations == 0:
            assert out.answer == "sat"
        if out.answer == "sat":
            assert out.sequence is not None
            check_sequence(inst, out.sequence, claimed_violations=0)


def test_stored_pb_400_02_sequence_has_15_violations() -> None:
    """The sequence that beats known.csv on pb_400_02 (16) checks at 15."""
    root = DATA.parents[1]
    lines = (root / "solutions/carseq/pb_400_02.txt").read_text().split("\n")
    seq = np.array(" ".join(x for x in lines if not x.startswith("#"))
                   .split(), dtype=np.int64)
    inst = read_carseq(DATA / "pb_400_02.txt")
    report = check_sequence(inst, seq)
    assert report.violations == 15
    assert report.per_option == (3, 3, 9, 0, 0)
