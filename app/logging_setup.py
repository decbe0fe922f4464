"""Logging, configured once at entry: a rotating file in the data directory, warnings to stderr.

Log messages carry ids and counts, never names, dates of birth, contact details or secrets.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import sys
from pathlib import Path

from app.config import log_dir
from app.private_files import create_private_file

FILE_ONLY = "ppda_file_only"  # `extra={FILE_ONLY: True}`: the record goes to the log file, not to stderr
_configured = False


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The log file is created 0600 (a rotated file is the same file renamed, so it stays 0600)."""

    def _open(self) -> io.TextIOWrapper:
        create_private_file(Path(self.baseFilename))
        return super()._open()


def _console_filter(record: logging.LogRecord) -> bool:
    return not getattr(record, FILE_ONLY, False)


def configure(verbose: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    handler = _PrivateRotatingFileHandler(
        log_dir() / "ppda-tracker.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.addFilter(_console_filter)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root.addHandler(console)
    for noisy in ("sqlalchemy", "alembic", "faker", "PIL", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
