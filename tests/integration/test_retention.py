"""Retention (DOMAIN.md §7) on SQLite and PostgreSQL: closed cases get a review date by policy
(none for a barred-list matter); the due report; disposal needs a head of PSD's approval, erases
the personal data, leaves an anonymised statistical record so past returns give the same figures,
and is logged as an erasure. Through the services and the command line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.cli import main
from app.domain.enums import ListStatus, ReviewOutcome, Role
from app.domain.errors import InvalidInput, PermissionDenied, RuleRefused
from app.domain.records import User
from app.persistence.models import (
    AccessLogRow,
    AllegationRow,
    CaseRow,
    DecisionRow,
    PersonRow,
    ProposedDecisionRow,
    VictimRow,
)
from app.services import audit, clock, reporting, retention, users
from app.services import case_queries as cq
from app.services import casework as cw
from app.services import people_queries as pq
from app.services.imports.cases import import_cases
from app.services.imports.workforce import import_workforce
from tests.helpers import PASSWORD, Env, force_env, write_csv

WF_HEADER = ["staff_number", "surname", "forenames", "date_of_birth", "sex", "ethnicity", "workforce_type",
             "rank_or_grade", "employment_status", "start_date", "end_date"]
WF_ROWS = [
    ["S001", "Smith", "Jane", "1985-03-04", "F", "WHITE", "POLICE_OFFICER", "PC", "", "2005-01-01", ""],
    ["S002", "Jones", "Mark", "1975-06-07", "M", "WHITE", "POLICE_OFFICER", "PS", "", "1996-01-01", ""],
    ["S003", "Patel", "Anita", "1990-11-12", "F", "ASIAN", "POLICE_STAFF", "Band D", "RESIGNED", "2015-01-01",
     "2019-02-01"],
    ["S004", "Okoro", "Femi", "1969-01-20", "M", "BLACK", "PCSO", "", "", "2001-01-01", ""],
    ["S005", "Grey", "Colin", "1980-08-08", "M", "WHITE", "POLICE_OFFICER", "DC", "", "2003-01-01", ""],
    ["S010", "Ward", "Lee", "1972-02-02", "M", "WHITE", "POLICE_OFFICER", "Insp", "", "1994-01-01", ""],
]
CASE_HEADER = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
               "victim_relationship", "abuse_types", "criminal", "crime_ref", "threshold_met_date", "restrictions",
               "restriction_date", "iopc_referral_date", "iopc_decision", "investigating_body",
               "misconduct_outcomes", "criminal_outcome", "outcome_date"]
C1, C2, C3, C4 = "PSD-2018-000001", "PSD-2018-000002", "PSD-2019-000003", "PSD-2017-000004"
CASE_ROWS = [
    [C1, "2018-06-01", "VICTIM_DIRECT", "CONDUCT_MATTER", "S001", "VX-SMITH", "FORMER_PARTNER",
     "PHYSICAL;COERCIVE_CONTROL", "Y", "CR/4471/18", "2018-06-02", "RESTRICTED_DUTIES", "2018-06-04",
     "2018-06-02", "LOCAL_INVESTIGATION", "HOME",
     "CASE_TO_ANSWER_MISCONDUCT;MISCONDUCT_MEETING;MISCONDUCT;WRITTEN_WARNING", "NO_FURTHER_ACTION", "2018-12-01"],
    [C1, "2018-06-05", "VICTIM_DIRECT", "CONDUCT_MATTER", "S002", "VX-SMITH", "FORMER_PARTNER",
     "EMOTIONAL_PSYCHOLOGICAL", "N", "", "", "", "", "", "", "", "NO_CASE_TO_ANSWER", "", "2018-11-01"],
    [C2, "2018-09-01", "COLLEAGUE", "COMPLAINT", "S003", "V1", "CURRENT_PARTNER", "ECONOMIC", "N", "", "", "", "",
     "", "", "", "NO_CASE_TO_ANSWER", "", "2019-03-01"],
    [C3, "2019-01-15", "THIRD_PARTY", "CONDUCT_MATTER", "S004", "V1", "FAMILY_MEMBER", "STALKING_HARASSMENT", "N",
     "", "2019-01-15", "NO_CONTACT_WITH_VICTIMS_OR_WITNESSES", "2019-01-16", "", "", "", "NO_CASE_TO_ANSWER", "",
     "2019-02-10"],
    [C4, "2017-05-01", "VICTIM_DIRECT", "CONDUCT_MATTER", "S005", "V1", "CURRENT_PARTNER", "PHYSICAL", "N", "",
     "", "", "", "", "", "", "CASE_TO_ANSWER_GROSS_MISCONDUCT;MISCONDUCT_HEARING;GROSS_MISCONDUCT;"
     "DISMISSAL_WITHOUT_NOTICE", "", "2017-11-01"],
]
CONTACT = "07700 900461, 14 Larch Close"
SUMMARY = "Jane Smith pushed her former partner down the stairs at 3 Elm Row"
VETTING = "Vetting clearance for Jane Smith withdrawn pending review"
PERSONAL = ["Smith", "Jane", "Jones", "Mark", "Patel", "Anita", "S001", "S002", "S003", "1985-03-04",
            "1975-06-07", "1990-11-12", CONTACT, "Larch", "CR/4471/18", "Elm Row", "VX-SMITH", "Vetting clearance"]
CLOSED_ON = date(2019, 6, 3)
REVIEW_ON = date(2025, 6, 3)  # RETENTION_YEARS (6) after closure


def pin(day: date, hour: int = 10) -> None:
    clock.pin(datetime.combine(day, time(hour)))


@dataclass
class Retained:
    env: Env
    sup: User
    head: User
    head2: User
    ids: dict[str, int]
    folder: Path

    def uow(self):  # type: ignore[no-untyped-def]
        return self.env.uow()

    def case(self, reference: str) -> CaseRow:
        with self.uow() as uow:
            row = uow.session.get(CaseRow, self.ids[reference])
            assert row is not None
            uow.session.expunge(row)
            return row

    def person_id(self, staff_number: str) -> int:
        with self.uow() as uow:
            found = uow.session.scalar(select(PersonRow.id).where(PersonRow.staff_number == staff_number))
            assert found is not None
            return found

    def allegation(self, reference: str, staff_number: str) -> int:
        with self.uow() as uow:
            found = uow.session.scalar(select(AllegationRow.id).join(PersonRow,
                                                                     PersonRow.id == AllegationRow.subject_id)
                                       .where(AllegationRow.case_id == self.ids[reference],
                                              PersonRow.staff_number == staff_number))
            assert found is not None
            return found

    def figures(self, tag: str) -> tuple[object, ...]:
        count = reporting.survey_return(self.uow(), self.sup, 2019, self.folder / f"return-{tag}.xlsx")
        b = reporting.outcome_breakdowns(self.uow(), self.sup, date(2018, 4, 1), date(2019, 3, 31),
                                         self.folder / f"outcomes-{tag}.xlsx")
        return (count.figures, count.data_notes, b.individuals, b.individuals_by_outcome, b.breakdowns,
                b.time_to_outcome, b.restrictions, b.referrals)


def _build(env: Env, folder: Path) -> Retained:
    pin(CLOSED_ON)
    head = env.user("head", Role.HEAD_OF_PSD)
    import_workforce(env.uow(), head, write_csv(folder / "wf.csv", WF_HEADER, WF_ROWS))
    r = Retained(env, env.user("sup", Role.SUPERVISOR, staff_number="S010"), head, env.user("head2", Role.HEAD_OF_PSD),
                 {}, folder)
    import_cases(env.uow(), head, write_csv(folder / "cases.csv", CASE_HEADER, CASE_ROWS))
    with env.uow() as uow:
        r.ids = dict(uow.session.execute(select(CaseRow.reference, CaseRow.id)).all())
    _complete(r)
    return r


def _complete(r: Retained) -> None:
    """Personal details on C1, the work left before closing, then C1, C2, C3 and C4 closed."""
    c1, a1 = r.ids[C1], r.allegation(C1, "S001")
    cw.update_victim(r.uow(), r.sup, c1, "VX-SMITH", cw.VictimUpdate(contact_details=CONTACT))
    cw.update_allegation(r.uow(), r.sup, c1, a1, cw.AllegationUpdate(summary=SUMMARY))
    cw.record_restriction_review(r.uow(), r.sup, c1, a1, ReviewOutcome.LIFT, on=date(2018, 12, 3),
                                 rationale="Outcome reached; duties restored")
    cw.record_vetting_review(r.uow(), r.sup, c1, r.person_id("S001"), result=VETTING, on=date(2019, 1, 10))
    cw.record_list_notification(r.uow(), r.sup, r.ids[C4], r.person_id("S005"), ListStatus.BARRED,
                                on=date(2017, 11, 20), reference="COLLEGE-BL-0093")
    cw.record_list_notification(r.uow(), r.sup, r.ids[C2], r.person_id("S003"), ListStatus.ADVISORY,
                                on=date(2019, 3, 5), reference="COLLEGE-AL-Patel")
    cw.record_restriction_review(r.uow(), r.sup, r.ids[C3], r.allegation(C3, "S004"), ReviewOutcome.LIFT,
                                 on=date(2019, 2, 11), rationale="No case to answer; restriction lifted")
    for ref in (C1, C2, C3, C4):
        cw.close_case(r.uow(), r.sup, r.ids[ref], on=CLOSED_ON)


@pytest.fixture
def r(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Retained]:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with force_env(db_url) as env:
        yield _build(env, tmp_path)
    clock.pin(None)


def test_closed_cases_get_a_review_date_by_policy_and_barred_list_matters_none(r: Retained) -> None:
    assert (r.case(C1).retention_review_date, r.case(C1).closed_date) == (REVIEW_ON, CLOSED_ON)
    assert r.case(C4).retention_review_date is None
    pin(date(2025, 6, 2))
    assert retention.due(r.uow(), r.sup) == []
    pin(date(2025, 7, 1))
    due = retention.due(r.uow(), r.sup)
    assert [(d.reference, d.review_date, d.overdue_days) for d in due] == [
        (C1, REVIEW_ON, 28), (C2, REVIEW_ON, 28), (C3, REVIEW_ON, 28)]
    with pytest.raises(PermissionDenied, match="may not record threshold"):
        retention.due(r.uow(), r.env.admin)


def test_disposal_keeps_past_returns_and_erases_the_personal_data(r: Retained) -> None:
    before = r.figures("before")
    assert before[0].allegations == 4 and before[0].individuals == 4  # type: ignore[attr-defined]
    pin(date(2025, 7, 1))
    done = retention.dispose(r.uow(), r.sup, r.ids[C1], "Retention review: no further policing purpose", r.head)
    assert (done.reference, done.allegations, done.victims) == (C1, 2, 1)
    retention.dispose(r.uow(), r.head2, r.ids[C2], "Retention review: no further policing purpose", r.head)
    assert r.figures("after") == before
    assert [d.reference for d in retention.due(r.uow(), r.sup)] == [C3]
    assert _personal_data_of(r, C1) == [] and _personal_data_of(r, C2) == []
    assert r.case(C1).status == "DISPOSED" and r.case(C1).crime_refs == ""


def test_disposal_erases_the_case_s_proposals(r: Retained) -> None:
    """An investigator's proposal (here a rejected one) holds rationale text and person ids: it goes."""
    with r.uow() as uow:
        uow.session.add(ProposedDecisionRow(
            case_id=r.ids[C1], action="severity", arguments={"severity": "GROSS_MISCONDUCT", "rationale": SUMMARY},
            proposed_by=r.sup.id, proposed_at=datetime(2019, 1, 2, 9, 0), status="REJECTED", decided_by=r.head.id,
            decided_at=datetime(2019, 1, 3, 9, 0), reason="Not gross misconduct on this evidence"))
        uow.commit()
    pin(date(2025, 7, 1))
    retention.dispose(r.uow(), r.sup, r.ids[C1], "Retention review: no further policing purpose", r.head)
    with r.uow() as uow:
        assert uow.session.scalars(select(ProposedDecisionRow).where(ProposedDecisionRow.case_id
                                                                     == r.ids[C1])).all() == []


