"""One way to write every ``--output`` file: never clobber what the path names.

A regular file (or a new path) is replaced atomically: the text goes to a temporary file in
the same folder, which then replaces it (``os.replace``), so readers see the old file or the
new one, never a partial one. Anything else is written through, as ``tee`` or ``>`` would: a
symlink stays a symlink (the file it points to gets the text), a FIFO or a process
substitution stays a pipe, ``/dev/null`` or ``/dev/full`` stay devices, and ``/dev/stdout``
appends to standard output rather than reopening (and truncating) it.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path``; raises :class:`OSError`."""
    data = text.encode("utf-8")
    target = Path(path)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is None or stat.S_ISREG(mode):
        _replace(target, data, None if mode is None else stat.S_IMODE(mode))
    else:
        _write_through(target, data)


def _replace(target: Path, data: bytes, mode: int | None) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if mode is None:
        folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:  # mkstemp creates 0600: give a new file the usual permissions
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_through(target: Path, data: bytes) -> None:
    try:
        st = os.stat(target)
    except FileNotFoundError:  # a dangling symlink: create the file it points to
        st = None
    if st is not None:
        for stream in (sys.stdout, sys.stderr):  # /dev/stdout, /dev/fd/2: append to the stream
            fd = _fileno(stream)
            if fd is not None and _same(st, fd):
                stream.flush()
                _write_all(fd, data)
                return
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    if st is None:
        flags |= os.O_CREAT
    elif stat.S_ISREG(st.st_mode):  # a symlink to a regular file: its new content
        flags |= os.O_TRUNC
    fd = os.open(target, flags, 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _fileno(stream: object) -> int | None:
    try:
        return stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None


def _same(st: os.stat_result, fd: int) -> bool:
    try:
        other = os.fstat(fd)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (other.st_dev, other.st_ino)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
