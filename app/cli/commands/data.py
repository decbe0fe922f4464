"""Subcommands: imports, outbound notice files, the data wash, the work queue and the demonstration database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.commands.base import ENV_APPROVER_PASSWORD, Sub, approver_password, command
from app.domain.errors import InvalidInput

if TYPE_CHECKING:
    from datetime import date

    from app.cli.session import CliSession
    from app.services.queue import QueueItem


def register(sub: Sub, roles: list[str]) -> None:
    _import(sub)
    _notices(sub)
    _queue(sub)
    _match(sub)
    _demo(sub)


def _import(sub: Sub) -> None:
    p = command(sub, "import", cmd_import, "import a workforce register, cases or prior notices (CSV or xlsx)")
    p.add_argument("kind", choices=["workforce", "cases", "notices"])
    p.add_argument("file", type=Path)
    p.add_argument("--accept-unsigned", action="store_true",
                   help="notices: accept an unsigned file from the PND or the College lists (logged)")
    p.add_argument("--approver", metavar="NAME",
                   help="cases: the SUPERVISOR or HEAD_OF_PSD (not you) who approves the file's decisions that need "
                        f"an approval, e.g. NO_RESTRICTION (password from {ENV_APPROVER_PASSWORD} or a prompt)")


def cmd_import(s: CliSession, a: argparse.Namespace) -> int:
    import os

    from app.services import notice_files, users
    from app.services.imports.cases import import_cases
    from app.services.imports.workforce import import_workforce

    if not a.file.exists():
        raise InvalidInput(f"{a.file}: no such file.")
    if a.approver and a.kind != "cases":
        raise InvalidInput("--approver is for `import cases` only.")
    actor = s.user()
    if a.kind == "workforce":
        print(import_workforce(s.uow(), actor, a.file))
    elif a.kind == "cases":
        approver = users.authenticate(s.uow(), a.approver, approver_password(a.approver)) if a.approver else None
        print(import_cases(s.uow(), actor, a.file, approver))
    else:
        summary, _ids = notice_files.import_notice_file(s.uow(), actor, a.file, accept_unsigned=a.accept_unsigned,
                                                        workers=min(os.cpu_count() or 1, 4))
        print(summary)
    return 0


def _notices(sub: Sub) -> None:
    p = sub.add_parser("notices", help="outbound notice files for other forces")
    ns = p.add_subparsers(dest="notices_command", required=True)
    c = command(ns, "export", cmd_notices_export,
                "write a signed notice file about people who transferred to another force")
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
    p = command(sub, "queue", cmd_queue, "due items: your own, or the whole force's with --all")
    p.add_argument("--all", action="store_true", dest="everyone", help="the whole force (supervisors, head of PSD)")
    p.add_argument("--overdue", action="store_true", help="only overdue items")
    p.add_argument("--csv", action="store_true", help="CSV on standard output (FORMATS.md 'Work queue')")
    p.add_argument("--team", help="only items of this team")


def cmd_queue(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import queue

    user = s.user()
    # The items are listed by another function, never held here: signing in above may leave this
    # frame alive until the program ends (keyring keeps the traceback of a backend it could not
    # import, and with it the frames of the call that first asked it), and 2 x 10^5 items kept to
    # the end cost about a second more at exit (on 100,000 cases), after the interpreter's last collection.
    return _list_queue(queue.work_queue(s.uow(), user, everyone=a.everyone, overdue_only=a.overdue, team=a.team),
                       as_csv=a.csv)


def _list_queue(items: list[QueueItem], *, as_csv: bool) -> int:
    if as_csv:
        import csv

        from app.reports.cells import csv_row
        from app.services.queue import CSV_HEADER

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(CSV_HEADER)
        w.writerows(csv_row(i.csv_row()) for i in items)  # formula-leading cells neutralised (OWASP)
        return 0
    for text in _queue_text(items):
        sys.stdout.write(text)
    sys.stdout.write(f"{len(items)} item(s), {sum(1 for i in items if i.overdue)} overdue.\n")
    return 0


def _queue_text(items: list[QueueItem], lines_a_write: int = 1000) -> Iterator[str]:
    """The queue's lines as `queue` prints them, written a thousand at a time rather than printed one
    at a time (a force's queue is 2 x 10^5 lines): `OVERDUE` or blanks, the due date, the kind, the
    case, who it is assigned to, the detail. What repeats (kinds, dates, assignees) is formatted once."""
    from app.domain.enums import DueItemKind

    kinds = {k: f"{k.name:22}" for k in DueItemKind}
    days: dict[date, str] = {}
    assigned: dict[str, str] = {}
    for start in range(0, len(items), lines_a_write):
        lines = []
        for i in items[start : start + lines_a_write]:
            day = days.get(i.due_date)
            if day is None:
                day = days[i.due_date] = i.due_date.isoformat()
            who = assigned.get(i.assigned_to)
            if who is None:
                who = assigned[i.assigned_to] = f"{i.assigned_to:24}"
            flag = "OVERDUE" if i.overdue else "       "
            lines.append(f"{flag} {day}  {kinds[i.item]} {i.case_ref:18} {who} {i.detail}\n")
        yield "".join(lines)


def _match(sub: Sub) -> None:
    p = command(sub, "match", cmd_match, "data wash: the whole workforce against every held notice")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="write the match report (FORMATS.md 'Match report')")


def cmd_match(s: CliSession, a: argparse.Namespace) -> int:
    import os

    from app.services import matching

    print(matching.data_wash(s.uow(), s.user(), a.out, workers=min(os.cpu_count() or 1, 4)))
    return 0


def _demo(sub: Sub) -> None:
    p = command(sub, "demo", cmd_demo,
                "make a demonstration database: synthetic workforce, cases, notices, accounts for every role")
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
