"""A small force for the import attacks: a register, users connected to its people in each way
DOMAIN.md §7 names, and one imported open case that owes a restriction decision."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from app.domain.enums import Role
from app.domain.records import User
from app.persistence.models import AccessLogRow, AllegationRow, CaseRow, DecisionRow, NoticeRow, PersonRow, VictimRow
from app.services import clock
from app.services.imports.cases import import_cases
from app.services.imports.workforce import import_workforce
from tests.helpers import Env, force_env, write_csv

NOW = datetime(2026, 6, 1, 9, 0)
WF_HEADER = ["staff_number", "surname", "forenames", "date_of_birth", "workforce_type", "rank_or_grade", "unit",
             "line_manager_staff_number"]
WF_ROWS = [
    ["S100", "Adams", "Alan", "1985-03-04", "POLICE_OFFICER", "PC", "Response A", "S200"],
    ["S200", "Baker", "Beth", "1975-06-07", "POLICE_OFFICER", "PS", "Response A", ""],
    ["S300", "Clark", "Carl", "1990-11-12", "POLICE_OFFICER", "PC", "Response B", "S200"],
    ["S400", "Davis", "Dana", "1980-01-01", "POLICE_OFFICER", "DI", "Professional Standards Department", ""],
    ["S500", "Evans", "Eric", "1982-02-02", "POLICE_STAFF", "Band C", "Control Room", ""],
    ["S600", "Foster", "Fay", "1970-05-05", "POLICE_OFFICER", "Supt", "Professional Standards Department", ""],
]
CASE_HEADER = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
               "victim_relationship", "abuse_types", "dash_risk", "threshold_met_date", "restrictions",
               "restriction_date", "investigating_body", "misconduct_outcomes", "outcome_date", "crime_ref"]
CASE = "PSD-2026-000001"
BASE_ROW = {"case_ref": CASE, "recorded_date": "2026-03-02", "reporting_route": "VICTIM_DIRECT",
            "case_type": "CONDUCT_MATTER", "subject_staff_number": "S100", "victim_ref": "V1",
            "victim_relationship": "FORMER_PARTNER", "abuse_types": "PHYSICAL", "dash_risk": "STANDARD",
            "threshold_met_date": "2026-03-03"}


def case_row(**changes: str) -> list[str]:
    values = {**BASE_ROW, **changes}
    return [values.get(c, "") for c in CASE_HEADER]


@dataclass
class Force:
    env: Env
    tmp: Path
    head: User  # HEAD_OF_PSD, person S600
    sup: User  # SUPERVISOR, person S400, connected to nobody
    sup2: User  # SUPERVISOR, no person: an approver
    subject: User  # SUPERVISOR who is S100, the subject of CASE
    manager: User  # SUPERVISOR who is S200, S100's line manager

    def uow(self):  # type: ignore[no-untyped-def]
        return self.env.uow()

    def cases_file(self, name: str, *rows: list[str]) -> Path:
        return write_csv(self.tmp / name, CASE_HEADER, list(rows))

    def import_cases(self, user: User, name: str, *rows: list[str], approver: User | None = None):  # type: ignore[no-untyped-def]
        if approver is None:
            return import_cases(self.uow(), user, self.cases_file(name, *rows))
        return import_cases(self.uow(), user, self.cases_file(name, *rows), approver)

    def case_id(self, reference: str = CASE) -> int:
        with self.uow() as uow:
            found = uow.session.scalar(select(CaseRow.id).where(CaseRow.reference == reference))
            assert found is not None
            return found

    def counts(self) -> dict[str, int]:
        with self.uow() as uow:
            return {m.__tablename__: uow.session.scalar(select(func.count()).select_from(m)) or 0
                    for m in (PersonRow, CaseRow, AllegationRow, VictimRow, DecisionRow, NoticeRow)}

    def log(self) -> list[tuple[str, str, str | None, str | None]]:
        with self.uow() as uow:
            return [(r.username, r.operation, r.record_id, r.detail) for r in
                    uow.session.scalars(select(AccessLogRow).order_by(AccessLogRow.seq))]


@contextmanager
def small_force(db_url: str, tmp: Path) -> Iterator[Force]:
    """The force, its users' passwords hashed with argon2's cheapest parameters (seconds otherwise)."""
    from argon2 import PasswordHasher

    from app.services import users

    hasher, users._hasher = users._hasher, PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    clock.pin(NOW)
    try:
        with force_env(db_url) as env:
            import_workforce(env.uow(), env.admin, write_csv(tmp / "workforce.csv", WF_HEADER, WF_ROWS))
            head = env.user("head", Role.HEAD_OF_PSD, staff_number="S600")
            force = Force(env, tmp, head, env.user("sup", Role.SUPERVISOR, staff_number="S400"),
                          env.user("sup2", Role.SUPERVISOR), env.user("subject", Role.SUPERVISOR, staff_number="S100"),
                          env.user("manager", Role.SUPERVISOR, staff_number="S200"))
            force.import_cases(head, "base.csv", case_row())
            yield force
    finally:
        clock.pin(None)
        users._hasher = hasher
