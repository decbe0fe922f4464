"""The subcommands of FORMATS.md ("Command line"). Each handler calls services and prints."""

from __future__ import annotations

import argparse
import os
import secrets as pysecrets
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.enums import Role
from app.domain.errors import InvalidInput, RuleRefused

if TYPE_CHECKING:
    from app.cli.session import CliSession

Sub = Any  # argparse's private _SubParsersAction
ENV_APPROVER_PASSWORD = "PPDA_APPROVER_PASSWORD"  # automation: the approving user's password


def register(sub: Sub, roles: list[str]) -> None:
    _init(sub)
    _user(sub, roles)
    _db(sub)
    _import(sub)
    _headcount(sub)
    _policy(sub)
    _keys(sub)
    _notices(sub)
    _queue(sub)
    _match(sub)
    _exports(sub)
    _audit(sub)
    _retention(sub)
    _demo(sub)


def _cmd(sub: Sub, name: str, handler: Any, help: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help)
    p.set_defaults(handler=handler)
    return p


# ---- init -----------------------------------------------------------------------------------

def _init(sub: Sub) -> None:
    p = _cmd(sub, "init", cmd_init, "create or upgrade the database, set the home force and the first administrator")
    p.add_argument("--force", required=True, metavar="CODE", help="the home force's code, e.g. west-yorkshire")
    p.add_argument("--admin", required=True, metavar="NAME", help="the first administrator's user name")
    p.add_argument("--encrypt", action="store_true", help="SQLCipher-encrypted SQLite file, key kept in the OS keyring")


def cmd_init(s: CliSession, a: argparse.Namespace) -> int:
    from app.cli.session import new_password
    from app.persistence import migrate
    from app.services import installation

    key = _new_encryption_key(s) if a.encrypt else None
    db = s.database(check=False, encrypt_key=key)
    migrate.upgrade(db)
    password = new_password(a.admin)
    installation.initialise(s.uow(), a.force, a.admin, password)
    force = installation.home_force(s.uow())
    print(f"Database ready for {force.name} ({db.describe()}); administrator '{a.admin}' created.")
    return 0


