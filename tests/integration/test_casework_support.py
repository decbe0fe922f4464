"""Shared set-up of the casework service tests (a force with a small workforce and a user of
every role), on SQLite and PostgreSQL. The fixture is imported by the test_casework_* modules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.domain.enums import (
    AbuseType,
    AccessOperation,
    DueItemKind,
    ReportingRoute,
    Role,
    VictimRelationship,
)
from app.domain.records import User
from app.persistence.models import AccessLogRow, CaseRow, DecisionRow, PersonRow
from app.services import casework as cw
from app.services import clock, users
from app.services.imports.workforce import import_workforce
from app.services.queue import QueueItem, work_queue
from tests.helpers import Env, force_env, write_csv

WORKFORCE_HEADER = ["staff_number", "surname", "forenames", "date_of_birth", "workforce_type", "rank_or_grade",
                    "unit", "line_manager_staff_number", "role_flags", "start_date"]
WORKFORCE = [
    ["S400", "Ng", "Pat", "1968-01-01", "POLICE_OFFICER", "Supt", "Executive", "", "", "1990-01-01"],
    ["S300", "Hill", "Sam", "1972-01-01", "POLICE_OFFICER", "Insp", "Command", "S400", "", "1995-01-01"],
    ["S200", "Lane", "Jo", "1978-01-01", "POLICE_OFFICER", "PS", "Response North", "S300", "", "2000-01-01"],
    ["S100", "Carter", "Alex", "1985-05-01", "POLICE_OFFICER", "PC", "Response North", "S200", "PUBLIC_FACING",
     "2008-01-01"],
    ["S600", "Shah", "Ria", "1988-02-02", "POLICE_OFFICER", "PC", "Safeguarding Hub", "S300", "DA_SAFEGUARDING",
     "2012-01-01"],
    ["S700", "Evans", "Bo", "1990-03-03", "POLICE_STAFF", "Band C", "Control Room", "", "", "2015-01-01"],
    ["S500", "Okafor", "Ade", "1980-04-04", "POLICE_OFFICER", "DS", "PSD", "S210", "", "2003-01-01"],
    ["S501", "Rowe", "Kim", "1983-05-05", "POLICE_OFFICER", "DS", "PSD", "S210", "", "2006-01-01"],
    ["S210", "Price", "Lee", "1975-06-06", "POLICE_OFFICER", "Insp", "PSD", "S220", "", "1998-01-01"],
    ["S220", "Moss", "Dee", "1970-07-07", "POLICE_OFFICER", "Supt", "PSD", "", "", "1992-01-01"],
]
RECEIVED = date(2025, 3, 3)  # a Monday


def pin(day: date, hour: int = 10, minute: int = 0) -> None:
    clock.pin(datetime.combine(day, time(hour, minute)))


@dataclass
class World:
    env: Env
    sup: User
    sup2: User
    head: User
    head2: User
    inv: User
    inv2: User
    mgr_inv: User  # an investigator who is the line manager of S100
    iopc: User
    lead: User
    people: dict[str, int] = field(default_factory=dict)

    def uow(self):  # type: ignore[no-untyped-def]
        return self.env.uow()

    def person(self, staff_number: str) -> int:
        return self.people[staff_number]

    def case(self, case_id: int) -> CaseRow:
        with self.uow() as uow:
            row = uow.session.get(CaseRow, case_id)
            assert row is not None
            uow.session.expunge(row)
            return row

    def status_of(self, staff_number: str) -> tuple[str, str]:
        with self.uow() as uow:
            row = uow.session.scalar(select(PersonRow).where(PersonRow.staff_number == staff_number))
            assert row is not None
            return row.employment_status, row.list_status

    def decisions(self, case_id: int) -> list[DecisionRow]:
        with self.uow() as uow:
            rows = list(uow.session.scalars(select(DecisionRow).where(DecisionRow.case_id == case_id)
                                            .order_by(DecisionRow.id)))
            for r in rows:
                uow.session.expunge(r)
            return rows

    def log(self, record_id: str) -> list[tuple[str, str, str | None]]:
        with self.uow() as uow:
            return [(r.username, r.operation, r.detail) for r in uow.session.scalars(
                select(AccessLogRow).where(AccessLogRow.record_id == record_id).order_by(AccessLogRow.seq))]

    def personal_data_logged(self) -> list[str]:
        """Access-log details naming anyone in the workforce register (there must be none)."""
        words = {r[0] for r in WORKFORCE} | {r[1] for r in WORKFORCE} | {r[2] for r in WORKFORCE}
        with self.uow() as uow:
            details = [d for d in uow.session.scalars(select(AccessLogRow.detail)) if d]
        return [d for d in details if any(w in d for w in words)]

    def queue(self, user: User, *, everyone: bool = True) -> list[QueueItem]:
        return work_queue(self.uow(), user, everyone=everyone)

    def due(self, user: User, reference: str, *, everyone: bool = True) -> dict[DueItemKind, QueueItem]:
        return {i.item: i for i in self.queue(user, everyone=everyone) if i.case_ref == reference}


def build_world(env: Env, folder: Path) -> World:
    pin(RECEIVED)
    head = env.user("head", Role.HEAD_OF_PSD, staff_number=None)
    import_workforce(env.uow(), head, write_csv(folder / "workforce.csv", WORKFORCE_HEADER, WORKFORCE))
    w = World(
        env, sup=env.user("sup", Role.SUPERVISOR, staff_number="S210"), sup2=env.user("sup2", Role.SUPERVISOR),
        head=head, head2=env.user("head2", Role.HEAD_OF_PSD, staff_number="S220"),
        inv=env.user("inv", Role.INVESTIGATOR, staff_number="S500", team="PSD East"),
        inv2=env.user("inv2", Role.INVESTIGATOR, staff_number="S501"),
        mgr_inv=env.user("mgrinv", Role.INVESTIGATOR, staff_number="S200"),
        iopc=env.user("iopc", Role.IOPC_LIAISON), lead=env.user("lead", Role.FORCE_LEAD))
    with env.uow() as uow:
        w.people = dict(uow.session.execute(select(PersonRow.staff_number, PersonRow.id)).all())
    return w


@pytest.fixture
def world(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    # Sign-in strength is not under test here: a light hash keeps a dozen accounts quick to make.
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with force_env(db_url) as env:
        yield build_world(env, tmp_path)
    clock.pin(None)


def victim(ref: str = "V1", **changes: object) -> cw.VictimInput:
    return cw.VictimInput(ref, VictimRelationship.FORMER_PARTNER, **changes)  # type: ignore[arg-type]


def allegation(subject: str = "S100", *types: AbuseType, victims: tuple[str, ...] = ("V1",),
               **changes: object) -> cw.AllegationInput:
    kinds = frozenset(types or (AbuseType.COERCIVE_CONTROL,))
    values: dict[str, object] = {"conduct_from": date(2025, 1, 10), **changes}
    return cw.AllegationInput(subject, victims, kinds, **values)  # type: ignore[arg-type]


def intake(*allegations: cw.AllegationInput, victims: tuple[cw.VictimInput, ...] = (), received: date = RECEIVED,
           declare: bool = True) -> cw.CaseIntake:
    return cw.CaseIntake(received, ReportingRoute.VICTIM_DIRECT, victims or (victim(),),
                         allegations or (allegation(),), creator_declares_no_prior_connection=declare)


def new_case(w: World, *allegations: cw.AllegationInput, by: User | None = None,
             victims: tuple[cw.VictimInput, ...] = (), received: date = RECEIVED) -> cw.CaseCreated:
    return cw.create_case(w.uow(), by or w.sup, intake(*allegations, victims=victims, received=received))


def allegation_ids(w: World, case_id: int) -> dict[str, int]:
    """Allegation ids by subject staff number."""
    from app.persistence.models import AllegationRow

    with w.uow() as uow:
        return dict(uow.session.execute(
            select(PersonRow.staff_number, AllegationRow.id).join(AllegationRow,
                                                                  AllegationRow.subject_id == PersonRow.id)
            .where(AllegationRow.case_id == case_id)).all())


def test_the_world_is_built_through_the_services(world: World) -> None:
    created = new_case(world)
    assert created.reference == "PSD-2025-000001" and created.version == 1
    assert [(u, op) for u, op, _ in world.log(created.reference)] == [("sup", AccessOperation.COLLECTION.name)]
