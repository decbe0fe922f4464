"""The work queue (DOMAIN.md §3.5; FORMATS.md "Work queue" for imported cases)."""

from datetime import date

import pytest

from app.domain.enums import CaseStatus, DecisionKind, DueItemKind, Role
from app.domain.errors import RuleRefused
from app.domain.workflow.due import ConfirmedMatch, PendingNotice, due_items, notice_due_items
from app.domain.workflow.recording import record_threshold
from app.domain.workflow.timeliness import record_pcc_report, record_victim_update
from tests.unit.domain.workflow_builders import (
    HEAD,
    INVESTIGATOR,
    SUPERVISOR,
    act,
    allegation,
    apply,
    imported,
    policies,
    snapshot,
    victim,
)

TODAY = date(2025, 3, 20)


def kinds(s, today=TODAY):  # type: ignore[no-untyped-def]
    return {i.kind for i in due_items(s, policies(), today)}


def item(s, kind, today=TODAY):  # type: ignore[no-untyped-def]
    [found] = [i for i in due_items(s, policies(), today) if i.kind == kind]
    return found


def test_threshold_met_makes_a_restriction_decision_due_in_two_working_days() -> None:
    s = snapshot()
    s = apply(s, record_threshold(s, act(SUPERVISOR, date(2025, 3, 14)), 10))
    due = item(s, DueItemKind.RESTRICTION_DECISION)
    assert (due.due_date, due.overdue, due.falls_to) == (date(2025, 3, 18), True, Role.SUPERVISOR)
    assert due.detail == "Alex Carter: threshold met 2025-03-14" and due.allegation_id == 10
    assert not item(s, DueItemKind.RESTRICTION_DECISION, date(2025, 3, 18)).overdue


def test_imported_threshold_without_restrictions_owes_a_restriction_decision() -> None:
    s = snapshot(decisions=[imported(DecisionKind.THRESHOLD, {"met": True}, date(2024, 6, 3))])
    assert DueItemKind.RESTRICTION_DECISION in kinds(s)
    with_restriction = snapshot(decisions=[
        imported(DecisionKind.THRESHOLD, {"met": True}, date(2024, 6, 3)),
        imported(DecisionKind.RESTRICTION, {"options": ["RESTRICTED_DUTIES"]}, date(2024, 6, 4)),
    ])
    assert DueItemKind.RESTRICTION_DECISION not in kinds(with_restriction)
    with_outcome = snapshot(decisions=[
        imported(DecisionKind.THRESHOLD, {"met": True}, date(2024, 6, 3)),
        imported(DecisionKind.MISCONDUCT_OUTCOME, {"outcome": "NO_CASE_TO_ANSWER"}, date(2024, 9, 1)),
    ])
    assert DueItemKind.RESTRICTION_DECISION not in kinds(with_outcome)


def test_imported_charge_without_suspension_owes_suspension_on_charge() -> None:
    charge = imported(DecisionKind.CRIMINAL_OUTCOME, {"outcome": "CHARGED"}, date(2024, 6, 3))
    s = snapshot(allegations=[allegation(criminal=True)], decisions=[charge])
    due = item(s, DueItemKind.SUSPENSION_ON_CHARGE)
    assert due.due_date == date(2024, 6, 4) and due.overdue
    # The importer also writes a CHARGE record for the same charge: still one item.
    lead_style = imported(DecisionKind.CHARGE, {"offence": None, "domestic_abuse_related": True}, date(2024, 6, 3))
    assert len([i for i in due_items(apply(s, lead_style), policies(), TODAY)
                if i.kind == DueItemKind.SUSPENSION_ON_CHARGE]) == 1
    suspended = apply(s, imported(DecisionKind.RESTRICTION, {"options": ["SUSPENDED"]}, date(2024, 5, 1)))
    assert DueItemKind.SUSPENSION_ON_CHARGE not in kinds(suspended)
    decided = apply(s, imported(DecisionKind.MISCONDUCT_OUTCOME, {"outcome": "WRITTEN_WARNING"}, date(2024, 9, 1)))
    assert DueItemKind.SUSPENSION_ON_CHARGE not in kinds(decided)