def test_a_disposed_case_never_shows_personal_data_again(r: Retained) -> None:
    pin(date(2025, 7, 1))
    retention.dispose(r.uow(), r.sup, r.ids[C1], "Retention review: no further policing purpose", r.head)
    detail = cq.open_case(r.uow(), r.sup, r.ids[C1])
    shown = repr(detail)
    assert [p for p in PERSONAL if p in shown] == []
    assert detail.status == "DISPOSED" and [v.reference for v in detail.victims] == ["V1"]
    assert not detail.victims[0].has_contact_details
    for text in ("smith", "S001", "CR/4471/18", "jones"):
        assert cq.list_cases(r.uow(), r.sup, cq.CaseFilter(text=text)) == []
    assert [c.reference for c in pq.open_person(r.uow(), r.sup, r.person_id("S001")).cases] == []
    assert pq.search_people(r.uow(), r.sup, "erased") == [] and pq.count_people(r.uow(), r.sup) == len(WF_ROWS)


def test_disposal_is_an_approved_decision_logged_as_erasure(r: Retained) -> None:
    pin(date(2025, 7, 1))
    why = "Retention review: no further policing purpose"
    retention.dispose(r.uow(), r.sup, r.ids[C1], why, r.head)
    with r.uow() as uow:
        last = uow.session.scalars(select(DecisionRow).where(DecisionRow.case_id == r.ids[C1])
                                   .order_by(DecisionRow.id.desc())).first()
        assert last is not None
        assert (last.kind, last.decided_by, last.approved_by, last.rationale) == (
            "RETENTION_DISPOSAL", r.sup.id, r.head.id, why)
        entry = uow.session.scalars(select(AccessLogRow).order_by(AccessLogRow.seq.desc())).first()
        assert entry is not None
        assert (entry.operation, entry.record_type, entry.record_id, entry.username, entry.reason) == (
            "ERASURE", "case", C1, "sup", why)
        assert [p for p in PERSONAL if p in (entry.detail or "")] == []
        assert audit.verify_chain(uow.session).ok


