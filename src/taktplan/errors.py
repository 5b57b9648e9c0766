"""The error types of taktplan and their one-line messages.

Every reader and command raises :class:`InputError` for input a person
can fix; the command line turns it into one line on standard error and
exit code 2. An independent checker that rejects a solver's result
raises a :class:`ResultCheckError` (exit code 3: a bug in taktplan,
caught before the wrong answer was printed or stored).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from os import PathLike


class InputError(Exception):
    """Input that a person must fix: names the file, the place, the fix.

    Parameters
    ----------
    source
        The file (or ``"<command line>"``, ``"<scenario>"``) at fault.
    where
        The place inside it: ``"line 12"``, ``"tasks[3].times_s"``, or
        ``None`` when the whole source is at fault.
    problem
        What is wrong, in a few words.
    fix
        What to do about it.
    """

    def __init__(
        self,
        source: str | PathLike[str],
        where: str | None,
        problem: str,
        fix: str,
    ) -> None:
        self.source = str(source)
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The single line shown to the person."""
        place = f"{self.source}: {self.where}" if self.where else self.source
        text = f"{place}: {self.problem}; {self.fix}"
        return " ".join(text.split())

    def __str__(self) -> str:
        return self.message


class ResultCheckError(AssertionError):
    """An independent checker rejected a result: a solver bug, not input.

    The checkers of balance, sequence and simulation results raise a
    subclass of it; the command line withholds the result and exits 3.
    """


def key_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as ``tasks[3].times_s.SCP``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"
