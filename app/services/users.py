"""Users, roles and sign-in. Passwords are hashed with argon2; five failed sign-ins lock the
account until an administrator unlocks it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, Role
from app.domain.errors import AuthenticationFailed, InvalidInput, NotFound
from app.domain.passwords import MAX_FAILED_SIGN_INS, check_new_password, check_username
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import PersonRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


def to_user(row: UserRow) -> User:
    roles = frozenset(Role[r] for r in row.roles.split(";") if r)
    return User(row.id, row.username, row.display_name, roles, row.person_id, row.locked)


def any_users(uow: UnitOfWork) -> bool:
    with uow:
        return bool(uow.session.scalar(select(func.count()).select_from(UserRow)))


def _new_row(session: Session, username: str, password: str, roles: set[Role], display_name: str | None,
             staff_number: str | None, team: str | None) -> UserRow:
    check_username(username)
    check_new_password(username, password)
    if not roles:
        raise InvalidInput("A user needs at least one role.")
    if session.scalar(select(UserRow.id).where(func.lower(UserRow.username) == username.lower())):
        raise InvalidInput(f"A user called '{username}' already exists.")
    person_id = None
    if staff_number:
        person_id = session.scalar(select(PersonRow.id).where(PersonRow.staff_number == staff_number))
        if person_id is None:
            raise NotFound(f"No one with staff number {staff_number} is in the workforce register.")
    row = UserRow(
        username=username, display_name=display_name or username, password_hash=_hasher.hash(password),
        roles=";".join(sorted(r.name for r in roles)), person_id=person_id, team=team,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def create_first_administrator(uow: UnitOfWork, username: str, password: str, display_name: str | None = None) -> User:
    """First run only: the database has no users yet."""
    with uow:
        user = first_administrator(uow.session, username, password, display_name)
        uow.commit()
    return user


def first_administrator(session: Session, username: str, password: str, display_name: str | None = None) -> User:
    """Create the first administrator in the caller's transaction (refused once any user exists)."""
    if session.scalar(select(func.count()).select_from(UserRow)):
        raise InvalidInput("The first administrator already exists: sign in, or ask an administrator for an account.")
    row = _new_row(session, username, password, {Role.ADMINISTRATOR}, display_name, None, None)
    user = to_user(row)
    audit.record(session, user, AccessOperation.COLLECTION, "user", row.id, detail="first administrator created")
    return user


def add_user(uow: UnitOfWork, actor: User, username: str, roles: set[Role], password: str,
             display_name: str | None = None, staff_number: str | None = None, team: str | None = None) -> User:
    require(actor, Action.ADMINISTER)
    with uow:
        row = _new_row(uow.session, username, password, roles, display_name, staff_number, team)
        audit.record(uow.session, actor, AccessOperation.COLLECTION, "user", row.id,
                     detail=f"user added with roles {row.roles}")
        user = to_user(row)
        uow.commit()
    return user


def authenticate(uow: UnitOfWork, username: str, password: str) -> User:
    with uow:
        row = uow.session.scalar(select(UserRow).where(func.lower(UserRow.username) == (username or "").lower()))
        if row is None or not row.active:
            raise AuthenticationFailed("Unknown user name or wrong password.")
        if row.locked:
            raise AuthenticationFailed(
                f"The account '{row.username}' is locked after {MAX_FAILED_SIGN_INS} failed sign-ins. "
                "An administrator must unlock it."
            )
        if not _verify(row.password_hash, password):
            row.failed_attempts += 1
            if row.failed_attempts >= MAX_FAILED_SIGN_INS:
                row.locked = True
                log.warning("An account was locked after repeated failed sign-ins (user id %s)", row.id)
            uow.commit()
            left = MAX_FAILED_SIGN_INS - row.failed_attempts
            tail = " The account is now locked." if row.locked else f" {left} attempt(s) left before the account locks."
            raise AuthenticationFailed("Unknown user name or wrong password." + tail)
        if row.failed_attempts:
            row.failed_attempts = 0
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        uow.commit()
        return to_user(row)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def confirm_password(uow: UnitOfWork, user: User, password: str) -> None:
    """Unlock an idle-locked window: the same rules as sign-in."""
    authenticate(uow, user.username, password)


def _get(session: Session, username: str) -> UserRow:
    row = session.scalar(select(UserRow).where(func.lower(UserRow.username) == username.lower()))
    if row is None:
        raise NotFound(f"No user called '{username}'.")
    return row


def unlock(uow: UnitOfWork, actor: User, username: str) -> None:
    require(actor, Action.ADMINISTER)
    with uow:
        row = _get(uow.session, username)
        row.locked, row.failed_attempts = False, 0
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "user", row.id, detail="account unlocked")
        uow.commit()


def set_roles(uow: UnitOfWork, actor: User, username: str, roles: set[Role]) -> None:
    require(actor, Action.ADMINISTER)
    if not roles:
        raise InvalidInput("A user needs at least one role.")
    with uow:
        row = _get(uow.session, username)
        if row.id == actor.id and Role.ADMINISTRATOR not in roles:
            raise InvalidInput("You cannot remove your own administrator role.")
        row.roles = ";".join(sorted(r.name for r in roles))
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "user", row.id, detail=f"roles set to {row.roles}")
        uow.commit()


def set_active(uow: UnitOfWork, actor: User, username: str, active: bool) -> None:
    require(actor, Action.ADMINISTER)
    with uow:
        row = _get(uow.session, username)
        if row.id == actor.id and not active:
            raise InvalidInput("You cannot deactivate your own account.")
        row.active = active
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "user", row.id,
                     detail="account reactivated" if active else "account deactivated")
        uow.commit()


def change_password(uow: UnitOfWork, actor: User, old: str, new: str) -> None:
    with uow:
        row = _get(uow.session, actor.username)
        if not _verify(row.password_hash, old):
            raise AuthenticationFailed("The current password is wrong.")
        check_new_password(row.username, new)
        row.password_hash = _hasher.hash(new)
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "user", row.id, detail="password changed")
        uow.commit()


@dataclass(frozen=True)
class UserSummary:
    username: str
    display_name: str
    roles: tuple[str, ...]
    team: str | None
    locked: bool
    active: bool
    staff_number: str | None


def list_users(uow: UnitOfWork, actor: User) -> list[UserSummary]:
    require(actor, Action.ADMINISTER)
    with uow:
        rows = uow.session.execute(
            select(UserRow, PersonRow.staff_number).outerjoin(PersonRow, PersonRow.id == UserRow.person_id).order_by(UserRow.username)
        ).all()
        return [
            UserSummary(u.username, u.display_name, tuple(u.roles.split(";")), u.team, u.locked, u.active, sn)
            for u, sn in rows
        ]
