"""Subcommands: the database itself (schema, integrity, backups and restore, the PostgreSQL
application role's grants) and the way back for a locked-out administrator. Each needs an
administrator's sign-in and is logged (app.services.database_admin), except `db check`, a new
database's first `db upgrade`, and `admin recover` (which needs the database's owner instead)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.commands.base import Sub, command

if TYPE_CHECKING:
    from app.cli.session import CliSession


def register(sub: Sub, roles: list[str]) -> None:
    _db(sub)
    _admin(sub)


def _db(sub: Sub) -> None:
    p = sub.add_parser("db", help="database schema, integrity, backups and privileges")
    ds = p.add_subparsers(dest="db_command", required=True)
    command(ds, "upgrade", cmd_db_upgrade, "upgrade the database schema to this program's version (an administrator)")
    command(ds, "check", cmd_db_check, "check that the schema matches this program and that an SQLite file is intact")
    command(ds, "backups", cmd_db_backups, "list the SQLite backups (an administrator)")
    r = command(ds, "restore", cmd_db_restore,
                "replace the SQLite database with a backup copy, backing up the one replaced first (an administrator)")
    r.add_argument("backup", type=Path, help="a backup file (as `db backups` lists them) or its name")
    g = command(ds, "grants", cmd_db_grants, "print (or --apply) the PostgreSQL privileges of the application's role: "
                "on the access log INSERT and SELECT only")
    g.add_argument("--role", required=True, help="the role the workstations connect as (not the tables' owner)")
    g.add_argument("--apply", action="store_true", help="run the statements (an administrator; as the tables' owner)")


def cmd_db_upgrade(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import database_admin

    db = s.database(check=False)
    actor = s.administrator("db upgrade") if database_admin.has_accounts(db) else None
    done = database_admin.upgrade(db, actor)
    if done.before == done.after:
        print(f"Already at schema {done.after}; nothing to do.")
    else:
        print(f"Upgraded from {done.before or 'empty'} to {done.after}."
              + (f" Backup: {done.backup}" if done.backup else ""))
    return 0


def cmd_db_check(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import database_admin

    db = s.database(check=False)
    checked = database_admin.check(db)
    state, damage = checked.schema, checked.damage
    if damage:
        print(f"The database file is damaged ({damage}). Restore the latest backup: `ppda-tracker db backups`, then "
              "`ppda-tracker db restore FILE` (an administrator).", file=sys.stderr)
        return 1
    if state.up_to_date:
        print(f"Database schema {state.current} matches this program"
              + (" and the file is intact." if db.is_sqlite else "."))
        return 0
    print(f"Database schema is {state.current or 'empty'}; this program needs {state.head}. "
          "Run `ppda-tracker db upgrade`.", file=sys.stderr)
    return 1


def cmd_db_backups(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import database_admin

    path, _key = s.sqlite_file()
    db = s.damaged_or_database()
    if db is None:
        print("The database file is damaged, so no one can sign in to it. Its backups (restore one with "
              "`db restore FILE`, signing in as an administrator of that backup):", file=sys.stderr)
        found = database_admin.backups_of_file(path)
    else:
        found = database_admin.list_backups(db, s.administrator("db backups"))
    for b in found:
        print(b)
    if not found:
        print("No backups yet (one is made before each upgrade and each restore).")
    return 0


def cmd_db_restore(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import database_admin

    path, key = s.sqlite_file()
    backup = database_admin.backup_named(path, a.backup)
    current = s.damaged_or_database()
    done = database_admin.restore(path, key, current, backup, lambda uow: s.administrator("db restore", uow))
    s.forget_database()
    print(f"Restored {done.source.name} (schema {done.schema}). The database it replaced was backed up first: "
          f"{done.replaced}. The restore is in the access log and signed in its checkpoint file.")
    return 0


def cmd_db_grants(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import database_admin

    db = s.database(check=False)
    if not a.apply:
        print("\n".join(f"{statement};" for statement in database_admin.grant_statements(db, a.role)))
        return 0
    done = database_admin.apply_grants(db, s.administrator("db grants --apply"), a.role)
    print(f"{len(done)} statements applied: {a.role} may read and add access-log entries, never change, remove or "
          "truncate them. Run this again after each `db upgrade`.")
    return 0


def _admin(sub: Sub) -> None:
    p = sub.add_parser("admin", help="the way back for a locked-out administrator")
    ad = p.add_subparsers(dest="admin_command", required=True)
    r = command(ad, "recover", cmd_admin_recover,
                "unlock an administrator's account and set a new password (needs the database's owner: the OS "
                "account owning the SQLite file, or the PostgreSQL role owning the tables); logged")
    r.add_argument("name")


def cmd_admin_recover(s: CliSession, a: argparse.Namespace) -> int:
    from app.cli.session import new_password
    from app.services import database_admin

    db = s.database(check=False)
    proof = database_admin.recover(db, a.name, new_password(a.name))
    print(f"Administrator '{a.name}' unlocked, with the new password, by {proof}. This is in the access log.")
    return 0