def test_restrictions_in_force_owe_a_review() -> None:
    s = snapshot(decisions=[imported(DecisionKind.RESTRICTION, {"options": ["SYSTEMS_ACCESS_RESTRICTED"]},
                                     date(2025, 2, 1))])
    due = item(s, DueItemKind.RESTRICTION_REVIEW)
    assert due.due_date == date(2025, 3, 1) and due.overdue
    assert due.detail == "Alex Carter: review systems access restricted"


def test_victims_are_updated_every_28_days() -> None:
    s = snapshot(victims=[victim("V1"), victim("V2")])
    assert [i.due_date for i in due_items(s, policies(), TODAY) if i.kind == DueItemKind.VICTIM_UPDATE] == [
        date(2025, 3, 31), date(2025, 3, 31)]
    s = apply(s, record_victim_update(s, act(INVESTIGATOR, TODAY), "V2", method="phone"))
    updates = {i.detail: i for i in due_items(s, policies(), TODAY) if i.kind == DueItemKind.VICTIM_UPDATE}
    assert updates["victim V2"].due_date == date(2025, 4, 17)
    assert updates["victim V1"].falls_to == Role.INVESTIGATOR


def test_pcc_report_due_at_12_months_then_every_6_while_open() -> None:
    s = snapshot(received=date(2024, 3, 15))
    first = item(s, DueItemKind.TWELVE_MONTH_REPORT)
    assert (first.due_date, first.overdue, first.falls_to) == (date(2025, 3, 15), True, Role.HEAD_OF_PSD)
    s = apply(s, record_pcc_report(s, act(HEAD, TODAY), policies()))
    second = item(s, DueItemKind.TWELVE_MONTH_REPORT)
    assert second.due_date == date(2025, 9, 15) and second.detail == "report 2 to the PCC"
    finished = apply(s, imported(DecisionKind.MISCONDUCT_OUTCOME, {"outcome": "CASE_TO_ANSWER_MISCONDUCT"},
                                 date(2025, 3, 18)))
    assert DueItemKind.TWELVE_MONTH_REPORT not in kinds(finished)


def test_a_closed_case_owes_nothing_and_the_horizon_filters() -> None:
    assert due_items(snapshot(status=CaseStatus.CLOSED), policies(), TODAY) == []
    s = snapshot()
    assert due_items(s, policies(), TODAY, horizon_days=5) == []
    assert len(due_items(s, policies(), TODAY, horizon_days=30)) == 1


def test_notices_to_triage_and_confirmed_matches_to_vet() -> None:
    items = notice_due_items(
        [PendingNotice("N-1", date(2025, 3, 14), "DA incident")],
        [ConfirmedMatch("N-0", 100, "Alex Carter", date(2025, 3, 1)),
         ConfirmedMatch("N-9", 101, "Sam Ray", date(2025, 1, 1), vetting_review_done_on=date(2025, 1, 20))],
        policies(), TODAY)
    assert [(i.kind, i.case_ref, i.due_date, i.overdue) for i in items] == [
        (DueItemKind.NOTICE_TRIAGE, "N-1", date(2025, 3, 21), False),
        (DueItemKind.VETTING_REVIEW, "N-0", date(2025, 3, 29), False),
    ]


def test_pcc_report_and_victim_update_refusals() -> None:
    finished = snapshot(decisions=[imported(DecisionKind.MISCONDUCT_OUTCOME, {"outcome": "NO_CASE_TO_ANSWER"},
                                            date(2025, 3, 10))])
    with pytest.raises(RuleRefused, match="The investigation is finished: no report to the PCC is due"):
        record_pcc_report(finished, act(HEAD, TODAY), policies())
    with pytest.raises(RuleRefused, match="There is no victim V9 in case PSD-2025-000001"):
        record_victim_update(snapshot(), act(INVESTIGATOR, TODAY), "V9")
