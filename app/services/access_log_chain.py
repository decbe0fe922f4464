"""The access log's hash chain: each entry's hash covers its own fields and the hash of the entry
before it, so the last entry's hash commits to the whole log in order. Walking the chain finds an
entry that was changed, removed, inserted or reordered in the middle; what the chain alone cannot
show (entries removed from the end, a chain rewritten and re-hashed, an emptied log) the signed
checkpoints show (app.services.access_log_checkpoints, access_log_verify)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.persistence.models import AccessLogRow

GENESIS = "0" * 64


def digest(row: AccessLogRow | dict[str, object]) -> str:
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


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    message: str
    first_bad_seq: int | None = None
    log_id: str | None = None  # the first entry's hash (None for an empty log)
    hashes: dict[int, str] = field(default_factory=dict, compare=False)  # the hashes asked for
    checkpoints: int = 0  # how many signed checkpoints the log was compared with
    unanchored: bool = False  # intact as far as the database shows, but no checkpoint to compare with


def verify_chain(session: Session, remember: Collection[int] = ()) -> VerifyResult:
    """Walk the chain in order; keep the hashes at the positions in `remember` (the checkpoints')."""
    stmt = select(AccessLogRow).order_by(AccessLogRow.seq).execution_options(yield_per=5000)
    result = session.scalars(stmt)
    try:
        return _check(result, set(remember))
    finally:
        result.close()


def _check(rows: Iterable[AccessLogRow], remember: set[int]) -> VerifyResult:
    expected_prev, expected_seq, count, first = GENESIS, 1, 0, None
    kept: dict[int, str] = {}
    for row in rows:
        problem = None
        if row.seq != expected_seq:
            problem = (f"has sequence number {row.seq} where {expected_seq} was expected (an entry was removed, "
                       "inserted or reordered)")
        elif row.prev_hash != expected_prev:
            problem = "does not follow the entry before it (an entry was removed, inserted or reordered)"
        elif digest(row) != row.hash:
            problem = "was altered after it was written"
        if problem:
            return VerifyResult(False, count, f"Access log entry {row.seq} (id {row.id}) {problem}.", row.seq, first)
        first = first or row.hash
        if row.seq in remember:
            kept[row.seq] = row.hash
        expected_prev, expected_seq, count = row.hash, expected_seq + 1, count + 1
    return VerifyResult(True, count, f"Access log verified: {count} entries, chain intact.", None, first, kept)
