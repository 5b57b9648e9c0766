"""The balance warm-ups compile what their solvers run, and no more."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from taktplan.balance.warmup import warm_up
warm_up({kind!r})
from taktplan.balance import _kernel
memo = [str(sig[18]) for f in (_kernel.bbr_search, _kernel.beam_search,
                                _kernel.cbfs_search)
        for sig in f.overloads]
print(sorted(set(memo)))
"""


def _compiled(kind: str) -> str:
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(kind=kind)],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_mixed_warm_up_compiles_the_searches_without_bin_packing() -> None:
    """The plant's balance never pays for compiling the bin packing of
    the states: its kernels take no memory (``none``), and numba prunes
    the branch that asks it."""
    assert _compiled("mixed") == "['none']"


def test_line_warm_up_compiles_both_variants() -> None:
    """SALBP runs searches with and without the states' bin packing."""
    assert _compiled("line") == "['array(uint64, 2d, C)', 'none']"
