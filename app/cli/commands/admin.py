"""Subcommands: init, users, headcount and signing keys (the database: database.py; policies: policy.py)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.commands import policy
from app.cli.commands.base import Sub, command
from app.domain.enums import Role

if TYPE_CHECKING:
    from app.cli.session import CliSession


def register(sub: Sub, roles: list[str]) -> None:
    _init(sub)
    _user(sub, roles)
    _headcount(sub)
    policy.register(sub)
    _keys(sub)


def _init(sub: Sub) -> None:
    p = command(sub, "init", cmd_init, "create or upgrade the database, set the home force and the first administrator")
    p.add_argument("--force", required=True, metavar="CODE", help="the home force's code, e.g. west-yorkshire")
    p.add_argument("--admin", required=True, metavar="NAME", help="the first administrator's user name")
    p.add_argument("--encrypt", action="store_true", help="SQLCipher-encrypted SQLite file, key kept in the OS keyring")


def cmd_init(s: CliSession, a: argparse.Namespace) -> int:
    from app.cli.session import new_password
    from app.services import database_admin, installation

    key = _new_encryption_key(s) if a.encrypt else None
    db = s.database(check=False, encrypt_key=key)
    database_admin.set_up_schema(db)  # refused before anything, the upgrade included, is done once set up
    password = new_password(a.admin)
    installation.initialise(s.uow(), a.force, a.admin, password)
    force = installation.home_force(s.uow())
    print(f"Database ready for {force.name} ({db.describe()}); administrator '{a.admin}' created.")
    return 0


def _new_encryption_key(s: CliSession) -> str:
    from app import bootstrap

    new = bootstrap.new_encryption_key(s.settings.db_url)
    if not new.stored:
        print("WARNING: no OS keyring is available, so the encryption key cannot be stored. Keep this key "
              "somewhere safe; you will be asked for it each time the database is opened:\n" + new.key,
              file=sys.stderr)
    return new.key


def _user(sub: Sub, roles: list[str]) -> None:
    p = sub.add_parser("user", help="manage users")
    us = p.add_subparsers(dest="user_command", required=True)
    add = command(us, "add", cmd_user_add, "add a user (password from PPDA_NEW_PASSWORD or a prompt)")
    add.add_argument("name")
    add.add_argument("--role", action="append", required=True, choices=roles, type=str.upper)
    add.add_argument("--display-name")
    add.add_argument("--staff-number", help="link the account to the user's own workforce record")
    add.add_argument("--team")
    unlock = command(us, "unlock", cmd_user_unlock, "unlock an account locked after failed sign-ins")
    unlock.add_argument("name")
    command(us, "list", cmd_user_list, "list users and their roles")


def cmd_user_add(s: CliSession, a: argparse.Namespace) -> int:
    from app.cli.session import new_password
    from app.services import users

    actor = s.user()
    password = new_password(a.name)
    user = users.add_user(s.uow(), actor, a.name, {Role[r] for r in a.role}, password,
                          a.display_name, a.staff_number, a.team)
    print(f"User '{user.username}' added with role(s) {', '.join(sorted(r.name for r in user.roles))}.")
    return 0


def cmd_user_unlock(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import users

    users.unlock(s.uow(), s.user(), a.name)
    print(f"User '{a.name}' unlocked.")
    return 0


def cmd_user_list(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import users

    for u in users.list_users(s.uow(), s.user()):
        state = "locked" if u.locked else ("inactive" if not u.active else "active")
        print(f"{u.username:20} {state:9} {';'.join(u.roles)}")
    return 0


def _headcount(sub: Sub) -> None:
    p = sub.add_parser("headcount", help="workforce headcount for a survey year")
    hs = p.add_subparsers(dest="headcount_command", required=True)
    c = command(hs, "set", cmd_headcount_set, "set the workforce headcount for the period ending 31 March of YEAR")
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--total", type=int, required=True)


def cmd_headcount_set(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import installation

    installation.set_headcount(s.uow(), s.user(), a.year, a.total)
    print(f"Headcount for the year ending 31 March {a.year}: {a.total}.")
    return 0


def _keys(sub: Sub) -> None:
    p = sub.add_parser("keys", help="the force's notice-signing key and other forces' public keys")
    ks = p.add_subparsers(dest="keys_command", required=True)
    command(ks, "create", cmd_keys_create, "create the home force's signing key (private key kept in the OS keyring)")
    c = command(ks, "set-public", cmd_keys_set_public, "hold another force's public key, to verify its notice files")
    c.add_argument("--force", required=True, metavar="CODE")
    c.add_argument("key", help="the force's Ed25519 public key, base64")


def cmd_keys_create(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import notice_files

    public = notice_files.create_signing_key(s.uow(), s.user())
    print("Signing key created. Send this public key to the forces that receive your notice files:\n" + public)
    return 0


def cmd_keys_set_public(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import notice_files

    notice_files.set_public_key(s.uow(), s.user(), a.force, a.key)
    print(f"Public key for {a.force} held.")
    return 0