@pytest.mark.parametrize(("who", "approver", "case", "on", "error", "message"), [
    ("sup", "sup", C1, date(2025, 7, 1), PermissionDenied, "sup .* may not approve retention disposal"),
    ("head", "head", C1, date(2025, 7, 1), PermissionDenied, "cannot be approved by the person who made it"),
    ("sup", "head2", C1, date(2025, 6, 2), RuleRefused, f"{C1} is kept until its retention review on 2025-06-03"),
    ("sup", "head", C4, date(2040, 1, 1), RuleRefused, f"{C4} is a barred-list matter: it is kept indefinitely"),
    ("head2", None, C1, date(2025, 7, 1), RuleRefused, "needs the approval of a HEAD_OF_PSD"),
])
def test_disposal_refusals(r: Retained, who: str, approver: str | None, case: str, on: date,
                           error: type[Exception], message: str) -> None:
    pin(on)
    approving = getattr(r, approver) if approver else None
    with pytest.raises(error, match=message):
        retention.dispose(r.uow(), getattr(r, who), r.ids[case], "Retention review: no further purpose", approving)
    assert r.case(case).status == "CLOSED"


def test_an_open_case_a_short_reason_and_a_second_disposal_are_refused(r: Retained) -> None:
    pin(date(2025, 7, 1))
    with pytest.raises(InvalidInput, match="^reason: "):
        retention.dispose(r.uow(), r.sup, r.ids[C1], "old", r.head)
    retention.dispose(r.uow(), r.sup, r.ids[C1], "Retention review: no further purpose", r.head)
    with pytest.raises(RuleRefused, match="has already been disposed of"):
        retention.dispose(r.uow(), r.sup, r.ids[C1], "Retention review: no further purpose", r.head2)


