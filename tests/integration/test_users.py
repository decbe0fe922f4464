"""Users and sign-in: argon2 hashes, password rules, lockout after five failures, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.errors import AuthenticationFailed, InvalidInput, PermissionDenied, RuleRefused
from app.persistence.models import UserRow
from app.services import installation, users
from tests.helpers import PASSWORD, Env, force_env


@pytest.fixture
def env(db_url: str):
    with force_env(db_url) as e:
        yield e


def test_password_is_hashed_with_argon2(env: Env) -> None:
    with env.uow() as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == "admin"))
        assert row is not None and row.password_hash.startswith("$argon2") and PASSWORD not in row.password_hash


def test_five_failures_lock_until_an_administrator_unlocks(env: Env) -> None:
    env.user("inv", Role.INVESTIGATOR)
    for _attempt in range(5):
        with pytest.raises(AuthenticationFailed, match=r"^Unknown user name or wrong password\. After 5 wrong"):
            users.authenticate(env.uow(), "inv", "wrong-password-123")
    with pytest.raises(AuthenticationFailed, match=r"^Unknown user name or wrong password\."):
        users.authenticate(env.uow(), "inv", PASSWORD)  # locked: the right password is refused too
    with env.uow() as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == "inv"))
        assert row is not None and row.locked and row.failed_attempts == 5
    users.unlock(env.uow(), env.admin, "inv")
    assert users.authenticate(env.uow(), "inv", PASSWORD).username == "inv"


def test_a_success_clears_the_count_of_failures(env: Env) -> None:
    env.user("inv", Role.INVESTIGATOR)
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(AuthenticationFailed):
                users.authenticate(env.uow(), "inv", "wrong-password-123")
        assert users.authenticate(env.uow(), "inv", PASSWORD).username == "inv"
    with env.uow() as uow:
        assert uow.session.scalar(select(UserRow.failed_attempts).where(UserRow.username == "inv")) == 0


def test_weak_passwords_and_bad_names_are_refused(env: Env) -> None:
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        users.add_user(env.uow(), env.admin, "bob", {Role.INVESTIGATOR}, "short")
    with pytest.raises(InvalidInput, match="must not contain the user name"):
        users.add_user(env.uow(), env.admin, "bobby", {Role.INVESTIGATOR}, "bobby-the-builder-99")
    with pytest.raises(InvalidInput, match="not a valid user name"):
        users.add_user(env.uow(), env.admin, "bob smith", {Role.INVESTIGATOR}, PASSWORD)
    env.user("bob", Role.INVESTIGATOR)
    with pytest.raises(InvalidInput, match="already exists"):
        users.add_user(env.uow(), env.admin, "BOB", {Role.INVESTIGATOR}, PASSWORD)


def test_only_administrators_manage_users(env: Env) -> None:
    sup = env.user("sup", Role.SUPERVISOR)
    with pytest.raises(PermissionDenied, match="may not manage users"):
        users.add_user(env.uow(), sup, "x1", {Role.INVESTIGATOR}, PASSWORD)


def test_initialise_twice_is_refused(env: Env) -> None:
    with pytest.raises(RuleRefused, match="already set up for west-midlands"):
        installation.initialise(env.uow(), "kent", "admin2", PASSWORD)


def test_a_refused_first_administrator_leaves_the_database_unset(db_url: str) -> None:
    from app.persistence.database import open_database
    from app.persistence.uow import UnitOfWork

    db = open_database(db_url)
    try:
        with pytest.raises(InvalidInput, match="at least 12 characters"):
            installation.initialise(UnitOfWork(db.session_factory), "kent", "admin", "short")
        assert not installation.is_initialised(UnitOfWork(db.session_factory))
        installation.initialise(UnitOfWork(db.session_factory), "kent", "admin", PASSWORD)
        assert installation.home_force(UnitOfWork(db.session_factory)).code == "kent"
    finally:
        db.dispose()
