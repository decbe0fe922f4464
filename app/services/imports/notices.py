"""`import notices`: prior notices from other forces, the PND and the College lists.

Natural key: (issuing_force, notice_id). A changed notice gets a new version, so a pair that a
reviewer rejected is proposed again only when the notice itself changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, NoticeRecordType
from app.domain.errors import InvalidInput, RowError
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence import bulk
from app.persistence.models import ForceRow, NoticeRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services.casework.common import current_user
from app.services.imports.reader import records
from app.services.imports.table import EARLIEST, Column, Problems, Row, enum_of, identifier, iso_date, parse, text
from app.services.imports.workforce import ImportSummary

FIELDS = ("notice_date", "record_type", "surname", "forenames", "date_of_birth", "staff_number",
          "warrant_number", "pnc_id", "employing_force", "summary", "handling")


def birth_date(text: str) -> tuple[date, bool]:
    """A notice's date of birth: YYYY-MM-DD, or YYYY when the issuer knows only the year (kept as
    1 January of it, marked year-only, and matched on the year alone); 1900 to today either way."""
    if len(text) == 4 and text.isdigit():
        year = int(text)
        if not EARLIEST.year <= year <= clock.today().year:
            raise ValueError(f"{text} is not a plausible year of birth ({EARLIEST.year} to {clock.today().year})")
        return date(year, 1, 1), True
    return iso_date(text), False


COLUMNS = (
    Column("notice_id", True, identifier, 64),
    Column("issuing_force", True, identifier, 64),
    Column("notice_date", True, iso_date, 10),
    Column("record_type", True, enum_of(NoticeRecordType), 40),
    Column("surname", True, text, 100),
    Column("forenames", True, text, 100),
    Column("date_of_birth", False, birth_date, 10),
    Column("staff_number", False, identifier, 32),
    Column("warrant_number", False, identifier, 32),
    Column("pnc_id", False, identifier, 32),
    Column("employing_force", False, identifier, 64),
    Column("summary", False, text, 2000, multiline=True),
    Column("handling", False, text, 500, multiline=True),
)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _dates_until(today: date) -> tuple[Callable[[str], date], Callable[[str], tuple[date, bool]]]:
    """`iso_date` and `birth_date` with today's date read once per import, not once per cell (a
    million-row file has two million dates); anything the fast path does not accept goes to the
    full parser, which says what is wrong. The dates met are kept (at most one per day since 1900):
    a file repeats the same notice dates and dates of birth many times."""
    known: dict[str, date] = {}
    known_born: dict[str, tuple[date, bool]] = {}

    def notice_date(text: str) -> date:
        day = known.get(text)
        if day is not None:
            return day
        if _ISO_DATE.fullmatch(text):
            try:
                day = date.fromisoformat(text)
            except ValueError:
                pass
            else:
                if EARLIEST <= day <= today:
                    known[text] = day
                    return day
        return iso_date(text)

    def born(text: str) -> tuple[date, bool]:
        found = known_born.get(text)
        if found is not None:
            return found
        if len(text) == 10:
            found = notice_date(text), False
            known_born[text] = found
            return found
        return birth_date(text)

    return notice_date, born


def _columns(today: date) -> tuple[Column, ...]:
    """COLUMNS with date parsers that know today's date."""
    notice_date, born = _dates_until(today)
    parsers = {"notice_date": notice_date, "date_of_birth": born}
    return tuple(replace(c, parse=parsers[c.name]) if c.name in parsers else c for c in COLUMNS)


def force_codes(session: Session) -> dict[str, str]:
    """Known force codes, case-insensitively: lower-case → the stored code."""
    return {c.lower(): c for c in session.scalars(select(ForceRow.code))}


def import_notices(uow: UnitOfWork, actor: User, path: Path, *, signature_state: str = "NOT_SIGNED",
                   stream: IO[bytes] | None = None, workers: int = 1) -> tuple[ImportSummary, list[int]]:
    """Returns the summary and the ids of notices added or changed (to be matched). `stream`, when
    given, holds the file's bytes (a verified private copy); `path` then only names the file.
    `workers` > 1 lets the matching after the import fork processes (the command line only).

    The file is read as a stream: rows are parsed, checked and written in batches of `BATCH`
    inside one transaction, so a million-row extract is never held whole. Any problem anywhere in
    the file rolls the whole import back (nothing changed); once a problem is found the remaining
    rows are still read and checked, so that the refusal lists them, but no longer written."""
    require(actor, Action.IMPORT_NOTICES)
    problems = Problems()
    with uow:
        session = uow.session
        actor = current_user(session, actor, "import prior notices")
        require(actor, Action.IMPORT_NOTICES)
        codes = force_codes(session)
        writer = _Writer(session, codes, path.name, signature_state)
        checks = _RowChecks(codes)
        batch: list[Row] = []
        read_rows = 0
        with records(path, stream) as recs:
            for row in parse(recs, _columns(clock.today()), problems):
                read_rows += 1
                problems.extend(checks(row))
                if problems:
                    batch.clear()  # the import will be refused: nothing more is written
                    continue
                batch.append(row)
                if len(batch) >= BATCH:
                    writer.write(batch)
                    batch = []
        if not read_rows and not problems:
            raise InvalidInput(f"{path.name}: the file has a header but no rows.")
        problems.reject(path.name)  # leaving the unit of work uncommitted rolls every batch back
        writer.write(batch)
        ids = writer.added + writer.changed
        if ids:
            audit.record(session, actor, AccessOperation.COLLECTION, "notice_import", path.name,
                         detail=f"{len(writer.added)} notices added, {len(writer.changed)} updated "
                                f"from {read_rows} rows")
        uow.commit()
    del checks  # the million keys seen: matching needs the memory more
    from app.services import matching  # new or changed notices are matched against the register

    matching.match_notices(uow, actor, ids, workers)
    summary = ImportSummary(path.name, read_rows, len(writer.added), len(writer.changed), read_rows - len(ids),
                            tuple(ids))
    return summary, ids


