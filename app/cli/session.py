"""What every CLI command shares: opening the database and authenticating the user."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass

from app.config import ENV_PASSWORD, Settings
from app.domain.errors import AuthenticationFailed, InvalidInput
from app.domain.records import User
from app.persistence import migrate
from app.persistence.database import Database, open_database
from app.persistence.secrets import SecretStore
from app.persistence.uow import UnitOfWork
from app.services import case_summary, users


def prompt_secret(question: str) -> str:
    if not sys.stdin.isatty():
        return ""
    return getpass.getpass(f"{question}: ")


@dataclass
class CliSession:
    settings: Settings
    _db: Database | None = None

    def database(self, *, check: bool = True, encrypt_key: str | None = None) -> Database:
        if self._db is None:
            self._db = open_database(self.settings.db_url, SecretStore(prompt_secret), encrypt_key=encrypt_key)
            if check:
                migrate.check_ready(self._db)
                case_summary.ensure_current(UnitOfWork(self._db.session_factory))
        return self._db

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.database().session_factory)

    def user(self) -> User:
        name = self.settings.user
        if not name:
            raise InvalidInput("Say who you are: --user NAME (or PPDA_USER).")
        password = os.environ.get(ENV_PASSWORD)
        if password is None:
            if not sys.stdin.isatty():
                raise AuthenticationFailed(f"No password: set {ENV_PASSWORD} or run the command in a terminal.")
            password = getpass.getpass(f"Password for {name}: ")
        return users.authenticate(self.uow(), name, password)

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
