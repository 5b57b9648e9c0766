"""Exact bin packing of the tasks left, for the states of the search.

When a state of the BB&R search survives its bounds by the smallest
margin (one more station would reach the best line), Sewell & Jacobson
ask a bin-packing solver whether the tasks left fit in the stations
that remain at all. :func:`fits_in_bins` answers that by Korf's bin
completion: bins are filled one at a time, each with the largest item
left and a maximal set of others (items of one size are
interchangeable, so a set is a count per size), only sets that no
swap with an item left out improves, pruned by Martello & Toth's L2
bound on what is left. A memory keyed by the multiset of sizes answers
questions asked again and the sub-multisets proved not to fit inside
earlier questions (this memory is what makes it fast: many task sets
share a multiset of times). Budgets of sets tried, per question and per
instance, keep it cheap; an unsettled question prunes nothing.
:func:`state_fits` stops asking (but for a sample) on instances where
it rarely prunes.
"""

from __future__ import annotations

import numba
import numpy as np

#: :func:`fits_in_bins` answers.
NO_FIT, FITS, UNKNOWN = 0, 1, -1


@numba.njit(cache=True)
def mt_bound(sizes, m, c):
    """Martello & Toth's L2 bin-packing bound for ``sizes[:m]``.

    ``sizes`` must be sorted by decreasing size. For each ``k`` in
    ``0..c/2`` (only the item sizes matter), items above ``c - k`` and
    items in ``(c/2, c - k]`` each need a bin of their own, and the items
    in ``[k, c/2]`` must fill the room left in the second kind of bins
    before they open new ones::

        L(k) = |J1| + |J2| + max(0, ceil((S(J3) - (|J2| c - S(J2))) / c))

    Returns the largest ``L(k)`` (0 for no items).
    """
    p = 0  # items above c / 2
    while p < m and 2 * sizes[p] > c:
        p += 1
    total_big = 0
    for i in range(p):
        total_big += sizes[i]
    best = p
    # k runs over the small sizes, largest first: J3 (the small items
    # of at least k) grows and J1 (the big items above c - k) shrinks.
    i3 = p
    s3 = 0
    j1 = p
    s1 = total_big
    while i3 < m:
        k = sizes[i3]
        while i3 < m and sizes[i3] >= k:
            s3 += sizes[i3]
            i3 += 1
        while j1 > 0 and sizes[j1 - 1] <= c - k:
            j1 -= 1
            s1 -= sizes[j1]
        n2 = p - j1
        s2 = total_big - s1
        room = n2 * c - s2
        extra = s3 - room
        v = p
        if extra > 0:
            v += (extra + c - 1) // c
        if v > best:
            best = v
    return best


@numba.njit(cache=True)
def _l2_counts(values, counts, cap, buffer):
    """Martello & Toth's L2 for ``counts[d]`` items of ``values[d]``
    (sizes decreasing), using ``buffer`` for the item list."""
    m = 0
    for d in range(values.size):
        for _ in range(counts[d]):
            buffer[m] = values[d]
            m += 1
    return mt_bound(buffer, m, cap)


@numba.njit(cache=True)
def _dominated(values, counts, x, d0, D, room, inset):
    """Whether the set ``x`` (with an item of size index ``d0``) of a
    bin left ``room`` empty can be beaten by swapping (Korf): an item
    left out still fits, or can replace one or two items of the set
    (it is at least as large as they are together, so a packing with
    the set becomes one with the swap). ``inset`` is work space."""
    k = 0
    for d in range(d0, D):
        if x[d] > 0:
            inset[k] = d
            k += 1
    for w in range(d0, D):
        if counts[w] <= x[w]:
            continue
        if values[w] <= room:
            return True
        for a in range(k):
            v = inset[a]
            if v <= w:
                continue
            if values[w] - values[v] <= room:
                return True
            for b in range(a, k):
                u = inset[b]
                if u == v and x[v] < 2:
                    continue
                pair = values[v] + values[u]
                if pair <= values[w] <= pair + room:
                    return True
    return False


@numba.njit(cache=True)
def _mix(v):
    """A 64-bit pseudo-random image of ``v`` (splitmix64's finaliser)."""
    z = np.uint64(v) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


#: Answers kept in the memory (0: empty slot).
_NO_FIT_KEPT, _FITS_KEPT, _UNKNOWN_KEPT = 1, 2, 3


