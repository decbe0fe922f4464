"""Every table model passes Qt's model tester, filled with real rows from the services; the paged
models fetch more rows as the view asks for them."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.modeltest import ModelTester

from app.domain.errors import RowError
from app.services import audit, case_queries, installation, people_queries, users
from app.services.case_queries import CaseFilter, CaseListRow, CaseSort
from app.services.installation import Headcount
from app.ui.models.admin_tables import HeadcountTableModel, UserTableModel
from app.ui.models.case_parts import AllegationTableModel, TeamTableModel, TimelineTableModel, VictimTableModel
from app.ui.models.case_table import CaseRoles, CaseTableModel
from app.ui.models.log_tables import AccessLogTableModel, ImportProblemTableModel
from app.ui.models.people_tables import PersonCaseTableModel, PersonTableModel
from tests.ui.sample_data import Sample


def _case_model(sample: Sample) -> CaseTableModel:
    model = CaseTableModel(lambda f, o, off, lim: case_queries.list_cases(sample.env.uow(), sample.sup, f, o,
                                                                          offset=off, limit=lim))
    model.query()
    return model


def test_case_table_model(qtmodeltester: ModelTester, sample: Sample) -> None:
    model = _case_model(sample)
    qtmodeltester.check(model, force_py=True)
    model.sort(0)
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, 0), CaseRoles.CASE_ID) == sample.case_ids["PSD-2023-000003"]


def test_case_detail_models(qtmodeltester: ModelTester, sample: Sample) -> None:
    detail = case_queries.open_case(sample.env.uow(), sample.sup, sample.case_ids["PSD-2023-000003"])
    for model, rows in ((AllegationTableModel(), detail.allegations), (VictimTableModel(), detail.victims),
                        (TimelineTableModel(), detail.timeline), (TeamTableModel(), detail.team)):
        model.set_rows(rows)
        assert model.rowCount() == len(rows)
        qtmodeltester.check(model, force_py=True)


def test_people_models(qtmodeltester: ModelTester, sample: Sample) -> None:
    people = PersonTableModel()
    people.load(lambda off, lim: people_queries.search_people(sample.env.uow(), sample.sup, "", offset=off, limit=lim))
    qtmodeltester.check(people, force_py=True)
    cases = PersonCaseTableModel()
    cases.set_rows(people_queries.open_person(sample.env.uow(), sample.sup, 2).cases)
    qtmodeltester.check(cases, force_py=True)


def test_admin_and_log_models(qtmodeltester: ModelTester, sample: Sample) -> None:
    installation.set_headcount(sample.env.uow(), sample.env.admin, 2025, 5000)
    for model, rows in (
        (UserTableModel(), users.list_users(sample.env.uow(), sample.env.admin)),
        (HeadcountTableModel(), [Headcount(2024, 4800), *installation.headcounts(sample.env.uow())]),
        (AccessLogTableModel(), audit.search(sample.env.uow(), sample.aud)),
        (ImportProblemTableModel(), [RowError(2, "dash_risk", "'X' is not one of STANDARD, MEDIUM, HIGH")]),
    ):
        model.set_rows(rows)
        assert model.rowCount() == len(rows) > 0
        qtmodeltester.check(model, force_py=True)


def _row(i: int) -> CaseListRow:
    return CaseListRow(i, f"PSD-{i:06d}", date(2024, 1, 1), "", (), None, "", "HOME", False, "OPEN", (),
                       date(2024, 2, 1), True)


@pytest.mark.parametrize("total", [0, 199, 200, 450])
def test_the_case_model_fetches_page_by_page(qtmodeltester: ModelTester, total: int) -> None:
    asked: list[tuple[int, int]] = []

    def source(f: CaseFilter, o: CaseSort, offset: int, limit: int) -> list[CaseListRow]:
        asked.append((offset, limit))
        return [_row(i) for i in range(offset, min(total, offset + limit))]

    model = CaseTableModel(source)
    model.query()
    assert model.rowCount() == min(total, 200)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total
    assert asked[0] == (0, 200) and len(asked) == (total // 200) + 1
    assert model.index(0, 8).data() in (None, "Overdue")
    qtmodeltester.check(model, force_py=True)


def test_a_timeline_row_reads_as_recorded() -> None:
    from app.services.case_queries import TimelineEntry

    model = TimelineTableModel()
    model.set_rows([TimelineEntry(1, "RESTRICTION", date(2024, 2, 3), "Smith, John", "imported from cases.csv",
                                  "Imported from another case system", None,
                                  (("options", "RESTRICTED_DUTIES, SUSPENDED"),))])
    assert [model.index(0, c).data() for c in range(4)] == [
        "03 Feb 2024", "Restriction", "Smith, John", "options: Restricted duties, Suspended"]
