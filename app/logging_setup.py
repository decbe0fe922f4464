"""Logging, configured once at entry: a rotating file in the data directory, warnings to stderr.

Log messages carry ids and counts, never names, dates of birth, contact details or secrets.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys

from app.config import log_dir

_configured = False


def configure(verbose: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    handler = logging.handlers.RotatingFileHandler(
        log_dir() / "ppda-tracker.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root.addHandler(console)
    for noisy in ("sqlalchemy", "alembic", "faker", "PIL", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
