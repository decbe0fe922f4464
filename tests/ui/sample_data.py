"""A small force with people, imported cases, a case team and the users of every role, shared by
the query-service tests and the window tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.domain.enums import Role
from app.domain.records import User
from app.persistence.models import CaseMemberRow, CaseRow, VictimRow
from app.services.imports.cases import import_cases
from app.services.imports.workforce import import_workforce
from tests.helpers import Env, write_csv

WORKFORCE_HEADER = ["staff_number", "surname", "forenames", "previous_names", "date_of_birth", "workforce_type",
                    "rank_or_grade", "unit", "line_manager_staff_number", "role_flags"]
WORKFORCE = [
    ["P004", "Green", "Kate", "", "1975-03-02", "POLICE_OFFICER", "Insp", "Response North", "", ""],
    ["P001", "Smith", "John", "", "1985-06-01", "POLICE_OFFICER", "PC", "Response North", "P004", "FIREARMS_TASER"],
    ["P002", "Jones", "Mary", "Mary Evans", "1979-11-23", "POLICE_STAFF", "Band D", "Control Room", "", ""],
    ["P003", "Brown", "Ali", "", "1982-01-15", "POLICE_OFFICER", "DS", "PSD", "", ""],
    ["P005", "White", "Sam", "", "1990-09-09", "PCSO", "PCSO", "Neighbourhood East", "", "PUBLIC_FACING"],
    ["P006", "Black", "Lee", "Lee Grey", "1988-04-04", "SPECIAL_CONSTABLE", "SC", "Specials", "", ""],
]
CASES_HEADER = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
                "victim_relationship", "dash_risk", "abuse_types", "threshold_met_date", "restrictions",
                "restriction_date", "iopc_referral_date", "iopc_decision", "investigating_body"]
CASES = [
    ["PSD-2024-000001", "2024-02-01", "VICTIM_DIRECT", "CONDUCT_MATTER", "P001", "V1", "CURRENT_PARTNER", "HIGH",
     "PHYSICAL;COERCIVE_CONTROL", "2024-02-01", "RESTRICTED_DUTIES", "2024-02-03", "", "", ""],
    ["PSD-2024-000002", "2024-03-01", "COLLEAGUE", "COMPLAINT", "P002", "V1", "FORMER_PARTNER", "MEDIUM",
     "EMOTIONAL_PSYCHOLOGICAL", "", "", "", "2024-03-02", "LOCAL_INVESTIGATION", ""],
    ["PSD-2023-000003", "2023-07-10", "THIRD_PARTY", "CONDUCT_MATTER", "P005", "V1", "FAMILY_MEMBER", "STANDARD",
     "ECONOMIC", "", "", "", "", "", "greater-manchester"],
    ["PSD-2023-000003", "2023-07-10", "THIRD_PARTY", "CONDUCT_MATTER", "P001", "V1", "FAMILY_MEMBER", "STANDARD",
     "ECONOMIC;THREATS", "", "", "", "", "", "greater-manchester"],
]
CONTACT = "07700 900123, 1 High Street"


@dataclass
class Sample:
    env: Env
    sup: User
    inv: User
    iopc: User
    lead: User
    aud: User
    mgr: User
    case_ids: dict[str, int]

    def victim_id(self, reference: str) -> int:
        with self.env.uow() as uow:
            found = uow.session.scalar(select(VictimRow.id).where(VictimRow.case_id == self.case_ids[reference]))
        assert found is not None
        return found


def build(env: Env, folder: Path) -> Sample:
    head = env.user("head", Role.HEAD_OF_PSD, Role.ADMINISTRATOR)
    import_workforce(env.uow(), head, write_csv(folder / "workforce.csv", WORKFORCE_HEADER, WORKFORCE))
    import_cases(env.uow(), head, write_csv(folder / "cases.csv", CASES_HEADER, CASES))
    sample = Sample(
        env, env.user("sup", Role.SUPERVISOR), env.user("inv", Role.INVESTIGATOR, staff_number="P003"),
        env.user("iopc", Role.IOPC_LIAISON), env.user("lead", Role.FORCE_LEAD), env.user("aud", Role.AUDITOR),
        env.user("mgr", Role.SUPERVISOR, staff_number="P004"), {})
    with env.uow() as uow:
        sample.case_ids.update(dict(uow.session.execute(select(CaseRow.reference, CaseRow.id)).all()))
        uow.session.add(CaseMemberRow(case_id=sample.case_ids["PSD-2024-000001"], user_id=sample.inv.id,
                                      role="INVESTIGATOR", assigned_at=datetime(2024, 2, 2)))
        victim = uow.session.scalar(select(VictimRow).where(VictimRow.case_id == sample.case_ids["PSD-2024-000001"]))
        assert victim is not None
        victim.contact_details = CONTACT
        uow.commit()
    return sample
