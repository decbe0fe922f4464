"""Small builders the tests share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.domain.enums import Role
from app.domain.records import User
from app.persistence.database import Database, open_database
from app.persistence.uow import UnitOfWork
from app.services import installation, users

PASSWORD = "Correct-Horse-Battery-9"


@dataclass
class Env:
    """A set-up force database with an administrator."""

    db: Database
    admin: User

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db.session_factory)

    def user(self, name: str, *roles: Role, staff_number: str | None = None, team: str | None = None) -> User:
        return users.add_user(self.uow(), self.admin, name, set(roles), PASSWORD, staff_number=staff_number, team=team)


@contextmanager
def force_env(url: str, force: str = "west-midlands") -> Iterator[Env]:
    db = open_database(url)
    try:
        admin = installation.initialise(UnitOfWork(db.session_factory), force, "admin", PASSWORD)
        yield Env(db, admin)
    finally:
        db.dispose()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path
