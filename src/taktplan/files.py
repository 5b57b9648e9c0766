"""Reading input text with a line-exact error; writing output whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from taktplan.errors import InputError


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


def check_output_path(path: str | os.PathLike[str], flag: str) -> Path:
    """Refuse, before any work, an output path that cannot be written.

    Raises
    ------
    InputError
        Naming the flag when ``path`` is a directory or its folder does
        not exist or cannot be written.
    """
    target = Path(path)
    if target.is_dir():
        raise InputError("<command line>", flag, f"{target} is a directory",
                         "give the path of a file to write")
    folder = target.parent
    if folder.exists() and not folder.is_dir():
        raise InputError("<command line>", flag, f"{folder} is not a "
                         "directory", "give a path inside a folder")
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise InputError("<command line>", flag, f"the folder {folder} is "
                         "not writable", "give a path in a folder you can "
                         "write to")
    return target


def _remove_stale_temporaries(target: Path) -> None:
    """Remove temporary files a killed earlier write left beside ``target``
    (a SIGKILL cannot be caught, so the next write cleans up)."""
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def write_text_atomically(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    An interrupted or failed write leaves no half-written file behind:
    the target either keeps its old content or gets the whole new one.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); give it the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
