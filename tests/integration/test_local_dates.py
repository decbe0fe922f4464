"""The force's local date through the services (SQLite and PostgreSQL): between 00:00 and 01:00
BST the UTC date is still yesterday, but for the force it is already today — intake, default
decision dates, due dates and overdue items follow the local date."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.enums import DueItemKind
from app.persistence.models import DecisionRow
from app.services import case_queries, clock
from app.services import casework as cw
from tests.integration.test_casework_support import World, allegation_ids, new_case, world

__all__ = ["world"]
TUESDAY = date(2026, 7, 14)
HALF_PAST_MIDNIGHT_BST = datetime(2026, 7, 13, 23, 30)  # UTC; 00:30 BST on Tuesday 14 July 2026


def test_after_midnight_bst_today_is_the_new_day_for_intake_decisions_and_the_queue(world: World) -> None:
    clock.pin(HALF_PAST_MIDNIGHT_BST)
    created = new_case(world, received=TUESDAY)  # today, not "in the future"
    aid = allegation_ids(world, created.case_id)["S100"]
    made = cw.record_threshold(world.uow(), world.sup, created.case_id, aid)  # dated today by default
    with world.uow() as uow:
        row = uow.session.get(DecisionRow, made.decision_ids[0])
        assert row is not None
        assert (row.effective_date, row.decided_at) == (TUESDAY, HALF_PAST_MIDNIGHT_BST)  # stored in UTC
    due = world.due(world.sup, created.reference)[DueItemKind.RESTRICTION_DECISION]
    assert (due.due_date, due.overdue) == (date(2026, 7, 16), False)  # two working days: Thursday

    clock.pin(datetime(2026, 7, 16, 22, 59))  # 23:59 BST on Thursday: due today, not overdue
    assert world.due(world.sup, created.reference)[DueItemKind.RESTRICTION_DECISION].overdue is False
    clock.pin(datetime(2026, 7, 16, 23, 30))  # 00:30 BST on Friday (still Thursday in UTC): overdue
    assert world.due(world.sup, created.reference)[DueItemKind.RESTRICTION_DECISION].overdue is True
    overdue = case_queries.list_cases(world.uow(), world.sup, case_queries.CaseFilter(overdue=True))
    assert [(c.reference, c.overdue) for c in overdue] == [(created.reference, True)]  # the case list agrees