@numba.njit(cache=True)
def _slot(memo, h1, h2, bins):
    """Slot and keys of a multiset (hashes ``h1``, ``h2``) in ``bins``."""
    k1 = h1 + np.uint64(bins) * np.uint64(0xD6E8FEB86659FD93)
    k2 = h2 ^ _mix(bins + 977)
    return k1 & np.uint64(memo.shape[0] - 3), k1, k2


@numba.njit(cache=True)
def _recall(memo, h1, h2, bins):
    """The kept answer for the multiset in ``bins`` (0: none)."""
    slot, k1, k2 = _slot(memo, h1, h2, bins)
    if memo[slot, 0] == k1 and memo[slot, 1] == k2:
        return memo[slot, 2]
    return np.uint64(0)


@numba.njit(cache=True)
def _keep(memo, h1, h2, bins, answer):
    slot, k1, k2 = _slot(memo, h1, h2, bins)
    memo[slot, 0] = k1
    memo[slot, 1] = k2
    memo[slot, 2] = np.uint64(answer)


#: Slots of a memory for :func:`fits_in_bins` (answers by the multiset
#: of sizes and the bins: states with other tasks of the same sizes ask
#: the same question, and so do the bins packed inside one question).
MEMO_SLOTS = 1 << 18


@numba.njit(cache=True)
def new_memo(budget):
    """An empty memory for :func:`fits_in_bins` that lets all questions
    together try ``budget`` sets;
    questions asked after that are left open (a deterministic cap on
    the cost where packing does not pay). Its keys hold no capacity:
    one memory serves questions of one bin size only."""
    memo = np.zeros((MEMO_SLOTS + 2, 3), np.uint64)
    memo[-1, 1] = np.uint64(budget)
    return memo


