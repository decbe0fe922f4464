"""Exporting the access log (filtered by user, record and period) to a CSV file for the auditor.

An export is a disclosure (DOMAIN.md §7): it is marked OFFICIAL-SENSITIVE and logged in the same
transaction; the file is written atomically, so a failure leaves no partial file and no entry.
Entries hold text from outside (a file name, a reason typed by a user): a cell a spreadsheet would
run as a formula is neutralised (app.reports.cells).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Select, select

from app.domain.enums import AccessOperation
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import AccessLogRow
from app.persistence.uow import UnitOfWork
from app.reports.cells import csv_row
from app.reports.files import atomic_path
from app.reports.marking import MARKING
from app.services import audit

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")
HEADER = ("seq", "at", "username", "operation", "record_type", "record_id", "reason", "recipient", "detail")


@dataclass(frozen=True)
class LogFilter:
    username: str | None = None
    record_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def apply(self, stmt: SelectT) -> SelectT:
        if self.username:
            stmt = stmt.where(AccessLogRow.username == self.username)
        if self.record_id:
            stmt = stmt.where(AccessLogRow.record_id == self.record_id)
        if self.date_from:
            stmt = stmt.where(AccessLogRow.at >= datetime.combine(self.date_from, datetime.min.time()))
        if self.date_to:
            stmt = stmt.where(AccessLogRow.at <= datetime.combine(self.date_to, datetime.max.time()))
        return stmt


def export_access_log(uow: UnitOfWork, actor: User, path: Path, log_filter: LogFilter = LogFilter()) -> int:
    """Write every entry matching the filter (oldest first) to `path`; returns how many."""
    require(actor, Action.READ_ACCESS_LOG)
    stmt = log_filter.apply(select(AccessLogRow)).order_by(AccessLogRow.seq)
    count = 0
    with uow, atomic_path(path) as temp, temp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([MARKING])
        writer.writerow(HEADER)
        for r in uow.session.scalars(stmt.execution_options(yield_per=2000)):
            writer.writerow(csv_row([r.seq, r.at.isoformat(timespec="seconds"), r.username, r.operation, r.record_type,
                                     r.record_id or "", r.reason or "", r.recipient or "", r.detail or ""]))
            count += 1
        audit.record(uow.session, actor, AccessOperation.DISCLOSURE, "access_log", None,
                     recipient=f"file {path.name}", detail=f"{count} access log entries exported")
        fh.flush()
        uow.commit()
    return count
