"""Unit of work: one Session per user action. Leaving without commit() rolls back."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside a `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()


class InterruptibleUnitOfWork(UnitOfWork):
    """A unit of work on the same database as `uow` that calls `check` before each SQL statement
    and before its commit: `check` raises to stop the work (a cancelled background task), and the
    transaction is then rolled back, so nothing is saved."""

    def __init__(self, uow: UnitOfWork, check: Callable[[], None]) -> None:
        super().__init__(uow._factory)  # noqa: SLF001 - the same session factory
        self._check_now = check

    def __enter__(self) -> InterruptibleUnitOfWork:
        super().__enter__()
        event.listen(self.session, "after_begin", self._watch)
        return self

    def _watch(self, _session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
        event.listen(connection, "before_cursor_execute", self._check)

    def _check(self, *_args: object) -> None:
        self._check_now()

    def commit(self) -> None:
        self._check_now()
        super().commit()
