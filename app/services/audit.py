"""The access log of DPA 2018 s.62: append-only, hash-chained, its head signed outside the database.

Each entry's hash covers its own fields and the previous entry's hash (app.services.access_log_chain).
After every transaction that wrote entries, a signed checkpoint of the new head is appended to a
file outside the database (app.services.access_log_checkpoints), so `audit verify` also finds
entries removed from the end, a rewritten and re-hashed chain, and an emptied log
(app.services.access_log_verify). Entries are written in the same transaction as the action they
record, so an action that is rolled back leaves no entry, and an entry never exists without its
action. The log is only ever appended to: the application never updates or deletes an entry, the
database refuses it (triggers; on PostgreSQL also the application role's grants, `db grants`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation
from app.domain.errors import RuleRefused
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import AccessLogRow
from app.persistence.uow import UnitOfWork
from app.services import access_log_checkpoints as checkpoints
from app.services import access_log_verify, clock
from app.services.access_log_chain import GENESIS, VerifyResult, digest, verify_chain

__all__ = ["GENESIS", "SYSTEM", "VerifyResult", "record", "record_refusal", "search", "take_checkpoint", "verify",
           "verify_chain"]

SYSTEM = "system"
LOCK_KEY = 0x50504441_4C4F47  # "PPDALOG": PostgreSQL's transaction-scoped advisory lock for log writers
_TAIL = "ppda.log.tail"


@dataclass(frozen=True)
class _Tail:
    """The log's last entry as this transaction sees it, while it holds the writers' lock."""

    transaction: object
    seq: int
    hash: str
    log_id: str


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
    username: str | None = None,
) -> None:
    """Append one entry in the caller's transaction. `detail` must hold no personal data;
    `username` names who acted when no account did (an unknown user name at sign-in).

    Writers of the log are serialised until the caller commits (a transaction-scoped advisory lock
    on PostgreSQL, the write lock on SQLite), so the caller's own changes are flushed first; the
    lock is taken once per transaction and the chain's tail read once under it.
    """
    session.flush()
    tail = _tail(session)
    fields: dict[str, object] = {
        "seq": tail.seq + 1,
        "prev_hash": tail.hash,
        "at": clock.now(),
        "user_id": actor.id if actor else None,
        "username": actor.username if actor else (username or SYSTEM),
        "operation": operation.name,
        "record_type": record_type,
        "record_id": None if record_id is None else str(record_id),
        "reason": reason,
        "recipient": recipient,
        "detail": detail,
    }
    entry_hash = digest(fields)
    session.execute(insert(cast(Table, AccessLogRow.__table__)).values(**fields, hash=entry_hash))
    log_id = tail.log_id or entry_hash  # the first entry's hash names the chain
    session.info[_TAIL] = _Tail(tail.transaction, tail.seq + 1, entry_hash, log_id)
    checkpoints.note_written(session, log_id, tail.seq + 1, entry_hash)


def _tail(session: Session) -> _Tail:
    current = session.get_transaction()
    cached = session.info.get(_TAIL)
    if cached is not None and cached.transaction is current:
        return cast(_Tail, cached)
    _lock_writers(session)
    head = checkpoints.current_head(session)
    tail = _Tail(current, head[1], head[2], head[0]) if head else _Tail(current, 0, GENESIS, "")
    session.info[_TAIL] = tail
    return tail


def _lock_writers(session: Session) -> None:
    """Serialise log writers until the transaction ends. SQLite: BEGIN IMMEDIATE unless the
    transaction already holds the write lock (the driver opens a transaction only before a write)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


REFUSED = "refused"


def record_refusal(session: Session, actor: User, operation: AccessOperation, record_type: str,
                   record_id: object, what: str) -> None:
    """Log a refused attempt on its own: whatever the refused action had begun is rolled back, the
    entry is committed. `what` names the attempt only (never why, nor who is connected to whom).
    Refused writes are logged as refused consultations too: an alteration entry means a change."""
    session.rollback()
    record(session, actor, operation, record_type, record_id, detail=f"{REFUSED}: {what}")
    session.commit()


def verify(uow: UnitOfWork, actor: User, against: Sequence[Path] = (), trusted: Sequence[str] = ()) -> VerifyResult:
    """The chain, and its agreement with the signed checkpoints in `against` (default: this
    database's checkpoint file); `trusted` are public keys the auditor recorded (base64)."""
    require(actor, Action.VERIFY_ACCESS_LOG)
    return access_log_verify.verify(uow, against, trusted)


@dataclass(frozen=True)
class Taken:
    checkpoint: checkpoints.Checkpoint
    kept_key: bool  # False: signed with a key for this session only (no keyring)


def take_checkpoint(uow: UnitOfWork, actor: User, out: Path) -> Taken:
    """`audit checkpoint --out FILE`: verify, log the checkpoint, then sign the head (which includes
    that entry) into `out` (appended, 0600, on disk before this returns) and the database's own
    checkpoint file. Refused when the log does not verify: a checkpoint never vouches for a log
    that was tampered with."""
    require(actor, Action.VERIFY_ACCESS_LOG)
    found = access_log_verify.verify(uow, (), ())
    if not found.ok and not found.unanchored:
        raise RuleRefused(f"No checkpoint was written: {found.message}")
    with uow:
        record(uow.session, actor, AccessOperation.CONSULTATION, "access_log", None,
               recipient=f"file {out.name}", detail="signed checkpoint of the access log written")
        uow.commit()
        head = checkpoints.current_head(uow.session)
        assert head is not None
        signed = checkpoints.write(uow.session, *head, what="manual", also=out)
    assert signed is not None
    return Taken(signed, checkpoints.signer().kept)


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
