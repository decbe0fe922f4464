"""Writing report files atomically: a crash or an error never leaves a half-written file. Every
export is OFFICIAL-SENSITIVE and is created readable by its owner only (0600 on POSIX; on Windows
it takes the folder's access-control list)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.private_files import restrict


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to `target`; on success it replaces `target` in one step.

    The temporary file is in the same directory, so `os.replace` is a rename on one file system.
    On any exception the temporary file is removed and `target` is left as it was. The temporary
    file is created 0600 (mkstemp) and is 0600 when it takes the name, whatever the writer did.
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix + ".part", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        restrict(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