class _RowChecks:
    """Checks across cells and rows: known force codes, and one row per notice in the file. The
    keys seen are kept with the issuer's stored code (one string per force), not per row."""

    def __init__(self, codes: dict[str, str]) -> None:
        self.codes = codes
        self.seen: dict[tuple[str, str], int] = {}

    def __call__(self, r: Row) -> list[RowError]:
        values, codes = r.values, self.codes
        errors: list[RowError] = []
        for col in ("issuing_force", "employing_force"):
            if values[col] and values[col].lower() not in codes:
                errors.append(RowError(r.line, col, f"'{values[col]}' is not a known force code"))
        issuer = (values["issuing_force"] or "").lower()
        key = (codes.get(issuer, issuer), values["notice_id"])
        first = self.seen.setdefault(key, r.line)
        if first != r.line:
            errors.append(RowError(r.line, "notice_id",
                                   f"{values['notice_id']} from {values['issuing_force']} is also on line {first}"))
        return errors


_NAMES = {kind: kind.name for kind in NoticeRecordType}  # an enum's .name is a slow property


def _values(r: Row, codes: dict[str, str]) -> dict[str, Any]:
    v = r.values
    born, year_only = v["date_of_birth"] or (None, False)
    return {
        "notice_date": v["notice_date"], "record_type": _NAMES[v["record_type"]], "surname": v["surname"],
        "forenames": v["forenames"], "date_of_birth": born, "dob_year_only": year_only,
        "staff_number": v["staff_number"],
        "warrant_number": v["warrant_number"], "pnc_id": v["pnc_id"],
        "employing_force": codes[v["employing_force"].lower()] if v["employing_force"] else None,
        "summary": v["summary"], "handling": v["handling"],
    }


BATCH = 5000
LOOKUP = 500  # notice ids per IN-list when looking up held notices (SQLite allows 999 variables in old builds)
_TABLE = cast(Table, NoticeRow.__table__)
_COMPARED = (*FIELDS[:5], "dob_year_only", *FIELDS[5:])


class _Writer:
    """Insert new notices and update changed ones, a batch of plain rows at a time (a million ORM
    objects would take gigabytes; on PostgreSQL the new ones by COPY, app.persistence.bulk); keeps
    the ids added and changed."""

    def __init__(self, session: Session, codes: dict[str, str], source: str, signature_state: str) -> None:
        self.session, self.codes, self.source, self.signature_state = session, codes, source, signature_state
        self.now = clock.now()
        self.added: list[int] = []
        self.changed: list[int] = []
        # issuers with notices already held: only their rows need looking up (a first import needs none)
        self.held_issuers = set(session.scalars(select(_TABLE.c.issuing_force).distinct()))
        if self.held_issuers:  # held notices are looked up by key: the planner must know how many there are
            bulk.refresh_statistics(session, _TABLE)

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        existing = self._existing(rows)
        fresh: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for r in rows:
            issuer = self.codes[r["issuing_force"].lower()]
            values = _values(r, self.codes)
            held = existing.get((issuer, r["notice_id"]))
            if held is None:
                fresh.append({"issuing_force": issuer, "notice_ref": r["notice_id"], "source_file": self.source,
                              "signature_state": self.signature_state, "received_at": self.now, "version": 1, **values})
            elif tuple(values[k] for k in _COMPARED) != held[1]:
                updates.append({"_id": held[0], **{f"_{k}": v for k, v in values.items()}})
        if updates:
            stmt = update(_TABLE).where(_TABLE.c.id == bindparam("_id")).values(
                {**{k: bindparam(f"_{k}") for k in _COMPARED}, "version": _TABLE.c.version + 1})
            self.session.execute(stmt, updates)
            self.changed += [u["_id"] for u in updates]
        if fresh:
            self.added += bulk.insert_rows(self.session, _TABLE, fresh)

    def _existing(self, rows: list[Row]) -> dict[tuple[str, str], tuple[int, tuple[Any, ...]]]:
        """The held notices of these rows by natural key: id and the values an import may change."""
        wanted: dict[str, list[str]] = {}
        for r in rows:
            issuer = self.codes[r["issuing_force"].lower()]
            if issuer in self.held_issuers:
                wanted.setdefault(issuer, []).append(r["notice_id"])
        found: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
        columns = [_TABLE.c[name] for name in _COMPARED]
        for issuer, refs in wanted.items():
            for start in range(0, len(refs), LOOKUP):
                stmt = select(_TABLE.c.id, _TABLE.c.notice_ref, *columns).where(
                    _TABLE.c.issuing_force == issuer, _TABLE.c.notice_ref.in_(refs[start:start + LOOKUP]))
                found.update({(issuer, row[1]): (row[0], tuple(row[2:])) for row in self.session.execute(stmt)})
        return found
