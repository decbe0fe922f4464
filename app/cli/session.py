"""What every CLI command shares: opening the database (app.bootstrap, as the window does) and
authenticating the user."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from app import bootstrap
from app.config import ENV_PASSWORD, Settings
from app.domain.errors import AuthenticationFailed, InvalidInput
from app.domain.records import User
from app.services import users
from app.services.unit_of_work import Database, UnitOfWork


def prompt_secret(question: str) -> str:
    if not sys.stdin.isatty():
        return ""
    return getpass.getpass(f"{question}: ")


@dataclass
class CliSession:
    settings: Settings
    _db: Database | None = None

    def database(self, *, check: bool = True, encrypt_key: str | None = None) -> Database:
        """The database, opened once; `check`: made ready for use first (app.bootstrap.start: the
        schema checked, SQLite upgraded); `encrypt_key` creates a new encrypted file (`init`)."""
        if self._db is None:
            if check:
                self._db = bootstrap.start(self.settings.db_url, prompt_secret)
            else:
                self._db = bootstrap.open_database(self.settings.db_url, prompt_secret, encrypt_key=encrypt_key)
        return self._db

    def uow(self) -> UnitOfWork:
        return self.database().uow()

    def user(self) -> User:
        return self.authenticate_in(self.uow())

    def authenticate_in(self, uow: UnitOfWork) -> User:
        """Sign the --user in to the database of `uow` (the password from PPDA_PASSWORD or a prompt)."""
        name = self.settings.user
        if not name:
            raise InvalidInput("Say who you are: --user NAME (or PPDA_USER).")
        password = os.environ.get(ENV_PASSWORD)
        if password is None:
            if not sys.stdin.isatty():
                raise AuthenticationFailed(f"No password: set {ENV_PASSWORD} or run the command in a terminal.")
            password = getpass.getpass(f"Password for {name}: ")
        return users.authenticate(uow, name, password)

    def administrator(self, command: str, uow: UnitOfWork | None = None) -> User:
        """The --user, signed in (to the database of `uow`, by default this one), who must be an
        administrator to run `command`."""
        from app.services.database_admin import require_administrator

        if not self.settings.user:
            raise InvalidInput(f"`{command}` needs an administrator's sign-in: --user NAME (or PPDA_USER).")
        actor = self.authenticate_in(uow or self.uow())
        require_administrator(actor, command)
        return actor

    def damaged_or_database(self) -> Database | None:
        """The database, opened without the start-up check; None when its file is too damaged to open."""
        try:
            return self.database(check=False)
        except Exception as exc:
            if bootstrap.is_damaged(exc):
                return None
            raise

    def sqlite_file(self) -> tuple[Path, str | None]:
        """The SQLite file named by --db and its encryption key (None if plain), without opening it."""
        return bootstrap.sqlite_file(self.settings.db_url, prompt_secret)

    def forget_database(self) -> None:
        """After a restore replaced the file: the next use opens it afresh."""
        self.close()
        self._db = None

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def new_password(username: str) -> str:
    from app.config import ENV_NEW_PASSWORD

    value = os.environ.get(ENV_NEW_PASSWORD)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput(f"No password for the new user: set {ENV_NEW_PASSWORD} or run in a terminal.")
    first = getpass.getpass(f"New password for {username}: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise InvalidInput("The two passwords differ; nothing was changed.")
    return first
