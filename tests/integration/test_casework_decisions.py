"""Decision records as the services append them (DOMAIN.md §2: append-only, with options,
rationale, decider, dates, approver; a new decision supersedes an old one), on SQLite and
PostgreSQL, and the decisions the walk-throughs do not reach."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import AssignmentRole, CaseType, DueItemKind, Severity
from app.domain.enums import MisconductOutcome as O
from app.domain.enums import RestrictionOption as R
from app.domain.errors import InvalidInput, NotFound, RuleRefused
from app.services import casework as cw
from tests.integration.test_casework_support import (
    RECEIVED,
    World,
    allegation,
    allegation_ids,
    new_case,
    pin,
    victim,
    world,
)

__all__ = ["world"]
REF = "PSD-2025-000001"


def test_each_decision_is_appended_with_its_record_and_supersedes_the_one_it_replaces(world: World) -> None:
    created = new_case(world, allegation(criminal=True, crime_ref="CR/1"))
    aid = allegation_ids(world, created.case_id)["S100"]
    first = cw.record_severity(world.uow(), world.sup, created.case_id, Severity.MISCONDUCT, allegation_id=aid,
                               rationale="Single incident")
    second = cw.record_severity(world.uow(), world.sup2, created.case_id, Severity.GROSS_MISCONDUCT,
                                allegation_id=aid, rationale="Further account received")
    cw.record_threshold(world.uow(), world.sup, created.case_id, aid, on=RECEIVED)
    cw.record_restriction(world.uow(), world.sup, created.case_id, aid,
                          [R.RESTRICTED_DUTIES, R.SYSTEMS_ACCESS_RESTRICTED],
                          options_considered=["SUSPENDED", "REDEPLOYED_LOCATION"],
                          rationale="Risk of tracing the victim")
    cw.record_arrest(world.uow(), world.sup, created.case_id, aid, offence="Assault by beating")
    rows = {r.id: r for r in world.decisions(created.case_id)}
    old, new = rows[first.decision_ids[0]], rows[second.decision_ids[0]]
    assert (new.payload, new.decided_by, new.supersedes_id, new.rationale) == (
        {"severity": "GROSS_MISCONDUCT"}, world.sup2.id, old.id, "Further account received")
    restriction = next(r for r in rows.values() if r.kind == "RESTRICTION")
    assert restriction.payload["options"] == ["RESTRICTED_DUTIES", "SYSTEMS_ACCESS_RESTRICTED"]
    assert restriction.options_considered == ["SUSPENDED", "REDEPLOYED_LOCATION"]
    arrest = next(r for r in rows.values() if r.kind == "ARREST")
    assert (arrest.payload, arrest.effective_date) == (
        {"offence": "Assault by beating", "da_or_sexual_offence": True}, RECEIVED)
    assert second.case_version == first.case_version + 1


def test_a_decision_cannot_be_dated_in_the_future_nor_recorded_twice(world: World) -> None:
    created = new_case(world)
    aid = allegation_ids(world, created.case_id)["S100"]
    with pytest.raises(RuleRefused, match="^A threshold decision cannot be dated in the future \\(2025-03-04\\)"):
        cw.record_threshold(world.uow(), world.sup, created.case_id, aid, on=date(2025, 3, 4))
    cw.record_threshold(world.uow(), world.sup, created.case_id, aid)
    with pytest.raises(RuleRefused, match="was already recorded as met on 2025-03-03"):
        cw.record_threshold(world.uow(), world.sup, created.case_id, aid)
    with pytest.raises(NotFound, match=f"^Allegation 999 is not part of case {REF}.$"):
        cw.record_threshold(world.uow(), world.sup, created.case_id, 999)


def test_not_recordable_needs_a_rationale_and_another_supervisors_approval(world: World) -> None:
    created = new_case(world)
    with pytest.raises(RuleRefused, match="^Recording a PPDA allegation as not recordable needs a written rationale"):
        cw.record_recording(world.uow(), world.sup, created.case_id, recordable=False)
    done = cw.record_recording(world.uow(), world.sup, created.case_id, recordable=False, approver=world.head,
                               rationale="Duplicate of a case already recorded")
    rows = world.decisions(created.case_id)
    assert (rows[-1].id, rows[-1].payload, rows[-1].approved_by, rows[-1].supersedes_id) == (
        done.decision_ids[0], {"recordable": False, "case_type": None}, world.head.id, rows[0].id)
    cw.record_recording(world.uow(), world.sup, created.case_id, case_type=CaseType.RECORDABLE_CONDUCT_MATTER)
    assert world.decisions(created.case_id)[-1].payload == {"recordable": True,
                                                            "case_type": "RECORDABLE_CONDUCT_MATTER"}


def test_the_twelve_month_report_to_the_pcc(world: World) -> None:
    created = new_case(world)
    cw.assign_member(world.uow(), world.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR, True)
    pin(date(2026, 3, 4))
    item = world.due(world.head, REF, everyone=False)[DueItemKind.TWELVE_MONTH_REPORT]
    assert (item.due_date, item.overdue, item.detail) == (date(2026, 3, 3), True, "12-month report to the PCC")
    cw.record_pcc_report(world.uow(), world.head, created.case_id)
    item = world.due(world.head, REF, everyone=False)[DueItemKind.TWELVE_MONTH_REPORT]
    assert (item.due_date, item.overdue, item.detail) == (date(2026, 9, 3), False, "report 2 to the PCC")
    assert world.decisions(created.case_id)[-1].payload == {"report_number": 1, "due_date": "2026-03-03"}


def test_a_closed_case_takes_no_more_edits_or_decisions(world: World) -> None:
    created = new_case(world)
    aid = allegation_ids(world, created.case_id)["S100"]
    cw.record_misconduct_outcome(world.uow(), world.sup, created.case_id, aid, O.NO_CASE_TO_ANSWER)
    cw.close_case(world.uow(), world.sup, created.case_id)
    with pytest.raises(RuleRefused, match=f"^Case {REF} is closed: its allegations, victims and details can no "
                                          "longer be changed.$"):
        cw.add_victim(world.uow(), world.sup, created.case_id, victim("V2"))
    with pytest.raises(RuleRefused, match=f"^Case {REF} is closed; decisions can only be recorded on an open case.$"):
        cw.record_victim_update(world.uow(), world.sup, created.case_id, "V1")


def test_declarations_and_team_changes_name_what_is_missing(world: World) -> None:
    created = new_case(world)
    with pytest.raises(InvalidInput, match="^Name the colleague \\(associate_staff_number\\) or the case"):
        cw.declare_association(world.uow(), world.inv)
    with pytest.raises(InvalidInput, match="^case_id: a connection to a victim needs the case the victim is in.$"):
        cw.declare_association(world.uow(), world.inv, victim_ref="V1")
    with pytest.raises(InvalidInput, match="^associate_staff_number: S999 is not in the workforce register.$"):
        cw.declare_association(world.uow(), world.inv, associate_staff_number="S999")
    with pytest.raises(NotFound, match=f"^inv is not the investigator of {REF}.$"):
        cw.end_assignment(world.uow(), world.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR)
    with pytest.raises(NotFound, match="^There is no active user called 'ghost'.$"):
        cw.assign_member(world.uow(), world.sup, created.case_id, "ghost", AssignmentRole.INVESTIGATOR, True)
