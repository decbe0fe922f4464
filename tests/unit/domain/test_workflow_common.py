"""What every rule shares (app/domain/workflow/common.py), and the exact words of the suspension and
closure rules' refusals: a decision records who, when, what and why; history reads per allegation."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from app.domain.enums import CaseStatus, CriminalOutcome, DecisionKind, DueItemKind, ListStatus, Role, Severity
from app.domain.enums import MisconductOutcome as O
from app.domain.enums import RestrictionOption as R
from app.domain.errors import RuleRefused
from app.domain.records import Decision, User
from app.domain.workflow.approvals import same_user
from app.domain.workflow.charge import outstanding_suspensions, record_suspension_exception, suspensions_due
from app.domain.workflow.closure import close_case, closure_blockers
from app.domain.workflow.common import (
    allegation_ids,
    history,
    latest,
    make_decision,
    payload_date,
    require_open,
    subject_name,
    with_decisions,
)
from app.domain.workflow.criminal import record_arrest, record_criminal_outcome
from app.domain.workflow.due import due_items
from app.domain.workflow.outcomes import record_misconduct_outcome
from app.domain.workflow.recording import record_severity, record_threshold
from app.domain.workflow.restriction import record_restriction
from tests.unit.domain.workflow_builders import (
    HEAD,
    SUPERVISOR,
    act,
    allegation,
    apply,
    person,
    policies,
    snapshot,
)

DAY = date(2025, 3, 7)


def exactly(text: str) -> str:
    return "^" + re.escape(text) + "$"


def test_a_decision_records_who_when_what_and_why() -> None:
    at = act(SUPERVISOR, DAY)
    made = make_decision(DecisionKind.RESTRICTION, at, {"options": ["RESTRICTED_DUTIES"]}, allegation_id=10,
                         rationale="  Risk to the victim  ", options_considered=["SUSPENDED"])
    assert made == Decision(None, DecisionKind.RESTRICTION, {"options": ["RESTRICTED_DUTIES"]}, SUPERVISOR.id,
                            at.at, DAY, 10, "Risk to the victim", ("SUSPENDED",), None, None)
    approved = make_decision(DecisionKind.RECORDING, at, {}, on=date(2025, 3, 6), approver=HEAD)
    assert (approved.effective_date, approved.approved_by, approved.approved_at) == (date(2025, 3, 6), HEAD.id, at.at)
    assert make_decision(DecisionKind.RECORDING, at, {}, rationale="   ").rationale is None


def test_a_future_date_is_refused_naming_the_kind_of_decision_in_words() -> None:
    with pytest.raises(RuleRefused, match=exactly(
            "A suspension on charge exception decision cannot be dated in the future (2025-03-08); give a date "
            "on or before 2025-03-07.")):
        make_decision(DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION, act(SUPERVISOR, DAY), {}, on=date(2025, 3, 8))


def test_decisions_are_only_recorded_on_an_open_case() -> None:
    with pytest.raises(RuleRefused, match=exactly(
            "Case PSD-2025-000001 is closed; decisions can only be recorded on an open case.")):
        require_open(snapshot(status=CaseStatus.CLOSED))


def test_payload_dates_read_back_as_dates() -> None:
    assert payload_date({"on": "2025-03-07"}, "on") == DAY
    assert payload_date({"on": DAY}, "on") == DAY
    assert payload_date({"on": None}, "on") is None
    assert payload_date({}, "on") is None


def test_history_reads_the_allegations_own_and_the_whole_cases_decisions() -> None:
    s = snapshot(allegations=[allegation(), allegation(11)])
    s = apply(s, record_severity(s, act(SUPERVISOR, date(2025, 3, 4)), Severity.MISCONDUCT, policies()))
    s = apply(s, record_severity(s, act(SUPERVISOR, date(2025, 3, 5)), Severity.GROSS_MISCONDUCT, policies(),
                                 allegation_id=11))
    case_level, on_11 = s.decisions
    kinds = [DecisionKind.SEVERITY]
    assert history(s, kinds) == [case_level, on_11]
    assert history(s, kinds, 10) == [case_level]
    assert history(s, kinds, 11) == [case_level, on_11]
    assert latest(s, kinds, 10) == case_level and latest(s, kinds, 11) == on_11 and latest(s, kinds) == on_11
    assert latest(s, [DecisionKind.THRESHOLD]) is None


def test_with_decisions_previews_without_changing_the_snapshot() -> None:
    s = snapshot()
    made = record_threshold(s, act(SUPERVISOR, DAY), 10)
    preview = with_decisions(s, [made])
    assert preview.decisions == (made,) and s.decisions == ()
    assert with_decisions(preview, []).decisions == (made,)


def test_allegation_ids_and_subject_names() -> None:
    s = snapshot(allegations=[allegation(), allegation(None), allegation(11, subject_id=101)])  # type: ignore[arg-type]
    assert allegation_ids(s) == [10, 11]
    assert subject_name(s, s.allegations[0]) == "Alex Carter"
    assert subject_name(s, s.allegations[2]) == "subject 101"


def test_the_same_user_is_known_by_id_or_else_by_user_name() -> None:
    a = User(1, "sup1", "A", frozenset({Role.SUPERVISOR}))
    assert same_user(a, User(1, "renamed", "A", frozenset()))
    assert not same_user(a, User(2, "sup1", "A", frozenset()))
    assert same_user(a, User(None, "sup1", "A", frozenset()))
    assert same_user(User(None, "x", "X", frozenset()), User(None, "x", "Y", frozenset()))
    assert not same_user(User(None, "x", "X", frozenset()), a)


# ---- suspension on charge: which allegation, which trigger, which exception --------------------

CRIMINAL = [allegation(criminal=True, crime_ref="CR/1"), allegation(11, criminal=True, crime_ref="CR/2")]


def charged_11(day: date = DAY):  # type: ignore[no-untyped-def]
    s = snapshot(allegations=CRIMINAL)
    return apply(s, record_criminal_outcome(s, act(SUPERVISOR, day), 11, CriminalOutcome.CHARGED, policies(),
                                            on=day, offence="Assault"))


def test_a_charge_on_one_allegation_makes_suspension_due_on_that_allegation_only() -> None:
    s = charged_11()
    assert suspensions_due(s, 10, policies()) == []
    [due] = suspensions_due(s, 11, policies())
    assert (due.allegation_id, due.trigger, due.trigger_date, due.offence) == (11, "CHARGE", DAY, "Assault")
    assert outstanding_suspensions(s, policies()) == [due]
    with pytest.raises(RuleRefused, match=exactly(
            "No suspension is due on charge or arrest for allegation 10, so no exception is needed.")):
        record_suspension_exception(s, act(SUPERVISOR, DAY), 10, policies(), rationale="x", approver=HEAD)


def test_a_met_suspension_is_not_outstanding() -> None:
    s = charged_11()
    s = apply(s, record_restriction(s, act(SUPERVISOR, DAY), 11, [R.SUSPENDED],
                                    conditions=__import__("app.domain.workflow.restriction", fromlist=["x"])
                                    .SuspensionConditions(True, True, False)))
    assert outstanding_suspensions(s, policies()) == []
    assert [d.met for d in suspensions_due(s, 11, policies())] == [True]


def test_an_exception_answers_the_latest_trigger_and_only_its_own_allegation() -> None:
    s = snapshot(allegations=CRIMINAL, received=date(2026, 7, 1))
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, date(2026, 7, 14)), 10, CriminalOutcome.CHARGED,
                                         policies(), offence="Assault"))
    s = apply(s, record_arrest(s, act(SUPERVISOR, date(2026, 7, 20)), 10, offence="Rape"))
    s = apply(s, record_arrest(s, act(SUPERVISOR, date(2026, 7, 20)), 11, offence="Rape"))
    at = act(SUPERVISOR, date(2026, 7, 21))
    made = record_suspension_exception(s, at, 10, policies(), rationale=" Sole carer ", approver=HEAD)
    assert made == Decision(None, DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION,
                            {"trigger": "ARREST", "trigger_date": "2026-07-20"}, SUPERVISOR.id, at.at,
                            date(2026, 7, 21), 10, "Sole carer", (), HEAD.id, at.at)
    s = apply(s, made)
    assert [d.met for d in suspensions_due(s, 10, policies())] == [True, True]
    assert [(d.trigger, d.met) for d in suspensions_due(s, 11, policies())] == [("ARREST", False)]
    item = [i for i in due_items(s, policies(), date(2026, 7, 21)) if i.kind == DueItemKind.SUSPENSION_ON_CHARGE]
    assert [(i.allegation_id, i.detail) for i in item] == [(11, "Alex Carter: arrest 2026-07-20 (Rape)")]


def test_an_unapproved_exception_does_not_meet_it_but_an_imported_one_does() -> None:
    s = charged_11()
    unapproved = Decision(90, DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION, {}, 1, datetime(2025, 3, 7, 12), DAY, 11)
    assert [d.met for d in suspensions_due(apply(s, unapproved), 11, policies())] == [False]
    imported = Decision(91, DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION, {}, None, datetime(2025, 3, 7, 12), DAY, 11,
                        imported_from="legacy.csv")
    assert [d.met for d in suspensions_due(apply(s, imported), 11, policies())] == [True]
    other = Decision(92, DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION, {}, 1, datetime(2025, 3, 7, 12), DAY, 10,
                     approved_by=HEAD.id)
    assert [d.met for d in suspensions_due(apply(s, other), 11, policies())] == [False]


def test_an_imported_arrest_without_the_offence_kind_counts_as_domestic_abuse() -> None:
    s = snapshot(allegations=CRIMINAL, received=date(2026, 7, 1))
    arrest = Decision(None, DecisionKind.ARREST, {"offence": "Assault"}, None, datetime(2026, 7, 14, 9),
                      date(2026, 7, 14), 10, imported_from="legacy.csv")
    [due] = suspensions_due(apply(s, arrest), 10, policies())
    assert (due.trigger, due.due_date) == ("ARREST", date(2026, 7, 15))


def test_not_suspending_needs_the_head_of_psd_in_these_words() -> None:
    with pytest.raises(RuleRefused, match=exactly(
            "Not suspending after a charge or arrest needs approval by a HEAD_OF_PSD other than the person deciding.")):
        record_suspension_exception(charged_11(), act(SUPERVISOR, DAY), 11, policies(), rationale="x", approver=None)


# ---- closure: what remains, in words ----------------------------------------------------------

def test_closure_names_each_thing_that_remains() -> None:
    s = snapshot(allegations=CRIMINAL, subjects=[person(), person(101, "Lane")])
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, DAY), 10, CriminalOutcome.CHARGED, policies(),
                                         offence="Assault"))
    blockers = closure_blockers(s, policies())
    assert blockers == [
        "allegation 10 (Alex Carter) has no final misconduct outcome",
        "allegation 10 (Alex Carter) is awaiting trial after charge",
        "allegation 11 (Alex Carter) has no final misconduct outcome",
        "allegation 11 (Alex Carter) has no criminal outcome",
    ]
    with pytest.raises(RuleRefused,
                       match=exactly("Case PSD-2025-000001 cannot be closed yet: " + "; ".join(blockers) + ".")):
        close_case(s, act(SUPERVISOR, DAY), policies())


def test_closure_names_the_list_notification_and_the_vetting_review_and_whom_they_concern() -> None:
    s = snapshot()
    for value in (O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT,
                  O.DISMISSAL_WITHOUT_NOTICE):
        s = apply(s, record_misconduct_outcome(s, act(SUPERVISOR, DAY), 10, value, policies()))
    assert closure_blockers(s, policies()) == [
        "the Barred List notification for Alex Carter (dismissal without notice) is not done"]
    serving = snapshot(allegations=[allegation(criminal=True, crime_ref="CR/1")])
    serving = apply(serving, record_criminal_outcome(serving, act(SUPERVISOR, DAY), 10, CriminalOutcome.CONVICTED,
                                                     policies(), offence="Assault"))
    serving = apply(serving, record_misconduct_outcome(serving, act(SUPERVISOR, DAY), 10, O.NO_CASE_TO_ANSWER,
                                                       policies()))
    assert closure_blockers(serving, policies()) == [
        "the vetting review for Alex Carter (conviction (Assault)) is not done"]
    unknown = snapshot(allegations=[allegation(subject_id=555, criminal=True, crime_ref="CR/1")], subjects=[])
    unknown = apply(unknown, record_misconduct_outcome(unknown, act(SUPERVISOR, DAY), 10, O.NO_CASE_TO_ANSWER,
                                                       policies()))
    assert closure_blockers(unknown, policies()) == ["allegation 10 (subject 555) has no criminal outcome"]
    assert ListStatus.BARRED.name == "BARRED"
