"""Every command the README shows runs and exits 0 (issue 16, item 10).

The commands are read from the README's ``bash`` blocks, so a command
added there is tested too. Each runs in a scratch folder that sees the
repository's ``examples``, ``benchmarks`` and ``tests`` folders, with
short limits (fewer replications, shorter time limits) so that all of
them take about a minute. ``make plan`` runs as the command it stands
for (``taktplan plan --report taktplan-report.html``); ``make test`` (the
suite itself) and synopsis lines (``FILE``, ``[--flag]``) are not run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Placeholders of the README and what stands in for them.
STAND_INS = {"my_plant.toml": "tests/data/tiny_scenario.toml"}

#: Flags made short: (pattern, replacement).
SHORT = [
    (r"--time-limit \d+", "--time-limit 2"),
    (r"(-n|--replications) \d+", r"\1 2"),
    (r"--workers \d+", "--workers 1"),
]


def readme_commands() -> list[str]:
    """The commands of the README's bash blocks, one a line."""
    text = (ROOT / "README.md").read_text()
    out = []
    for block in re.findall(r"```(?:bash|sh)\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line == "make plan":
                line = "taktplan plan --report taktplan-report.html"
            if not line.startswith("taktplan"):
                continue
            if re.search(r"\bFILE\b|\[--|\(--", line):
                continue  # a synopsis, not a command
            out.append(" ".join(line.split()))
    return out


def shortened(command: str) -> str:
    """``command`` with short limits and stand-ins for placeholders."""
    for name, stand_in in STAND_INS.items():
        command = command.replace(name, stand_in)
    for pattern, repl in SHORT:
        command = re.sub(pattern, repl, command)
    words = command.split()
    if words[1] in ("plan", "simulate") and not re.search(
            r"(-n|--replications) ", command):
        command = command.replace(f"taktplan {words[1]}",
                                  f"taktplan {words[1]} --replications 2",
                                  1)
    return command


def test_readme_shows_the_main_commands() -> None:
    """The extraction finds the README's examples."""
    found = readme_commands()
    for first in ("taktplan plan", "taktplan simulate", "taktplan sweep",
                  "taktplan results", "taktplan optimize-buffers",
                  "taktplan sequence"):
        assert any(c.startswith(first) for c in found), first


@pytest.mark.slow
def test_every_readme_command_runs(tmp_path: Path) -> None:
    """Run them in order (``results`` reads what ``sweep`` wrote)."""
    for folder in ("examples", "benchmarks", "tests"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    failed = []
    for command in readme_commands():
        missing = [w for w in command.split()[2:]
                   if "/" in w and not w.startswith("-")
                   and not (tmp_path / w).exists()
                   and not w.endswith((".duckdb", ".html", ".csv"))]
        if missing and command.split()[2].startswith("SET_A"):
            continue  # the ROADEF data are not shipped (docs/SOURCES.md 7)
        run = shortened(command).replace(
            "taktplan", f"{sys.executable} -m taktplan", 1)
        got = subprocess.run(["bash", "-c", run], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300,
                             check=False)
        if got.returncode != 0:
            failed.append(f"{command}\n  -> exit {got.returncode}: "
                          f"{got.stderr.strip()[-300:]}")
    assert not failed, "\n".join(failed)
