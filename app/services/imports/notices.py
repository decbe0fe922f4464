"""`import notices`: prior notices from other forces, the PND and the College lists.

Natural key: (issuing_force, notice_id). A changed notice gets a new version, so a pair that a
reviewer rejected is proposed again only when the notice itself changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, NoticeRecordType
from app.domain.errors import RowError
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import ForceRow, NoticeRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services.casework.common import current_user
from app.services.imports.table import Column, Row, enum_of, identifier, iso_date, read, text
from app.services.imports.workforce import ImportSummary

COLUMNS = (
    Column("notice_id", True, identifier, 64),
    Column("issuing_force", True, identifier, 64),
    Column("notice_date", True, iso_date, 10),
    Column("record_type", True, enum_of(NoticeRecordType), 40),
    Column("surname", True, text, 100),
    Column("forenames", True, text, 100),
    Column("date_of_birth", False, iso_date, 10),
    Column("staff_number", False, identifier, 32),
    Column("warrant_number", False, identifier, 32),
    Column("pnc_id", False, identifier, 32),
    Column("employing_force", False, identifier, 64),
    Column("summary", False, text, 2000, multiline=True),
    Column("handling", False, text, 500, multiline=True),
)
FIELDS = ("notice_date", "record_type", "surname", "forenames", "date_of_birth", "staff_number",
          "warrant_number", "pnc_id", "employing_force", "summary", "handling")


def force_codes(session: Session) -> dict[str, str]:
    """Known force codes, case-insensitively: lower-case → the stored code."""
    return {c.lower(): c for c in session.scalars(select(ForceRow.code))}


def import_notices(uow: UnitOfWork, actor: User, path: Path, *, signature_state: str = "NOT_SIGNED",
                   stream: IO[bytes] | None = None) -> tuple[ImportSummary, list[int]]:
    """Returns the summary and the ids of notices added or changed (to be matched). `stream`, when
    given, holds the file's bytes (a verified private copy); `path` then only names the file."""
    require(actor, Action.IMPORT_NOTICES)
    table = read(path, COLUMNS, stream)
    rows = table.rows
    with uow:
        session = uow.session
        actor = current_user(session, actor, "import prior notices")
        require(actor, Action.IMPORT_NOTICES)
        codes = force_codes(session)
        table.reject_if_errors(_row_checks(rows, codes))
        existing = {(n.issuing_force, n.notice_ref): n for n in session.scalars(select(NoticeRow))}
        touched, added = _apply(session, rows, codes, existing, path.name, signature_state)
        if touched:
            audit.record(session, actor, AccessOperation.COLLECTION, "notice_import", path.name,
                         detail=f"{added} notices added, {len(touched) - added} updated from {len(rows)} rows")
        ids = [n.id for n in touched]
        uow.commit()
    from app.services import matching  # new or changed notices are matched against the register

    matching.match_notices(uow, actor, ids)
    summary = ImportSummary(path.name, len(rows), added, len(touched) - added, len(rows) - len(touched), tuple(ids))
    return summary, ids


def _row_checks(rows: list[Row], codes: dict[str, str]) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        for col in ("issuing_force", "employing_force"):
            if r[col] and r[col].lower() not in codes:
                errors.append(RowError(r.line, col, f"'{r[col]}' is not a known force code"))
        key = ((r["issuing_force"] or "").lower(), r["notice_id"])
        if key in seen:
            errors.append(RowError(r.line, "notice_id", f"{r['notice_id']} from {r['issuing_force']} is also on line {seen[key]}"))
        seen.setdefault(key, r.line)
    return errors


def _values(r: Row, codes: dict[str, str]) -> dict[str, Any]:
    return {
        "notice_date": r["notice_date"], "record_type": r["record_type"].name, "surname": r["surname"],
        "forenames": r["forenames"], "date_of_birth": r["date_of_birth"], "staff_number": r["staff_number"],
        "warrant_number": r["warrant_number"], "pnc_id": r["pnc_id"],
        "employing_force": codes[r["employing_force"].lower()] if r["employing_force"] else None,
        "summary": r["summary"], "handling": r["handling"],
    }


def _apply(session: Session, rows: list[Row], codes: dict[str, str], existing: dict[tuple[str, str], NoticeRow],
           source: str, signature_state: str) -> tuple[list[NoticeRow], int]:
    touched: list[NoticeRow] = []
    added = 0
    for r in rows:
        issuer = codes[r["issuing_force"].lower()]
        values = _values(r, codes)
        notice = existing.get((issuer, r["notice_id"]))
        if notice is None:
            notice = NoticeRow(issuing_force=issuer, notice_ref=r["notice_id"], source_file=source,
                               signature_state=signature_state, received_at=clock.now(), **values)
            session.add(notice)
            added += 1
            touched.append(notice)
        elif any(getattr(notice, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(notice, k, v)
            notice.version += 1
            touched.append(notice)
    session.flush()
    return touched, added
