"""The access log of DPA 2018 s.62: append-only and hash-chained.

Each entry's hash covers its own fields and the previous entry's hash; a head row holds the last
sequence number and hash, so a changed, removed, inserted or reordered entry (or a truncated tail)
is found by `verify`. Entries are written in the same transaction as the action they record, so
an action that is rolled back leaves no entry, and an entry never exists without its action.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import AccessLogHeadRow, AccessLogRow
from app.persistence.uow import UnitOfWork
from app.services import clock

GENESIS = "0" * 64
SYSTEM = "system"


def _digest(row: AccessLogRow | dict[str, object]) -> str:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    at = get("at")
    fields = {
        "seq": get("seq"),
        "at": at.isoformat(timespec="microseconds") if isinstance(at, datetime) else str(at),
        "user_id": get("user_id"),
        "username": get("username"),
        "operation": get("operation"),
        "record_type": get("record_type"),
        "record_id": get("record_id"),
        "reason": get("reason"),
        "recipient": get("recipient"),
        "detail": get("detail"),
        "prev_hash": get("prev_hash"),
    }
    blob = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: User | None,
    operation: AccessOperation,
    record_type: str,
    record_id: object = None,
    *,
    reason: str | None = None,
    recipient: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one entry in the caller's transaction. `detail` must hold no personal data.

    The head row's lock serialises every writer of the log (a row lock on PostgreSQL, the write
    lock on SQLite) until the caller commits, so everything that can be done before taking it is:
    the caller's own changes are flushed first, and the lock is taken and read in one statement.
    """
    _ensure_head(session)
    session.flush()
    fields: dict[str, object] = {
        "at": clock.now(),
        "user_id": actor.id if actor else None,
        "username": actor.username if actor else SYSTEM,
        "operation": operation.name,
        "record_type": record_type,
        "record_id": None if record_id is None else str(record_id),
        "reason": reason,
        "recipient": recipient,
        "detail": detail,
    }
    head = cast(Table, AccessLogHeadRow.__table__)
    fields["seq"], fields["prev_hash"] = session.execute(
        update(head).where(head.c.id == 1).values(last_seq=head.c.last_seq + 1)
        .returning(head.c.last_seq, head.c.last_hash)).one()
    digest = _digest(fields)
    session.execute(insert(cast(Table, AccessLogRow.__table__)).values(**fields, hash=digest))
    session.execute(update(head).where(head.c.id == 1).values(last_hash=digest))


REFUSED = "refused"


def record_refusal(session: Session, actor: User, operation: AccessOperation, record_type: str,
                   record_id: object, what: str) -> None:
    """Log a refused attempt on its own: whatever the refused action had begun is rolled back, the
    entry is committed. `what` names the attempt only (never why, nor who is connected to whom).
    Refused writes are logged as refused consultations too: an alteration entry means a change."""
    session.rollback()
    record(session, actor, operation, record_type, record_id, detail=f"{REFUSED}: {what}")
    session.commit()


def _ensure_head(session: Session) -> None:
    if session.get(AccessLogHeadRow, 1) is None:
        session.add(AccessLogHeadRow(id=1, last_seq=0, last_hash=GENESIS))
        session.flush()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    message: str
    first_bad_seq: int | None = None


def verify_chain(session: Session) -> VerifyResult:
    stmt = select(AccessLogRow).order_by(AccessLogRow.seq).execution_options(yield_per=5000)
    result = session.scalars(stmt)
    try:
        return _check(session, result)
    finally:
        result.close()


def _check(session: Session, rows: Iterable[AccessLogRow]) -> VerifyResult:
    expected_prev, expected_seq, count = GENESIS, 1, 0
    for row in rows:
        problem = None
        if row.seq != expected_seq:
            problem = f"has sequence number {row.seq} where {expected_seq} was expected (an entry was removed, inserted or reordered)"
        elif row.prev_hash != expected_prev:
            problem = "does not follow the entry before it (an entry was removed, inserted or reordered)"
        elif _digest(row) != row.hash:
            problem = "was altered after it was written"
        if problem:
            return VerifyResult(False, count, f"Access log entry {row.seq} (id {row.id}) {problem}.", row.seq)
        expected_prev, expected_seq, count = row.hash, expected_seq + 1, count + 1
    head = session.get(AccessLogHeadRow, 1)
    if head is not None and (head.last_seq != count or head.last_hash != expected_prev):
        return VerifyResult(
            False, count,
            f"The access log ends at entry {count} but its head records entry {head.last_seq}: "
            "entries were removed from the end.", count + 1,
        )
    return VerifyResult(True, count, f"Access log verified: {count} entries, chain intact.")


def verify(uow: UnitOfWork, actor: User) -> VerifyResult:
    require(actor, Action.VERIFY_ACCESS_LOG)
    with uow:
        result = verify_chain(uow.session)
    return result


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: datetime
    username: str
    operation: str
    record_type: str
    record_id: str | None
    reason: str | None
    recipient: str | None
    detail: str | None


def search(
    uow: UnitOfWork,
    actor: User,
    *,
    username: str | None = None,
    record_id: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 5000,
) -> list[LogEntry]:
    """The auditor's view of the log, filtered by user, record and period. Reading it is logged."""
    require(actor, Action.READ_ACCESS_LOG)
    stmt = select(AccessLogRow).order_by(AccessLogRow.seq.desc()).limit(limit)
    if username:
        stmt = stmt.where(AccessLogRow.username == username)
    if record_id:
        stmt = stmt.where(AccessLogRow.record_id == record_id)
    if date_from:
        stmt = stmt.where(AccessLogRow.at >= datetime.combine(date_from, datetime.min.time()))
    if date_to:
        stmt = stmt.where(AccessLogRow.at <= datetime.combine(date_to, datetime.max.time()))
    with uow:
        rows = [
            LogEntry(r.seq, r.at, r.username, r.operation, r.record_type, r.record_id, r.reason, r.recipient, r.detail)
            for r in uow.session.scalars(stmt)
        ]
        record(uow.session, actor, AccessOperation.CONSULTATION, "access_log", None,
               detail=f"searched the access log ({len(rows)} entries shown)")
        uow.commit()
    return rows
