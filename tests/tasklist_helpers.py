"""The tiny scenario with its tasks in a CSV task list (for the tests)."""

from __future__ import annotations

from pathlib import Path

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"

#: The tiny scenario's six tasks as a spreadsheet would hold them
#: (row 1 the header, t1 on row 2 ... t6 on row 7; columns A..G).
TINY_CSV = """\
id,name,area,time_s,time_s:A,time_s:B,predecessors
t1,,assembly,40,,,
t2,,assembly,30,,,t1
t3,,assembly,,20,60,t1
t4,,assembly,50,,,"t2, t3"
t5,,assembly,,0,45,t4
t6,,assembly,35,,,t4
"""


def tiny_folder(folder: Path, tasks_line: str = 'tasks = "tasks.csv"',
                csv_text: str | None = TINY_CSV) -> Path:
    """The tiny scenario with its tasks moved to ``tasks.csv``."""
    text = TINY.read_text()
    head, rest = text.split("[[tasks]]", 1)
    tail = rest[rest.index("[[segments]]"):]
    scenario = folder / "scenario.toml"
    folder.mkdir(parents=True, exist_ok=True)
    first = head.index("[meta]")
    scenario.write_text(head[:first] + tasks_line + "\n\n" + head[first:]
                        + tail)
    if csv_text is not None:
        (folder / "tasks.csv").write_text(csv_text)
    return scenario
