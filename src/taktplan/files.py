"""Reading input text with a line-exact error (UTF-8, TOML); writing
output whole or not at all."""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taktplan.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable


def decode_utf8(source: str | os.PathLike[str], raw: bytes) -> str:
    """Decode a file's bytes as UTF-8 (a byte-order mark is dropped).

    Raises
    ------
    InputError
        Naming the line of the first byte that is not UTF-8 text, or of
        the first NUL byte (a binary or UTF-16 file).
    """
    nul = raw.find(b"\0")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start if nul < 0 else min(nul, exc.start)
    else:
        if nul < 0:
            return text
        bad = nul
    line = raw[:bad].count(b"\n") + 1
    raise InputError(source, f"line {line}", f"byte 0x{raw[bad]:02x} is not "
                     "UTF-8 text (a binary file, or another encoding such as "
                     "Latin-1 or UTF-16)", "save the file as UTF-8 text")


def write_text_atomically(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    An interrupted or failed write leaves no half-written file behind:
    the target either keeps its old content or gets the whole new one.
    """
    return write_file_atomically(
        path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_file_atomically(path: str | os.PathLike[str],
                          write: Callable[[Path], object]) -> Path:
    """Let ``write`` fill a temporary file beside ``path``, then rename it.

    ``write`` gets the temporary file's path (a library that saves to a
    path, such as openpyxl, writes there). Whatever it raises, no
    half-written file is left: the target keeps its old content or gets
    the whole new one.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); give it the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def read_input_bytes(path: str | os.PathLike[str], directory_fix: str
                     ) -> bytes:
    """The bytes of an input file, or an :class:`InputError` naming it:
    not found, a directory (``directory_fix`` says what to give instead)
    or unreadable."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, "file not found",
                         "check the path") from None
    except IsADirectoryError:
        raise InputError(path, None, "is a directory, not a file",
                         directory_fix) from None
    except OSError as exc:
        raise InputError(path, None, f"cannot be read ({exc.strerror})",
                         "check the path and its permissions") from None


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file into a dict, or raise :class:`InputError`."""
    source = Path(path)
    text = decode_utf8(source, read_input_bytes(
        source, "give the path of a .toml file"))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where, problem = _toml_place(str(exc))
        if where is None and "end of document" in str(exc):
            where = f"line {text.count(chr(10)) + 1} (end of file)"
        raise InputError(source, where, f"is not valid TOML ({problem})",
                         "fix the TOML syntax there") from None


def _toml_place(message: str) -> tuple[str | None, str]:
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    problem = re.sub(r"\s*\(at .*?\)", "", message).strip() or "syntax"
    if match:
        return f"line {match.group(1)}, column {match.group(2)}", problem
    return None, problem
