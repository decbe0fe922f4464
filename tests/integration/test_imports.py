"""The three imports (FORMATS.md) on SQLite and PostgreSQL: all-or-nothing, every bad row named,
idempotent, audited."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.domain.enums import Role
from app.domain.errors import ImportRejected, PermissionDenied
from app.persistence.models import AccessLogRow, AllegationRow, CaseRow, DecisionRow, NoticeRow, PersonRow
from app.services.imports.cases import import_cases
from app.services.imports.notices import import_notices
from app.services.imports.workforce import import_workforce
from tests.helpers import Env, force_env, write_csv

WF_HEADER = ["staff_number", "warrant_number", "surname", "forenames", "previous_names", "date_of_birth", "sex",
             "ethnicity", "workforce_type", "rank_or_grade", "unit", "line_manager_staff_number", "role_flags",
             "employment_status", "start_date", "end_date"]
WF_ROWS = [
    ["S001", "W1", "Smith", "Jane", "Jane Doe", "1985-03-04", "F", "WHITE", "POLICE_OFFICER", "PC", "Response A",
     "S002", "PUBLIC_FACING", "", "2010-01-01", ""],
    ["S002", "W2", "Jones", "Mark", "", "1975-06-07", "M", "white", "police_officer", "PS", "Response A", "", "", "",
     "", ""],
    ["S003", "", "Patel", "Anita", "", "1990-11-12", "F", "ASIAN", "POLICE_STAFF", "Band D", "Control Room", "S002",
     "", "RESIGNED", "2015-01-01", "2024-06-01"],
]
CASE_HEADER = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
               "victim_relationship", "abuse_types", "dash_risk", "threshold_met_date", "restrictions",
               "restriction_date",
               "criminal_outcome", "misconduct_outcomes", "outcome_date", "investigating_body"]
CASE_ROWS = [
    ["PSD-2024-000001", "2024-05-01", "VICTIM_DIRECT", "CONDUCT_MATTER", "S001", "V1", "FORMER_PARTNER",
     "PHYSICAL;COERCIVE_CONTROL", "HIGH", "2024-05-02", "", "", "", "", "", "HOME"],
    ["PSD-2024-000001", "2024-05-03", "VICTIM_DIRECT", "CONDUCT_MATTER", "S002", "V1", "FORMER_PARTNER",
     "COLLEAGUE_COLLUSION" if False else "EMOTIONAL_PSYCHOLOGICAL", "HIGH", "", "", "", "", "", "", "HOME"],
    ["PSD-2024-000002", "2024-06-01", "COLLEAGUE", "COMPLAINT", "S002", "V2", "CURRENT_PARTNER",
     "EMOTIONAL_PSYCHOLOGICAL", "", "2024-06-03", "RESTRICTED_DUTIES", "2024-06-04", "CHARGED", "", "2024-07-01",
     "kent"],
]
NOTICE_HEADER = ["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames", "date_of_birth",
                 "employing_force", "summary"]
NOTICE_ROWS = [
    ["K-1", "kent", "2024-01-02", "DOMESTIC_ABUSE_INCIDENT", "Smyth", "Jane", "1985-04-03", "west-midlands",
     "Attended DA incident"],
    ["PND-9", "PND", "2024-02-02", "INTELLIGENCE", "Brown", "Tom", "", "", ""],
]


@pytest.fixture
def env(db_url: str):
    with force_env(db_url) as e:
        yield e


def counts(env: Env) -> dict[str, int]:
    with env.uow() as uow:
        return {m.__tablename__: uow.session.scalar(select(func.count()).select_from(m)) or 0
                for m in (PersonRow, CaseRow, AllegationRow, DecisionRow, NoticeRow, AccessLogRow)}


def test_workforce_import_is_idempotent_and_updates_are_audited(env: Env, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS)
    first = import_workforce(env.uow(), env.admin, f)
    assert (first.added, first.updated) == (3, 0)
    before = counts(env)
    again = import_workforce(env.uow(), env.admin, f)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert counts(env) == before  # nothing changed, not even the log
    changed = [r[:] for r in WF_ROWS]
    changed[1][9] = "Insp"
    third = import_workforce(env.uow(), env.admin, write_csv(tmp_path / "wf2.csv", WF_HEADER, changed))
    assert third.updated == 1
    with env.uow() as uow:
        row = uow.session.scalar(select(PersonRow).where(PersonRow.staff_number == "S002"))
        assert row is not None and row.rank_or_grade == "Insp"
        ops = [(e.operation, e.record_type)
               for e in uow.session.scalars(select(AccessLogRow).order_by(AccessLogRow.seq))]
    assert ("ALTERATION", "person") in ops and ("COLLECTION", "workforce_import") in ops


def test_bad_workforce_file_names_every_bad_row_and_changes_nothing(env: Env, tmp_path: Path) -> None:
    import_workforce(env.uow(), env.admin, write_csv(tmp_path / "ok.csv", WF_HEADER, WF_ROWS))
    bad = [r[:] for r in WF_ROWS] + [
        ["S004", "", "Lee", "Sam", "", "1990-13-01", "Q", "", "COPPER", "", "", "S999", "", "", "", ""],
        ["S001", "", "Dup", "Licate", "", "1990-01-01", "", "", "PCSO", "", "", "", "", "", "", ""],
    ]
    bad[0][2] = "Smith-Changed"
    before = counts(env)
    with pytest.raises(ImportRejected) as err:
        import_workforce(env.uow(), env.admin, write_csv(tmp_path / "bad.csv", WF_HEADER, bad))
    text = str(err.value)
    assert "line 5, column date_of_birth" in text and "YYYY-MM-DD" in text
    assert "line 5, column sex" in text and "line 5, column workforce_type" in text
    assert "line 5, column line_manager_staff_number: S999 is not in the file or the register" in text
    assert "line 6, column staff_number: S001 is also on line 2" in text
    assert counts(env) == before
    with env.uow() as uow:
        assert uow.session.scalar(select(PersonRow.surname).where(PersonRow.staff_number == "S001")) == "Smith"


def test_unknown_and_missing_columns_are_named(env: Env, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "cols.csv", ["staff_number", "surname", "colour"], [["S1", "A", "red"]])
    with pytest.raises(ImportRejected) as err:
        import_workforce(env.uow(), env.admin, f)
    assert "colour: unknown column(s)" in str(err.value)
    assert "forenames, date_of_birth, workforce_type: required column(s) missing" in str(err.value)


def test_xlsx_and_bom_csv_are_read(env: Env, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(WF_HEADER)
    for r in WF_ROWS:
        ws.append(r)
    wb.save(tmp_path / "wf.xlsx")
    assert import_workforce(env.uow(), env.admin, tmp_path / "wf.xlsx").added == 3
    bom = tmp_path / "bom.csv"
    bom.write_text("\ufeff" + ",".join(WF_HEADER) + "\n" + ",".join(WF_ROWS[0]) + "\n", encoding="utf-8")
    assert import_workforce(env.uow(), env.admin, bom).unchanged == 1


def test_cases_import_builds_cases_and_imported_decisions(env: Env, tmp_path: Path) -> None:
    import_workforce(env.uow(), env.admin, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
    head = env.user("head", Role.HEAD_OF_PSD)
    f = write_csv(tmp_path / "cases.csv", CASE_HEADER, CASE_ROWS)
    s = import_cases(env.uow(), head, f)
    assert (s.added, s.updated) == (3, 0)
    with env.uow() as uow:
        case = uow.session.scalar(select(CaseRow).where(CaseRow.reference == "PSD-2024-000001"))
        assert case is not None and case.received_date.isoformat() == "2024-05-01"
        assert case.list_subjects == "Smith, Jane; Jones, Mark" and case.list_risk == "HIGH"
        kinds = sorted(d.kind for d in uow.session.scalars(select(DecisionRow)))
        assert all(d.imported_from == "cases.csv" for d in uow.session.scalars(select(DecisionRow)))
    assert kinds.count("THRESHOLD") == 2 and "RESTRICTION" in kinds and "CRIMINAL_OUTCOME" in kinds
    before = counts(env)
    assert import_cases(env.uow(), head, f).unchanged == 3
    assert counts(env) == before


def test_bad_cases_file_changes_nothing(env: Env, tmp_path: Path) -> None:
    import_workforce(env.uow(), env.admin, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
    head = env.user("head", Role.HEAD_OF_PSD)
    rows = [r[:] for r in CASE_ROWS]
    rows[0][4] = "S404"
    rows[2][10], rows[2][11] = "SUSPENDED", ""
    rows[1][3] = "COMPLAINT"
    before = counts(env)
    with pytest.raises(ImportRejected) as err:
        import_cases(env.uow(), head, write_csv(tmp_path / "bad.csv", CASE_HEADER, rows))
    text = str(err.value)
    assert "line 2, column subject_staff_number: S404 is not in the workforce register" in text
    assert "line 4, column restriction_date: required when restrictions are given" in text
    assert "line 3, column case_type: differs from line 2 for the same case PSD-2024-000001" in text
    assert counts(env) == before


def test_imports_check_roles(env: Env, tmp_path: Path) -> None:
    inv = env.user("inv", Role.INVESTIGATOR)
    with pytest.raises(PermissionDenied, match="may not import the workforce register"):
        import_workforce(env.uow(), inv, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
    with pytest.raises(PermissionDenied):
        import_cases(env.uow(), env.admin, write_csv(tmp_path / "c.csv", CASE_HEADER, CASE_ROWS))


def test_notices_import_and_reimport(env: Env, tmp_path: Path) -> None:
    sup = env.user("sup", Role.SUPERVISOR)
    f = write_csv(tmp_path / "n.csv", NOTICE_HEADER, NOTICE_ROWS)
    summary, ids = import_notices(env.uow(), sup, f)
    assert summary.added == 2 and len(ids) == 2
    summary, ids = import_notices(env.uow(), sup, f)
    assert summary.unchanged == 2 and ids == []
    bad = write_csv(tmp_path / "b.csv", NOTICE_HEADER, [["X", "narnia", "2024-01-01", "GOSSIP", "A", "B", "", "", ""]])
    with pytest.raises(ImportRejected) as err:
        import_notices(env.uow(), sup, bad)
    assert "issuing_force: 'narnia' is not a known force code" in str(err.value)
    assert "record_type: 'GOSSIP' is not one of" in str(err.value)


BAD_CELLS = {
    2: st.sampled_from(["", "x", "bob"]),  # surname handled below (blank only)
    5: st.sampled_from(["", "1985-02-30", "03/04/1985", "yesterday"]),
    6: st.sampled_from(["Z", "female"]),
    8: st.sampled_from(["", "CONSTABLE", "POLICE"]),
    11: st.sampled_from(["NOBODY", "S001"]),
    12: st.sampled_from(["FLYING", "DA_SAFEGUARDING;SWIMMING"]),
    13: st.sampled_from(["ON_HOLIDAY"]),
    15: st.sampled_from(["2001-01-01", "not a date"]),
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_bad_row_refuses_the_whole_file(env: Env, tmp_path: Path, data: st.DataObject) -> None:
    rows = [r[:] for r in WF_ROWS]
    line = data.draw(st.integers(0, len(rows) - 1))
    column = data.draw(st.sampled_from(sorted(BAD_CELLS)))
    value = data.draw(BAD_CELLS[column])
    if column == 2:
        value = ""
    if column == 11 and value == "S001":
        rows[line][0] = "S001"  # own line manager or duplicate staff number: both refused
    rows[line][column] = value
    before = counts(env)
    with pytest.raises(ImportRejected) as err:
        import_workforce(env.uow(), env.admin, write_csv(tmp_path / "h.csv", WF_HEADER, rows))
    assert f"line {line + 2}" in str(err.value)
    assert counts(env) == before
