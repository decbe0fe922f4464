"""Subcommands: the access log and retention."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.commands.base import ENV_APPROVER_PASSWORD, Sub, approver_password, command, iso_date

if TYPE_CHECKING:
    from app.cli.session import CliSession


def register(sub: Sub, roles: list[str]) -> None:
    _audit(sub)
    _retention(sub)


def _audit(sub: Sub) -> None:
    p = sub.add_parser("audit", help="the access log")
    au = p.add_subparsers(dest="audit_command", required=True)
    v = command(au, "verify", cmd_audit_verify, "verify the access log's hash chain and its signed checkpoints")
    v.add_argument("--against", action="append", type=Path, default=[], metavar="FILE",
                   help="a checkpoint file (the auditor's copy, or one written by `audit checkpoint --out`); "
                        "repeatable; default: the database's own checkpoint file")
    v.add_argument("--trust", action="append", default=[], metavar="KEY",
                   help="a public key (base64) whose checkpoints you trust, as printed by `audit checkpoint`; "
                   "repeatable")
    c = command(au, "checkpoint", cmd_audit_checkpoint,
                "verify the log, then append a signed checkpoint of its head to FILE (keep FILE away from this "
                "computer)")
    c.add_argument("--out", type=Path, required=True, metavar="FILE")
    e = command(au, "export", cmd_audit_export, "export the access log (filtered by user, record and period) to CSV")
    e.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    e.add_argument("--for-user", dest="username", metavar="NAME", help="only this user's entries")
    e.add_argument("--record", dest="record_id", metavar="ID",
                   help="only entries about this record, e.g. a case reference")
    e.add_argument("--from", dest="start", type=iso_date, metavar="DATE")
    e.add_argument("--to", dest="end", type=iso_date, metavar="DATE")


def cmd_audit_verify(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import audit

    result = audit.verify(s.uow(), s.user(), a.against, a.trust)
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def cmd_audit_checkpoint(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import audit
    from app.services.access_log_checkpoints import fingerprint

    taken = audit.take_checkpoint(s.uow(), s.user(), a.out)
    cp = taken.checkpoint
    print(f"Checkpoint appended to {a.out}: the access log's first {cp.size} entries, head {cp.head[:16]}…, signed "
          f"at {cp.at} by key {fingerprint(cp.key)}.\nPublic key (record it with the file): {cp.key}\n"
          f"Keep the file away from this computer; to check the log later: ppda-tracker audit verify "
          f"--against {a.out} --trust {cp.key}")
    if not taken.kept_key:
        print("WARNING: no OS keyring: the key lives for this session only; record the public key above now.",
              file=sys.stderr)
    return 0


def cmd_audit_export(s: CliSession, a: argparse.Namespace) -> int:
    from app.services.access_log_export import LogFilter, export_access_log

    wanted = LogFilter(a.username, a.record_id, a.start, a.end)
    count = export_access_log(s.uow(), s.user(), a.out, wanted)
    print(f"{count} access log entries written to {a.out} (OFFICIAL-SENSITIVE; the disclosure is logged).")
    return 0


def _retention(sub: Sub) -> None:
    p = sub.add_parser("retention", help="closed cases due for retention review, and their disposal")
    rs = p.add_subparsers(dest="retention_command", required=True)
    d = command(rs, "due", cmd_retention_due, "closed cases whose retention review date has come")
    d.add_argument("--on", type=iso_date, metavar="DATE", help="as on this date (default: today)")
    x = command(rs, "dispose", cmd_retention_dispose,
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
    from app.services.case_queries import find_case

    actor = s.user()
    approver = users.authenticate(s.uow(), a.approver, approver_password(a.approver))
    case_id = find_case(s.uow(), a.case_ref)
    done = retention.dispose(s.uow(), actor, case_id, a.reason, approver)
    print(f"{done.reference} disposed of: personal data erased ({done.allegations} allegation(s), {done.victims} "
          "victim(s)); the anonymised statistical record is kept. Logged as an erasure.")
    return 0
