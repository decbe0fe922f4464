"""Users, roles and sign-in. Passwords are hashed with argon2; five failed sign-ins in a row lock
the account until an administrator unlocks it (a locked-out sole administrator: `admin recover`,
app.services.database_admin)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import NoReturn, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, Role
from app.domain.errors import AuthenticationFailed, InvalidInput, NotFound
from app.domain.passwords import MAX_FAILED_SIGN_INS, check_new_password, check_username, context_words
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import ForceRow, PersonRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import access_log_checkpoints as checkpoints
from app.services import audit, clock

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


def to_user(row: UserRow) -> User:
    roles = frozenset(Role[r] for r in row.roles.split(";") if r)
    return User(row.id, row.username, row.display_name, roles, row.person_id, row.locked)


def any_users(uow: UnitOfWork) -> bool:
    with uow:
        return bool(uow.session.scalar(select(func.count()).select_from(UserRow)))


def _check_password(session: Session, username: str, password: str) -> None:
    """The password rules, with every force's name and code on the deny-list."""
    forces = session.execute(select(ForceRow.code, ForceRow.name)).all()
    check_new_password(username, password, context_words(*(c for c, _ in forces), *(n for _, n in forces)))


def check_account(uow: UnitOfWork, username: str, password: str) -> None:
    """The rules for a new account's name and password, checked before anything is written."""
    check_username(username)
    with uow:
        _check_password(uow.session, username, password)


def _new_row(session: Session, username: str, password: str, roles: set[Role], display_name: str | None,
             staff_number: str | None, team: str | None) -> UserRow:
    check_username(username)
    _check_password(session, username, password)
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


SIGN_IN_REFUSED = (
    f"Unknown user name or wrong password. After {MAX_FAILED_SIGN_INS} wrong passwords in a row an account is "
    "locked until an administrator unlocks it."
)
UNKNOWN_NAME = "(unknown user name)"  # what the log records for a name that is no account (never the text typed)


def authenticate(uow: UnitOfWork, username: str, password: str) -> User:
    """Sign in. One message for every refusal (unknown name, wrong password, locked or inactive
    account), so that it never tells whether an account exists; each takes one password check's
    time. At most MAX_FAILED_SIGN_INS passwords are ever checked against an account between two
    successful sign-ins, however many arrive at once: an attempt is counted (atomically, in its own
    transaction) before its password is checked. Every refusal is in the access log."""
    with uow:
        row = uow.session.execute(
            select(UserRow.id, UserRow.username, UserRow.password_hash, UserRow.active)
            .where(func.lower(UserRow.username) == (username or "").strip().lower())).first()
        if row is None or not row.active:
            _verify(_dummy_hash(), password)
            _refused(uow.session, row.id if row else None, row.username if row else None,
                     "unknown user name" if row is None else "inactive account")
        elif _claim_attempt(uow, row.id) is None:
            _verify(_dummy_hash(), password)
            _refused(uow.session, row.id, row.username, "account locked")
        elif not _verify(row.password_hash, password):
            locked = _lock_if_exhausted(uow.session, row.id)
            _refused(uow.session, row.id, row.username, "wrong password" + ("; account now locked" if locked else ""))
        return _signed_in(uow, row.id, password)


def _claim_attempt(uow: UnitOfWork, user_id: int) -> int | None:
    """Count this attempt as failed before the password is checked (a success clears the count);
    None when the account is locked or its attempts are all in use. Committed at once, so parallel
    attempts see each other's count."""
    table = cast(Table, UserRow.__table__)
    count = uow.session.execute(
        update(table).where(table.c.id == user_id, table.c.locked.is_(False),
                            table.c.failed_attempts < MAX_FAILED_SIGN_INS)
        .values(failed_attempts=table.c.failed_attempts + 1).returning(table.c.failed_attempts)).scalar()
    uow.commit()
    return count


def _lock_if_exhausted(session: Session, user_id: int) -> bool:
    table = cast(Table, UserRow.__table__)
    locked = session.execute(
        update(table).where(table.c.id == user_id, table.c.locked.is_(False),
                            table.c.failed_attempts >= MAX_FAILED_SIGN_INS)
        .values(locked=True).returning(table.c.id)).first() is not None
    if locked:
        log.warning("An account was locked after repeated failed sign-ins (user id %s)", user_id)
    return locked


def _refused(session: Session, user_id: int | None, username: str | None, why: str) -> NoReturn:
    """Log the refusal (its own transaction) and refuse. A name that is no account is not logged:
    people type their password into the user-name box, and the log keeps everything for ever."""
    actor = None if user_id is None else User(user_id, str(username), str(username), frozenset())
    audit.record(session, actor, AccessOperation.SIGN_IN, "user", user_id, detail=f"sign-in refused: {why}",
                 username=UNKNOWN_NAME)
    session.commit()
    raise AuthenticationFailed(SIGN_IN_REFUSED)


def _signed_in(uow: UnitOfWork, user_id: int, password: str) -> User:
    row = uow.session.get(UserRow, user_id)
    assert row is not None
    row.failed_attempts = 0
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    uow.commit()
    checkpoints.at_sign_in(uow.session)
    return to_user(row)


_dummy: list[str] = []


def _dummy_hash() -> str:
    """A hash to check a password against when there is no account: the same time either way."""
    if not _dummy:
        _dummy.append(_hasher.hash("no account has this password"))
    return _dummy[0]


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


def set_password(session: Session, row: UserRow, password: str) -> None:
    """Check `password` against the rules and keep its hash (the caller logs and commits)."""
    _check_password(session, row.username, password)
    row.password_hash = _hasher.hash(password)


def change_password(uow: UnitOfWork, actor: User, old: str, new: str) -> None:
    with uow:
        row = _get(uow.session, actor.username)
        if not _verify(row.password_hash, old):
            raise AuthenticationFailed("The current password is wrong.")
        set_password(uow.session, row, new)
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
            select(UserRow, PersonRow.staff_number).outerjoin(PersonRow,
                                                              PersonRow.id
                                                              == UserRow.person_id).order_by(UserRow.username)
        ).all()
        return [
            UserSummary(u.username, u.display_name, tuple(u.roles.split(";")), u.team, u.locked, u.active, sn)
            for u, sn in rows
        ]