def test_retention_on_the_command_line(r: Retained, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    url = r.env.db.url.render_as_string(hide_password=False)
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    pin(date(2025, 7, 1))
    assert main(["--db", url, "--user", "sup", "retention", "due"]) == 0
    out = capsys.readouterr().out
    assert C1 in out and C4 not in out and "3 case(s) due" in out
    assert main(["--db", url, "--user", "sup", "retention", "dispose", C2, "--reason", "Review: no purpose",
                 "--approver", "head"]) == 1
    assert "No password for the approver" in capsys.readouterr().err
    monkeypatch.setenv("PPDA_APPROVER_PASSWORD", PASSWORD)
    assert main(["--db", url, "--user", "sup", "retention", "dispose", C2, "--reason", "Review: no purpose",
                 "--approver", "sup"]) == 1
    assert "may not approve retention disposal" in capsys.readouterr().err
    assert main(["--db", url, "--user", "sup", "retention", "dispose", C2, "--reason", "Review: no purpose",
                 "--approver", "head"]) == 0
    assert f"{C2} disposed of" in capsys.readouterr().out
    assert r.case(C2).status == "DISPOSED"


def _personal_data_of(r: Retained, reference: str) -> list[str]:
    """The personal values still held anywhere about the case (its rows and its subjects' stubs)."""
    case_id = r.ids[reference]
    with r.uow() as uow:
        s = uow.session
        rows: list[object] = [s.get(CaseRow, case_id)]
        for model in (VictimRow, AllegationRow, DecisionRow):
            rows += list(s.scalars(select(model).where(model.case_id == case_id)))  # type: ignore[attr-defined]
        stubs = select(AllegationRow.subject_id).where(AllegationRow.case_id == case_id)
        people = list(s.scalars(select(PersonRow).where(PersonRow.id.in_(stubs))))
        assert people and all(p.anonymised and p.surname == "ERASED" for p in people)
        text = " ".join(_values(x) for x in rows + people)  # type: ignore[operator]
    return [p for p in PERSONAL if p in text]


def _values(row: object) -> str:
    table = row.__table__  # type: ignore[attr-defined]
    return " ".join(str(getattr(row, c.key)) for c in table.columns)


def test_a_subjects_age_band_survives_in_the_stub() -> None:
    from app.domain.enums import AgeBand
    from app.services.case_state import person_record

    for born, recorded in ((date(2001, 3, 5), date(2019, 3, 4)), (date(1964, 12, 31), date(2019, 12, 30)),
                           (date(1990, 2, 28), date(2018, 6, 1))):
        person = PersonRow(id=1, staff_number="X", surname="X", forenames="X", date_of_birth=born,
                           workforce_type="PCSO", role_flags="", employment_status="SERVING", list_status="NONE")
        stub = PersonRow(id=2, staff_number="Y", surname="Y", forenames="Y", workforce_type="PCSO", role_flags="",
                         employment_status="SERVING", list_status="NONE",
                         date_of_birth=retention.stub_birth_date(person, recorded))
        band = reporting.age_band(person_record(person), recorded)
        assert band != AgeBand.UNKNOWN and reporting.age_band(person_record(stub), recorded) == band


def test_a_disposed_case_takes_no_more_imported_rows(r: Retained) -> None:
    from app.domain.errors import ImportRejected

    pin(date(2025, 7, 1))
    retention.dispose(r.uow(), r.sup, r.ids[C2], "Retention review: no further policing purpose", r.head)
    with pytest.raises(ImportRejected, match=f"line 4, column case_ref: {C2} was disposed of under the retention"):
        import_cases(r.uow(), r.head, r.folder / "cases.csv")  # the same file again: it would re-create C2
    assert _personal_data_of(r, C2) == []
