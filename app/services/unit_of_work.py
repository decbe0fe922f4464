"""The types the window and the command line name when they call services.

A service takes a unit of work (one user action, one transaction); the window and the command
line get new ones from the handle that app.bootstrap opened at start-up, typed here as a
`UnitOfWorkFactory`. The administration services (app.services.database_admin) take that handle
itself, a `Database`. These names are re-exported from app.persistence so that app.ui and app.cli
never import the persistence layer (import-linter's "reach data only through services").
"""

from __future__ import annotations

from typing import Protocol

from app.persistence.database import Database
from app.persistence.uow import InterruptibleUnitOfWork, UnitOfWork

__all__ = ["Database", "InterruptibleUnitOfWork", "UnitOfWork", "UnitOfWorkFactory"]


class UnitOfWorkFactory(Protocol):
    """Where a screen or a command gets a fresh unit of work for each user action."""

    def uow(self) -> UnitOfWork: ...
