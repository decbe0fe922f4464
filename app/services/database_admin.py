"""Administration of the database itself: schema upgrades, backups and restores, the application
role's grants on PostgreSQL, and the way back for a locked-out administrator.

Each needs an ADMINISTRATOR's sign-in and is logged, except where no account can exist yet (a new,
empty database being upgraded or set up). A restore first backs up the database it replaces, never
prunes the backup it restores from, and signs a "restore" checkpoint, so that `audit verify` tells
a restore (signed) from a rollback by someone who copied an old file over the database (unsigned).
`admin recover` needs no account at all, but owner's access to the database: the OS account that
owns the SQLite file (and its encryption key, without which it does not open), or the PostgreSQL
role that owns the tables (the DBA): whoever has that can already change the database directly.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select, text

from app.domain.enums import AccessOperation, Role
from app.domain.errors import InvalidInput, NotFound, PermissionDenied, RuleRefused
from app.domain.records import User
from app.persistence import grants, migrate
from app.persistence.database import Database, open_database
from app.persistence.migrate import SchemaState
from app.persistence.models import UserRow
from app.persistence.uow import UnitOfWork
from app.services import access_log_checkpoints as checkpoints
from app.services import audit, users

RECOVERY = "recovery"  # the name the log gives whoever recovered an account (they have none)


def has_accounts(db: Database) -> bool:
    """Whether the database holds any user account (read at any schema version)."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("user_account"):
            return False
        return bool(conn.execute(text("SELECT count(*) FROM user_account")).scalar())


def require_administrator(actor: User, command: str) -> None:
    if Role.ADMINISTRATOR not in actor.roles:
        raise PermissionDenied(f"`{command}` needs an administrator's sign-in; {actor.username} is not an "
                               "administrator. Nothing was changed.")


def _log(db: Database, actor: User | None, operation: AccessOperation, detail: str, *,
         username: str | None = None) -> None:
    uow = UnitOfWork(db.session_factory)
    with uow:
        audit.record(uow.session, actor, operation, "database", None, detail=detail, username=username)
        uow.commit()


def set_up_schema(db: Database) -> None:
    """`init`: bring a database that holds no account yet to this program's schema (creating it
    when empty); refused, before anything is done, on a database already set up."""
    if has_accounts(db):
        raise RuleRefused(f"{db.describe()} is already set up: `init` never adds a second first administrator. "
                          "An administrator upgrades it (`db upgrade`) and adds users (`user add`).")
    migrate.upgrade(db)


@dataclass(frozen=True)
class Checked:
    schema: SchemaState
    damage: str | None  # SQLite's description of a damaged file; None when intact (or PostgreSQL)


def check(db: Database) -> Checked:
    """`db check`: whether the schema matches this program and an SQLite file is intact (no sign-in)."""
    return Checked(migrate.schema_state(db), migrate.integrity_problems(db))


@dataclass(frozen=True)
class Upgraded:
    before: str | None
    after: str | None
    backup: Path | None


def upgrade(db: Database, actor: User | None) -> Upgraded:
    """`db upgrade`: an administrator's, or nobody's on a database with no account yet."""
    if actor is None and has_accounts(db):
        raise PermissionDenied("`db upgrade` needs an administrator's sign-in (--user NAME). Nothing was changed.")
    if actor is not None:
        require_administrator(actor, "db upgrade")
    before = migrate.schema_state(db).current
    backup = migrate.upgrade(db)
    after = migrate.schema_state(db).current
    if actor is not None:
        what = f"schema upgraded from {before} to {after}" if before != after else f"schema checked: already {after}"
        _log(db, actor, AccessOperation.ALTERATION, what + (f"; backup {backup.name}" if backup else ""))
    return Upgraded(before, after, backup)


def list_backups(db: Database, actor: User) -> list[Path]:
    require_administrator(actor, "db backups")
    found = migrate.list_backups(db)
    _log(db, actor, AccessOperation.CONSULTATION, f"backups listed ({len(found)})")
    return found


def backups_of_file(path: Path) -> list[Path]:
    """The backups of a database file too damaged to open (so no one can sign in to it), oldest first."""
    return migrate.backups_of(path)


def backup_named(path: Path, backup: Path) -> Path:
    """`backup` as given to `db restore`: an existing file, else the backup of that name beside `path`."""
    return backup if backup.exists() else migrate.backup_folder(path) / backup.name


@dataclass(frozen=True)
class Restored:
    source: Path
    replaced: Path
    schema: str | None