@numba.njit(cache=True)
def fits_in_bins(sizes, m, bins, cap, node_limit, memo):
    """Whether ``sizes[:m]`` (decreasing) fit in ``bins`` bins of
    ``cap``: :data:`FITS`, :data:`NO_FIT`, or :data:`UNKNOWN` after
    ``node_limit`` sets tried for a bin.

    ``memo`` (:func:`new_memo`; its last row counts the sets tried
    against its budget, the one before the states :func:`state_fits`
    asked and found not to fit) keeps answers by two 64-bit additive
    hashes of the multiset of sizes: the question asked again, and the
    sub-multisets proved not to fit inside a search, are answered at
    once. A subtree is kept as proved only when searched to its end.
    """
    if m == 0:
        return FITS
    if bins <= 0:
        return NO_FIT
    # Distinct sizes (decreasing), their counts and hash terms.
    values = np.empty(m, np.int64)
    counts = np.zeros(m, np.int64)
    D = 0
    total = 0
    for i in range(m):
        total += sizes[i]
        if D == 0 or values[D - 1] != sizes[i]:
            values[D] = sizes[i]
            D += 1
        counts[D - 1] += 1
    values = values[:D]
    counts = counts[:D]
    if total > bins * cap or values[0] > cap:
        return NO_FIT
    r1 = np.empty(D, np.uint64)
    r2 = np.empty(D, np.uint64)
    h1 = np.uint64(0)
    h2 = np.uint64(0)
    for d in range(D):
        r1[d] = _mix(values[d])
        r2[d] = _mix(values[d] ^ 0x5555555555)
        h1 += np.uint64(counts[d]) * r1[d]
        h2 += np.uint64(counts[d]) * r2[d]
    kept = _recall(memo, h1, h2, bins)
    if kept != 0:
        return (NO_FIT if kept == _NO_FIT_KEPT
                else FITS if kept == _FITS_KEPT else UNKNOWN)
    if memo[-1, 0] >= memo[-1, 1]:
        return UNKNOWN
    node_limit = min(node_limit, np.int64(memo[-1, 1] - memo[-1, 0]))
    buffer = np.empty(m, np.int64)
    if _l2_counts(values, counts, cap, buffer) > bins:
        _keep(memo, h1, h2, bins, _NO_FIT_KEPT)
        return NO_FIT
    # take[depth] is the set of the bin at that depth (without its
    # largest item, of size index head[depth]); room[depth] what it
    # leaves empty; hash[depth] the multiset the bin is packed from.
    take = np.zeros((bins + 1, D), np.int64)
    head = np.zeros(bins + 1, np.int64)
    room = np.zeros(bins + 1, np.int64)
    hash1 = np.zeros(bins + 1, np.uint64)
    hash2 = np.zeros(bins + 1, np.uint64)
    hash1[0] = h1
    hash2[0] = h2
    fresh = np.ones(bins + 1, np.bool_)
    inset = np.empty(D, np.int64)
    left = total
    depth = 0
    tried = 0
    while depth >= 0:
        x = take[depth]
        if fresh[depth]:
            fresh[depth] = False
            if depth > 0 and _recall(memo, hash1[depth], hash2[depth],
                                     bins - depth) == _NO_FIT_KEPT:
                depth -= 1
                continue
            d0 = 0
            while counts[d0] == 0:
                d0 += 1
            head[depth] = d0
            counts[d0] -= 1
            r = cap - values[d0]
            for d in range(d0, D):
                x[d] = min(counts[d], r // values[d])
                r -= x[d] * values[d]
            room[depth] = r
        else:
            # Put back the set tried last, then the next set in
            # decreasing lexicographic order: drop one item of the
            # last size used and refill greedily after it.
            for d in range(D):
                counts[d] += x[d]
                left += x[d] * values[d]
            left += values[head[depth]]
            p = D - 1
            while p >= head[depth] and x[p] == 0:
                p -= 1
            if p < head[depth]:
                # Every set failed: the multiset does not fit.
                counts[head[depth]] += 1
                _keep(memo, hash1[depth], hash2[depth], bins - depth,
                      _NO_FIT_KEPT)
                fresh[depth] = True
                depth -= 1
                continue
            x[p] -= 1
            r = room[depth] + values[p]
            for d in range(p + 1, D):
                x[d] = min(counts[d], r // values[d])
                r -= x[d] * values[d]
            room[depth] = r
        maximal = not _dominated(values, counts, x, head[depth], D,
                                 room[depth], inset)
        used = values[head[depth]]
        for d in range(D):
            counts[d] -= x[d]
            used += x[d] * values[d]
        left -= used
        tried += 1
        memo[-1, 0] += np.uint64(1)
        if tried > node_limit:
            _keep(memo, h1, h2, bins, _UNKNOWN_KEPT)
            return UNKNOWN
        if not maximal:
            continue
        if left == 0:
            _keep(memo, h1, h2, bins, _FITS_KEPT)
            return FITS
        need = (left + cap - 1) // cap
        if depth + 1 + need <= bins:
            need = _l2_counts(values, counts, cap, buffer)
        if depth + 1 + need <= bins:
            c1 = hash1[depth] - r1[head[depth]]
            c2 = hash2[depth] - r2[head[depth]]
            for d in range(D):
                c1 -= np.uint64(x[d]) * r1[d]
                c2 -= np.uint64(x[d]) * r2[d]
            depth += 1
            hash1[depth] = c1
            hash2[depth] = c2
            fresh[depth] = True
    return NO_FIT


#: Sets :func:`state_fits` may try per state where asking pays...
STATE_NODES = 10_000
#: ... and during the trial and for the samples (large instances with
#: many distinct times make a set costly: ARC111 c=11570 took 28 s
#: instead of 1.3 s with the larger budget throughout).
SAMPLE_NODES = 1_000
#: States asked before :func:`state_fits` judges whether asking pays.
TRIAL_STATES = 200
#: Share of states (in 1/100) that must be proved not to fit for
#: :func:`state_fits` to go on asking: on most instances packing almost
#: never prunes (SCHOLL c=1394: 82 of 83,569 states) and only costs.
MIN_PRUNED_PERCENT = 2
#: Below that share, one state in this many is still asked.
SAMPLE_EVERY = 32


@numba.njit(cache=True)
def state_fits(sizes, m, bins, cap, memo):
    """:func:`fits_in_bins` for a state of the line search, while it
    pays: the first :data:`TRIAL_STATES` states with
    :data:`SAMPLE_NODES` sets each; then every state with
    :data:`STATE_NODES` sets while at least :data:`MIN_PRUNED_PERCENT`
    per cent of those asked were proved not to fit, else one state in
    :data:`SAMPLE_EVERY` with :data:`SAMPLE_NODES` (counted in
    ``memo``, so the same on every run)."""
    asked = memo[-2, 0]
    limit = SAMPLE_NODES
    if asked >= TRIAL_STATES:
        if memo[-2, 1] * 100 >= asked * MIN_PRUNED_PERCENT:
            limit = STATE_NODES
        else:
            # Not paying so far: ask one state in SAMPLE_EVERY only,
            # to notice when the search reaches states where it pays.
            memo[-2, 2] += np.uint64(1)
            if memo[-2, 2] % np.uint64(SAMPLE_EVERY) != 0:
                return UNKNOWN
    answer = fits_in_bins(sizes, m, bins, cap, limit, memo)
    memo[-2, 0] += np.uint64(1)
    if answer == NO_FIT:
        memo[-2, 1] += np.uint64(1)
    return answer
