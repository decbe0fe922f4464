"""The read-side services of the case and people screens, on SQLite and PostgreSQL: who sees which
case, the list's search, filters, sort and paging in SQL, and the logged case view and reveal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.enums import CaseStatus, DashRisk
from app.domain.errors import InvalidInput, PermissionDenied
from app.domain.records import User
from app.services import audit
from app.services import case_queries as cq
from app.services import people_queries as pq
from app.services.access_log_export import LogFilter, export_access_log
from tests.helpers import force_env
from tests.ui.sample_data import CONTACT, Sample, build

C1, C2, C3 = "PSD-2024-000001", "PSD-2024-000002", "PSD-2023-000003"


@pytest.fixture
def s(db_url: str, tmp_path: Path) -> Iterator[Sample]:
    with force_env(db_url) as env:
        yield build(env, tmp_path)


def refs(s: Sample, user: User, **filters: object) -> list[str]:
    return [r.reference for r in cq.list_cases(s.env.uow(), user, cq.CaseFilter(**filters))]  # type: ignore[arg-type]


def log_entries(s: Sample, record_type: str) -> list[audit.LogEntry]:
    return [e for e in audit.search(s.env.uow(), s.aud) if e.record_type == record_type]


def test_supervisor_sees_every_case_newest_first(s: Sample) -> None:
    assert refs(s, s.sup) == [C2, C1, C3]
    assert cq.count_cases(s.env.uow(), s.sup) == 3


def test_investigator_sees_only_the_cases_of_their_team(s: Sample) -> None:
    assert refs(s, s.inv) == [C1]
    with pytest.raises(PermissionDenied):
        cq.open_case(s.env.uow(), s.inv, s.case_ids[C2])


def test_iopc_liaison_sees_referred_cases_without_victims(s: Sample) -> None:
    assert refs(s, s.iopc) == [C2]
    detail = cq.open_case(s.env.uow(), s.iopc, s.case_ids[C2])
    assert detail.victims == () and detail.victim_details_withheld
    with pytest.raises(PermissionDenied, match="IOPC liaison"):
        cq.reveal_victim_contact(s.env.uow(), s.iopc, s.victim_id(C2), "Referral follow-up")


@pytest.mark.parametrize("who", ["lead", "aud"])
def test_force_lead_and_auditor_see_no_case(s: Sample, who: str) -> None:
    with pytest.raises(PermissionDenied):
        cq.list_cases(s.env.uow(), getattr(s, who))
    assert pq.open_person(s.env.uow(), s.env.admin, _person(s, "P001")).cases == ()


def test_administrator_sees_no_case_content(s: Sample) -> None:
    with pytest.raises(PermissionDenied):
        cq.list_cases(s.env.uow(), s.env.admin)
    with pytest.raises(PermissionDenied):
        cq.open_case(s.env.uow(), s.env.admin, s.case_ids[C1])
    person = pq.open_person(s.env.uow(), s.env.admin, _person(s, "P001"))
    assert person.cases == () and not person.cases_shown


def test_line_manager_of_a_subject_never_sees_the_case(s: Sample) -> None:
    assert refs(s, s.mgr) == [C2]  # P004 manages P001, a subject in C1 and C3
    with pytest.raises(PermissionDenied):
        cq.open_case(s.env.uow(), s.mgr, s.case_ids[C1])


def test_search_filters_and_paging_happen_in_the_query(s: Sample) -> None:
    assert refs(s, s.sup, text="smith") == [C1, C3]
    assert refs(s, s.sup, text="P005") == [C3]
    assert refs(s, s.sup, text="smith 2024") == [C1]
    assert refs(s, s.sup, text="%") == []
    assert refs(s, s.sup, risk=DashRisk.HIGH) == [C1]
    assert refs(s, s.sup, external=True) == [C3]
    assert refs(s, s.sup, year=2023) == [C3]
    assert refs(s, s.sup, status=CaseStatus.CLOSED) == []
    assert cq.count_cases(s.env.uow(), s.sup, cq.CaseFilter(text="smith")) == 2
    page = cq.list_cases(s.env.uow(), s.sup, cq.CaseFilter(), cq.CaseSort(cq.CaseSortKey.REFERENCE, False),
                         offset=1, limit=1)
    assert [r.reference for r in page] == [C1]
    assert cq.case_years(s.env.uow(), s.sup) == [2024, 2023]


def test_sort_by_risk_puts_high_first(s: Sample) -> None:
    rows = cq.list_cases(s.env.uow(), s.sup, sort=cq.CaseSort(cq.CaseSortKey.RISK, True))
    assert [r.risk for r in rows] == ["HIGH", "MEDIUM", "STANDARD"]


def test_opening_a_case_is_logged_and_masks_contact_details(s: Sample) -> None:
    detail = cq.open_case(s.env.uow(), s.inv, s.case_ids[C1])
    assert detail.reference == C1 and detail.victims[0].has_contact_details
    assert CONTACT not in repr(detail)
    assert [d.kind for d in detail.timeline] == ["THRESHOLD", "RESTRICTION"]
    assert detail.timeline[1].decided_by == "imported from cases.csv by head"
    assert ("options", "RESTRICTED_DUTIES") in detail.timeline[1].details
    [entry] = log_entries(s, "case")
    assert (entry.username, entry.operation, entry.record_id) == ("inv", "CONSULTATION", C1)


def test_revealing_contact_details_needs_a_reason_and_is_logged(s: Sample) -> None:
    victim = s.victim_id(C1)
    with pytest.raises(InvalidInput):
        cq.reveal_victim_contact(s.env.uow(), s.inv, victim, " ")
    assert cq.reveal_victim_contact(s.env.uow(), s.inv, victim, "Arrange safety visit") == CONTACT
    [entry] = log_entries(s, "victim_contact")
    assert (entry.username, entry.operation, entry.reason) == ("inv", "CONSULTATION", "Arrange safety visit")
    assert CONTACT not in (entry.detail or "")


def test_people_search_by_previous_name_and_person_page_logged(s: Sample) -> None:
    found = pq.search_people(s.env.uow(), s.inv, "grey")
    assert [p.staff_number for p in found] == ["P006"]
    assert [p.staff_number for p in pq.search_people(s.env.uow(), s.sup, "Green, Kate")] == ["P004"]
    assert pq.count_people(s.env.uow(), s.inv, "") == 6
    page = pq.open_person(s.env.uow(), s.sup, _person(s, "P001"))
    assert [c.reference for c in page.cases] == [C1, C3] and page.line_manager == "Green, Kate (P004)"
    assert [c.reference for c in pq.open_person(s.env.uow(), s.inv, _person(s, "P001")).cases] == [C1]
    assert len(log_entries(s, "person")) == 2


def test_access_log_export_is_a_logged_disclosure(s: Sample, tmp_path: Path) -> None:
    cq.open_case(s.env.uow(), s.sup, s.case_ids[C1])
    out = tmp_path / "log.csv"
    n = export_access_log(s.env.uow(), s.aud, out, LogFilter(username="sup"))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert n == 1 and lines[0] == "OFFICIAL-SENSITIVE" and lines[2].split(",")[2] == "sup"
    [entry] = log_entries(s, "access_log")
    assert entry.operation == "DISCLOSURE" and entry.username == "aud"
    with pytest.raises(PermissionDenied):
        export_access_log(s.env.uow(), s.env.admin, out)


def _person(s: Sample, staff_number: str) -> int:
    return next(p.id for p in pq.search_people(s.env.uow(), s.sup, staff_number))