def restore(path: Path, key: str | None, current: Database | None, backup: Path,
            sign_in: Callable[[UnitOfWork], User]) -> Restored:
    """`db restore BACKUP` on the SQLite file at `path` (`key`: its SQLCipher key, if encrypted).

    The administrator signs in to the current database, or, when it is too damaged to open
    (`current` None), to the backup that will replace it. The backup is copied and checked before
    anything else happens; the database it replaces is backed up (the backup API, or byte for byte
    when damaged); the copy takes the database's name in one rename."""
    staged = migrate.stage_backup(path, backup, key)
    try:
        staged_db = open_database(f"sqlite:///{staged}", encrypt_key=key)
        try:
            accounts = current if current is not None and has_accounts(current) else staged_db
            admin = sign_in(UnitOfWork(accounts.session_factory))
            require_administrator(admin, "db restore")
            if current is not None:
                _log(current, admin, AccessOperation.ALTERATION, f"restore from backup {backup.name} begun")
        finally:
            staged_db.dispose()
        replaced = migrate.keep_replaced(current, path, protect={backup})
        if current is not None:
            current.dispose()
        migrate.put_in_place(staged, path)
    except BaseException:
        migrate.remove_staged(staged)
        raise
    return Restored(backup, replaced, _after_restore(path, key, admin, backup, replaced))


def _after_restore(path: Path, key: str | None, admin: User, backup: Path, replaced: Path) -> str | None:
    """Sign the restored log's head as a restore, then log the restore in the restored database."""
    db = open_database(f"sqlite:///{path}", encrypt_key=key)
    try:
        uow = UnitOfWork(db.session_factory)
        with uow:
            head = checkpoints.current_head(uow.session)
            if head is not None:
                checkpoints.write(uow.session, *head, what="restore")
            audit.record(uow.session, admin, AccessOperation.ALTERATION, "database", None,
                         detail=f"restored from backup {backup.name}; the replaced database is kept as {replaced.name}")
            uow.commit()
        return migrate.stored_revision(db)
    finally:
        db.dispose()


def grant_statements(db: Database, role: str) -> list[str]:
    """`db grants` without --apply: the statements, to read (nothing is run or logged)."""
    return grants.statements(db, role)


def apply_grants(db: Database, actor: User, role: str) -> list[str]:
    require_administrator(actor, "db grants --apply")
    done = grants.apply(db, role)
    _log(db, actor, AccessOperation.ALTERATION,
         f"privileges of database role {role} set: access log insert and read only")
    return done


# ---- the way back for a locked-out administrator ------------------------------------------------------

def owner_access(db: Database) -> str | None:
    """How this process holds the database as its owner (said in the log), or None."""
    path = db.sqlite_path
    if db.is_sqlite:
        if path is None:
            return None
        if os.name == "posix":
            owner = path.stat().st_uid == os.getuid()
            return f"the OS account that owns {path.name} ({getpass.getuser()})" if owner else None
        return f"write access to {path.name} ({getpass.getuser()})" if os.access(path, os.W_OK) else None
    with db.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT current_user, r.rolsuper OR pg_get_userbyid(c.relowner) = current_user FROM pg_roles r, pg_class c "
            "WHERE r.rolname = current_user AND c.relname = 'user_account' AND c.relkind = 'r'")).first()
    return f"the PostgreSQL role that owns the tables ({row[0]})" if row and row[1] else None


def recover(db: Database, username: str, password: str) -> str:
    """Unlock an administrator's account and give it a new password, for whoever holds the
    database as its owner; returns how they proved it (also in the log)."""
    proof = owner_access(db)
    if proof is None:
        raise PermissionDenied(
            "`admin recover` needs the database's owner: run it as the OS account that owns the database file "
            "(for PostgreSQL, connected as the role that owns the tables, i.e. the DBA's). Nothing was changed.")
    uow = UnitOfWork(db.session_factory)
    with uow:
        row = uow.session.scalar(select(UserRow).where(func.lower(UserRow.username) == username.strip().lower()))
        if row is None:
            raise NotFound(f"No user called '{username}'.")
        if Role.ADMINISTRATOR.name not in row.roles.split(";"):
            raise InvalidInput(f"'{row.username}' is not an administrator: an administrator unlocks other accounts "
                               "(`user unlock`). Nothing was changed.")
        users.set_password(uow.session, row, password)
        row.locked, row.failed_attempts, row.active = False, 0, True
        audit.record(uow.session, None, AccessOperation.ALTERATION, "user", row.id, username=RECOVERY,
                     detail=f"administrator account recovered by {proof}: unlocked, new password set")
        uow.commit()
    return proof
