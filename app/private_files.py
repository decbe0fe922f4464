"""Files and folders that hold personal data are created readable by their owner only.

POSIX: folders 0700, files 0600, set when they are created (never created wider and narrowed
afterwards, so there is no moment when another account could open them). Windows has no mode bits
(`chmod` only sets the read-only flag): there the files are protected by the access-control list
they inherit from their folder; the per-user data folder (%LOCALAPPDATA%) grants only the user,
SYSTEM and the machine's administrators (docs/security.md).
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create the folder (and missing parents) if needed; a folder this call creates is 0700."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        restrict(path, PRIVATE_DIR)  # mkdir's mode is narrowed by the umask, never widened: make it exact
    return path


def create_private_file(path: Path) -> bool:
    """Create `path` empty with mode 0600 unless it exists; True when it was created here."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def restrict(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Give an existing file (or folder) the owner-only mode (a no-op on Windows)."""
    if POSIX:
        os.chmod(path, mode)


def append_private(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Append `data` in one write (lines from two processes never interleave), creating the file
    0600 if needed; `durable` waits until it is on disk."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
    try:
        os.write(fd, data)
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)
