"""The case list's projection (subjects, abuse types, risk, restriction, investigating body, flags,
next due date), recomputed from the records in the same transaction as every change to a case."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from app.domain.enums import DashRisk
from app.domain.policy import PolicySet
from app.domain.workflow import DueItem
from app.persistence import policy_store
from app.persistence.models import AllegationRow, CaseRow, PersonRow, SettingRow, VictimRow
from app.persistence.uow import UnitOfWork
from app.services import clock
from app.services.case_state import derive_summaries

RISK_ORDER = {DashRisk.STANDARD.name: 1, DashRisk.MEDIUM.name: 2, DashRisk.HIGH.name: 3}
CHUNK = 900  # stays under SQLite's bound-parameter limit


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def refresh(session: Session, case_ids: Iterable[int]) -> None:
    """Recompute the projection for these cases and for the other cases of their subjects (whose
    repeat/serial flags may change). Call after any write, before commit."""
    session.flush()
    ids = _with_same_subjects(session, set(case_ids))
    policies = policy_store.load(session)
    today = clock.today()
    for chunk in _chunks(sorted(ids)):
        _refresh_chunk(session, chunk, policies, today)


def _with_same_subjects(session: Session, ids: set[int]) -> set[int]:
    if not ids:
        return ids
    if len(ids) > 5000:
        return set(session.scalars(select(CaseRow.id)))
    subjects = select(AllegationRow.subject_id).where(AllegationRow.case_id.in_(ids))
    return ids | set(session.scalars(select(AllegationRow.case_id).where(AllegationRow.subject_id.in_(subjects))))


def _refresh_chunk(session: Session, ids: Sequence[int], policies: PolicySet, today: date) -> None:
    cases = {c.id: c for c in session.scalars(select(CaseRow).where(CaseRow.id.in_(ids)))}
    subjects: dict[int, list[tuple[str, str]]] = defaultdict(list)
    abuse: dict[int, set[str]] = defaultdict(set)
    for cid, sn, surname, forenames, types in session.execute(
        select(AllegationRow.case_id, PersonRow.staff_number, PersonRow.surname, PersonRow.forenames,
               AllegationRow.abuse_types)
        .join(PersonRow, PersonRow.id == AllegationRow.subject_id).where(AllegationRow.case_id.in_(ids))
        .order_by(AllegationRow.id)
    ):
        subjects[cid].append((f"{surname}, {forenames}", sn))
        abuse[cid].update(t for t in types.split(";") if t)
    risk: dict[int, str] = {}
    for cid, level in session.execute(select(VictimRow.case_id, VictimRow.dash_risk).where(VictimRow.case_id.in_(ids))):
        if level and RISK_ORDER.get(level, 0) > RISK_ORDER.get(risk.get(cid, ""), 0):
            risk[cid] = level
    derived = derive_summaries(session, ids, policies, today)
    values = []
    for cid, case in cases.items():
        names = "; ".join(n for n, _ in subjects[cid])
        d = derived.get(cid)
        values.append({
            "case_id": cid,
            "list_subjects": names[:400],
            "list_abuse_types": ";".join(sorted(abuse[cid]))[:300],
            "list_risk": risk.get(cid),
            "list_restriction": (d.restriction if d else "")[:200],
            "list_body": d.body if d else "HOME",
            "list_external": bool(d and d.external),
            "list_flags": (";".join(d.flags) if d else "")[:200],
            "next_due_date": d.next_due if d else None,
            "list_due_items": encode_due_items(d.due_items) if d else None,
            "search_text": " ".join([case.reference, names, " ".join(sn for _, sn in subjects[cid]),
                                     case.crime_refs.replace(";", " ")]).lower(),
        })
    if values:
        table = CaseRow.__table__
        assert isinstance(table, Table)
        stmt = update(table).where(table.c.id == bindparam("case_id"))
        session.execute(stmt, values)
        session.expire_all()


def encode_due_items(items: Sequence[DueItem]) -> str:
    """The case's due items for the work queue, as JSON: [kind, due date, detail, falls to,
    allegation id, person id] each. Whether one is overdue is not kept: it depends on the day."""
    return json.dumps([[i.kind.name, i.due_date.isoformat(), i.detail, i.falls_to.name, i.allegation_id, i.person_id]
                       for i in items], separators=(",", ":"))


def decode_many(texts: Sequence[str | None]) -> list[list[list[Any]]]:
    """Many cases' `encode_due_items` read back at once, as the lists it wrote: one JSON parse for
    them all (10^5 cases: a parse each cost more than the parsing). Overdue is for the reader to
    work out: the day after the due date."""
    return cast(list[list[list[Any]]], json.loads("[" + ",".join(t or "[]" for t in texts) + "]"))


def is_current(session: Session) -> bool:
    """Whether every case's projection was derived by this program's derivation."""
    row = session.get(SettingRow, PROJECTION_SETTING)
    return row is not None and row.value == PROJECTION_VERSION


def refresh_all(session: Session) -> int:
    ids = list(session.scalars(select(CaseRow.id)))
    refresh(session, ids)
    return len(ids)




PROJECTION_VERSION = "2"  # bump when the derivation of the list columns changes (2: "no restriction", due items)
PROJECTION_SETTING = "case_projection_version"


def stamp_current(session: Session) -> None:
    """A new database's projection is current by construction (every write maintains it)."""
    session.add(SettingRow(key=PROJECTION_SETTING, value=PROJECTION_VERSION))


def needs_refresh(uow: UnitOfWork) -> bool:
    """Whether `ensure_current` has work to do (one query; start-up asks before showing progress)."""
    with uow:
        row = uow.session.get(SettingRow, PROJECTION_SETTING)
        if row is not None and row.value == PROJECTION_VERSION:
            return False
        return uow.session.get(SettingRow, "home_force") is not None


def ensure_current(uow: UnitOfWork) -> bool:
    """Recompute every case's projection once after the program's derivation changed.
    Returns True when it did."""
    with uow:
        row = uow.session.get(SettingRow, PROJECTION_SETTING)
        if row is not None and row.value == PROJECTION_VERSION:
            return False
        if uow.session.get(SettingRow, "home_force") is None:
            return False
        refresh_all(uow.session)
        if row is None:
            stamp_current(uow.session)
        else:
            row.value = PROJECTION_VERSION
        uow.commit()
        return True