def _new_encryption_key(s: CliSession) -> str:
    from sqlalchemy import make_url

    from app.persistence.database import ENV_DB_KEY, is_encrypted_file, key_name
    from app.persistence.secrets import SecretStore

    url = make_url(s.settings.db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise InvalidInput("--encrypt applies to an SQLite database file only.")
    path = Path(url.database)
    if path.exists() and path.stat().st_size > 0:
        what = "already encrypted" if is_encrypted_file(path) else "not encrypted"
        raise RuleRefused(f"{path} already exists and is {what}; --encrypt creates a new database file.")
    key = os.environ.get(ENV_DB_KEY) or pysecrets.token_urlsafe(32)
    store = SecretStore()
    if not store.put(key_name(path), key) and not os.environ.get(ENV_DB_KEY):
        print("WARNING: no OS keyring is available, so the encryption key cannot be stored. Keep this key "
              "somewhere safe; you will be asked for it each time the database is opened:\n" + key,
              file=sys.stderr)
    return key


# ---- users ----------------------------------------------------------------------------------

def _user(sub: Sub, roles: list[str]) -> None:
    p = sub.add_parser("user", help="manage users")
    us = p.add_subparsers(dest="user_command", required=True)
    add = _cmd(us, "add", cmd_user_add, "add a user (password from PPDA_NEW_PASSWORD or a prompt)")
    add.add_argument("name")
    add.add_argument("--role", action="append", required=True, choices=roles, type=str.upper)
    add.add_argument("--display-name")
    add.add_argument("--staff-number", help="link the account to the user's own workforce record")
    add.add_argument("--team")
    unlock = _cmd(us, "unlock", cmd_user_unlock, "unlock an account locked after failed sign-ins")
    unlock.add_argument("name")
    _cmd(us, "list", cmd_user_list, "list users and their roles")


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


# ---- db -------------------------------------------------------------------------------------

def _db(sub: Sub) -> None:
    p = sub.add_parser("db", help="database schema and backups")
    ds = p.add_subparsers(dest="db_command", required=True)
    _cmd(ds, "upgrade", cmd_db_upgrade, "upgrade the database schema to this program's version")
    _cmd(ds, "check", cmd_db_check, "check that the database schema matches this program")
    _cmd(ds, "backups", cmd_db_backups, "list the SQLite backups made before upgrades")
    r = _cmd(ds, "restore", cmd_db_restore, "replace the SQLite database with a backup copy")
    r.add_argument("backup", type=Path)


def cmd_db_upgrade(s: CliSession, a: argparse.Namespace) -> int:
    from app.persistence import migrate

    db = s.database(check=False)
    before = migrate.schema_state(db)
    backup = migrate.upgrade(db)
    after = migrate.schema_state(db)
    if before.up_to_date:
        print(f"Already at schema {after.head}; nothing to do.")
    else:
        print(f"Upgraded from {before.current or 'empty'} to {after.current}." + (f" Backup: {backup}" if backup else ""))
    return 0


def cmd_db_check(s: CliSession, a: argparse.Namespace) -> int:
    from app.persistence import migrate

    state = migrate.schema_state(s.database(check=False))
    if state.up_to_date:
        print(f"Database schema {state.current} matches this program.")
        return 0
    print(f"Database schema is {state.current or 'empty'}; this program needs {state.head}. "
          "Run `ppda-tracker db upgrade`.", file=sys.stderr)
    return 1


def cmd_db_backups(s: CliSession, a: argparse.Namespace) -> int:
    from app.persistence import migrate

    backups = migrate.list_backups(s.database(check=False))
    for b in backups:
        print(b)
    if not backups:
        print("No backups yet (one is made before each upgrade).")
    return 0


def cmd_db_restore(s: CliSession, a: argparse.Namespace) -> int:
    from app.persistence import migrate

    migrate.restore_backup(s.database(check=False), a.backup)
    print(f"Restored {a.backup.name}; the replaced file was backed up first.")
    return 0


# ---- imports, headcount, audit --------------------------------------------------------------

def _import(sub: Sub) -> None:
    p = _cmd(sub, "import", cmd_import, "import a workforce register, cases or prior notices (CSV or xlsx)")
    p.add_argument("kind", choices=["workforce", "cases", "notices"])
    p.add_argument("file", type=Path)
    p.add_argument("--accept-unsigned", action="store_true",
                   help="notices: accept an unsigned file from the PND or the College lists (logged)")


def cmd_import(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import notice_files
    from app.services.imports.cases import import_cases
    from app.services.imports.workforce import import_workforce

    if not a.file.exists():
        raise InvalidInput(f"{a.file}: no such file.")
    actor = s.user()
    if a.kind == "workforce":
        print(import_workforce(s.uow(), actor, a.file))
    elif a.kind == "cases":
        print(import_cases(s.uow(), actor, a.file))
    else:
        summary, _ids = notice_files.import_notice_file(s.uow(), actor, a.file, accept_unsigned=a.accept_unsigned)
        print(summary)
    return 0


def _headcount(sub: Sub) -> None:
    p = sub.add_parser("headcount", help="workforce headcount for a survey year")
    hs = p.add_subparsers(dest="headcount_command", required=True)
    c = _cmd(hs, "set", cmd_headcount_set, "set the workforce headcount for the period ending 31 March of YEAR")
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--total", type=int, required=True)


def cmd_headcount_set(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import installation

    installation.set_headcount(s.uow(), s.user(), a.year, a.total)
    print(f"Headcount for the year ending 31 March {a.year}: {a.total}.")
    return 0


def _policy(sub: Sub) -> None:
    p = sub.add_parser("policy", help="force policies (dated values)")
    ps = p.add_subparsers(dest="policy_command", required=True)
    c = _cmd(ps, "set", cmd_policy_set, "set a policy value from a date, e.g. external-investigation-guidance ALL")
    c.add_argument("name")
    c.add_argument("value")
    c.add_argument("--from", dest="effective_from", required=True, type=_iso_date, metavar="DATE")
    _cmd(ps, "list", cmd_policy_list, "list the policies, their value today and their history")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def cmd_policy_set(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import policies

    value = policies.set_policy(s.uow(), s.user(), a.name, a.value, a.effective_from)
    print(f"Policy {value.name.cli_name} = {value.text} from {value.effective_from.isoformat()}.")
    return 0


def cmd_policy_list(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import policies

    for line in policies.describe_all(s.uow(), s.user()):
        print(f"{line.name:48} {line.value_today:24} {line.description}")
    return 0


def _keys(sub: Sub) -> None:
    p = sub.add_parser("keys", help="the force's notice-signing key and other forces' public keys")
    ks = p.add_subparsers(dest="keys_command", required=True)
    _cmd(ks, "create", cmd_keys_create, "create the home force's signing key (private key kept in the OS keyring)")
    c = _cmd(ks, "set-public", cmd_keys_set_public, "hold another force's public key, to verify its notice files")
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


def _notices(sub: Sub) -> None:
    p = sub.add_parser("notices", help="outbound notice files for other forces")
    ns = p.add_subparsers(dest="notices_command", required=True)
    c = _cmd(ns, "export", cmd_notices_export, "write a signed notice file about people who transferred to another force")
    c.add_argument("--to", required=True, metavar="CODE", dest="recipient")
    c.add_argument("--staff-number", action="append", required=True, dest="staff_numbers")
    c.add_argument("--out", required=True, type=Path)


def cmd_notices_export(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import notice_files

    result = notice_files.export_transferee_notices(s.uow(), s.user(), a.recipient, a.staff_numbers, a.out)
    print(f"{result.rows} notice(s) written to {result.file} with signed manifest {result.manifest.name} "
          "(OFFICIAL-SENSITIVE; the disclosure is logged).")
    return 0


def _queue(sub: Sub) -> None:
    p = _cmd(sub, "queue", cmd_queue, "due items: your own, or the whole force's with --all")
    p.add_argument("--all", action="store_true", dest="everyone", help="the whole force (supervisors, head of PSD)")
    p.add_argument("--overdue", action="store_true", help="only overdue items")
    p.add_argument("--csv", action="store_true", help="CSV on standard output (FORMATS.md 'Work queue')")
    p.add_argument("--team", help="only items of this team")


def cmd_queue(s: CliSession, a: argparse.Namespace) -> int:
    import csv

    from app.services import queue

    items = queue.work_queue(s.uow(), s.user(), everyone=a.everyone, overdue_only=a.overdue, team=a.team)
    if a.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(queue.CSV_HEADER)
        w.writerows(i.csv_row() for i in items)
        return 0
    for i in items:
        flag = "OVERDUE" if i.overdue else "       "
        print(f"{flag} {i.due_date.isoformat()}  {i.item.name:22} {i.case_ref:18} {i.assigned_to:24} {i.detail}")
    print(f"{len(items)} item(s), {sum(i.overdue for i in items)} overdue.")
    return 0


def _match(sub: Sub) -> None:
    p = _cmd(sub, "match", cmd_match, "data wash: the whole workforce against every held notice")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="write the match report (FORMATS.md 'Match report')")


def cmd_match(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import matching

    print(matching.data_wash(s.uow(), s.user(), a.out))
    return 0


def _exports(sub: Sub) -> None:
    p = sub.add_parser("export", help="the Commissioner's survey return and the outcome breakdowns")
    es = p.add_subparsers(dest="export_command", required=True)
    r = _cmd(es, "survey-return", cmd_export_return, "the survey return for the 12 months ending 31 March of YEAR")
    r.add_argument("--year", type=int, required=True)
    r.add_argument("--out", type=Path, required=True)
    o = _cmd(es, "outcomes", cmd_export_outcomes, "the outcome breakdowns workbook for a period")
    o.add_argument("--from", dest="start", type=_iso_date, required=True, metavar="DATE")
    o.add_argument("--to", dest="end", type=_iso_date, required=True, metavar="DATE")
    o.add_argument("--out", type=Path, required=True)
    rp = sub.add_parser("report", help="the annual report")
    rs = rp.add_subparsers(dest="report_command", required=True)
    a = _cmd(rs, "annual", cmd_report_annual, "the annual report PDF for the force lead (aggregate only)")
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--out", type=Path, required=True)
    g = _cmd(sub, "aggregate", cmd_aggregate, "national totals and a per-force table from many survey returns")
    g.add_argument("files", nargs="+", type=Path, metavar="FILE")
    g.add_argument("--out", type=Path, required=True)


def cmd_export_return(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import reporting

    count = reporting.survey_return(s.uow(), s.user(), a.year, a.out)
    f = count.figures
    pct = "not available (no headcount)" if f.workforce_percent is None else f"{f.workforce_percent:.2f}%"
    print(f"Survey return {f.period_start.isoformat()} to {f.period_end.isoformat()} written to {a.out} "
          f"(OFFICIAL-SENSITIVE): {f.allegations} allegations, {f.individuals} individuals, {pct} of the workforce.")
    return 0


def cmd_export_outcomes(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import reporting

    reporting.outcome_breakdowns(s.uow(), s.user(), a.start, a.end, a.out)
    print(f"Outcome breakdowns {a.start.isoformat()} to {a.end.isoformat()} written to {a.out} (OFFICIAL-SENSITIVE).")
    return 0


def cmd_report_annual(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import reporting

    reporting.annual_report(s.uow(), s.user(), a.year, a.out)
    print(f"Annual report for the year ending 31 March {a.year} written to {a.out} (OFFICIAL-SENSITIVE).")
    return 0


def cmd_aggregate(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import reporting

    missing = [str(f) for f in a.files if not f.exists()]
    if missing:
        raise InvalidInput(f"No such file: {', '.join(missing)}")
    result = reporting.aggregate(s.uow(), s.user(), a.files, a.out)
    n = result.national
    print(f"{n.forces} return(s) counted: {n.allegations} allegations, {n.individuals} individuals; "
          f"written to {a.out}.")
    for rejected in result.rejected:
        print(f"NOT COUNTED {rejected}", file=sys.stderr)
    return 0


def _audit(sub: Sub) -> None:
    p = sub.add_parser("audit", help="the access log")
    au = p.add_subparsers(dest="audit_command", required=True)
    _cmd(au, "verify", cmd_audit_verify, "verify the access log's hash chain")
    e = _cmd(au, "export", cmd_audit_export, "export the access log (filtered by user, record and period) to CSV")
    e.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    e.add_argument("--for-user", dest="username", metavar="NAME", help="only this user's entries")
    e.add_argument("--record", dest="record_id", metavar="ID", help="only entries about this record, e.g. a case reference")
    e.add_argument("--from", dest="start", type=_iso_date, metavar="DATE")
    e.add_argument("--to", dest="end", type=_iso_date, metavar="DATE")


def cmd_audit_verify(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import audit

    result = audit.verify(s.uow(), s.user())
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def cmd_audit_export(s: CliSession, a: argparse.Namespace) -> int:
    from app.services.access_log_export import LogFilter, export_access_log

    wanted = LogFilter(a.username, a.record_id, a.start, a.end)
    count = export_access_log(s.uow(), s.user(), a.out, wanted)
    print(f"{count} access log entries written to {a.out} (OFFICIAL-SENSITIVE; the disclosure is logged).")
    return 0


# ---- retention ------------------------------------------------------------------------------

def _retention(sub: Sub) -> None:
    p = sub.add_parser("retention", help="closed cases due for retention review, and their disposal")
    rs = p.add_subparsers(dest="retention_command", required=True)
    d = _cmd(rs, "due", cmd_retention_due, "closed cases whose retention review date has come")
    d.add_argument("--on", type=_iso_date, metavar="DATE", help="as on this date (default: today)")
    x = _cmd(rs, "dispose", cmd_retention_dispose,
             "erase a closed case's personal data, keeping its anonymised statistics (needs a HEAD_OF_PSD's approval)")
    x.add_argument("case_ref", metavar="CASE_REF")
    x.add_argument("--reason", required=True, help="why the case can be disposed of (kept with the decision)")
    x.add_argument("--approver", required=True, metavar="NAME",
                   help=f"the approving HEAD_OF_PSD (password from {ENV_APPROVER_PASSWORD} or a prompt)")


def cmd_retention_due(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import retention

    rows = retention.due(s.uow(), s.user(), a.on)
    for r in rows:
        closed = r.closed_date.isoformat() if r.closed_date else "-"
        print(f"{r.reference:18} closed {closed}  review {r.review_date.isoformat()}  ({r.overdue_days} days ago)")
    print(f"{len(rows)} case(s) due for retention review.")
    return 0


def cmd_retention_dispose(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import retention, users

    actor = s.user()
    approver = users.authenticate(s.uow(), a.approver, _approver_password(a.approver))
    case_id = retention.find_case(s.uow(), a.case_ref)
    done = retention.dispose(s.uow(), actor, case_id, a.reason, approver)
    print(f"{done.reference} disposed of: personal data erased ({done.allegations} allegation(s), {done.victims} "
          "victim(s)); the anonymised statistical record is kept. Logged as an erasure.")
    return 0


def _approver_password(name: str) -> str:
    import getpass

    value = os.environ.get(ENV_APPROVER_PASSWORD)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput(f"No password for the approver: set {ENV_APPROVER_PASSWORD} or run in a terminal.")
    return getpass.getpass(f"Password for {name} (approving): ")


def _demo(sub: Sub) -> None:
    p = _cmd(sub, "demo", cmd_demo, "make a demonstration database: synthetic workforce, cases, notices, one user per role")
    p.add_argument("--cases", type=int, default=300)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--force", default="west-midlands", metavar="CODE")


def cmd_demo(s: CliSession, a: argparse.Namespace) -> int:
    from app.services.demo import build_demo

    if a.cases < 1 or a.cases > 500_000:
        raise InvalidInput("--cases must be between 1 and 500000.")
    report = build_demo(s.database(check=False), a.force, a.cases, a.seed)
    print(report)
    return 0
