"""The reports' read models (app.reports.read_models.AllegationFact) from the database.

One fact per allegation recorded in a period, derived with the workflow rules (app.domain.workflow)
from a *report snapshot* of its case: a CaseSnapshot that holds the case, all its allegations, their
subjects and only the decisions of the kinds the facts read (FACT_KINDS). It is built from two
set-based Core selects of the columns the facts need (allegations with their case and subject;
decisions), both in case order and merged case by case, not from `case_state.load_snapshots`
(every column of the case, its victims, team and every decision, ORM-buffered, for each case in
chunks): on 100,000 cases that read was most of the time of an export.

A report snapshot is complete for `fact()` and for nothing else: fields `fact()` does not read
(names, units, who decided and when, victims, the team) are left at neutral values. Whoever makes
`fact()` read something new adds it here; tests/integration/test_report_facts.py checks that the
facts equal those derived from full snapshots.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from app.domain.calendar import add_working_days
from app.domain.enums import (
    AbuseType,
    AgeBand,
    AggravatingFeature,
    CaseType,
    CriminalOutcome,
    DecisionKind,
    EmploymentStatus,
    Ethnicity,
    IopcDecision,
    MisconductOutcome,
    ReportingRoute,
    RestrictionOption,
    Sex,
    WorkforceType,
)
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import Allegation, Case, CaseSnapshot, Decision, Person
from app.domain.workflow import measures, referral_grounds
from app.domain.workflow.common import history
from app.domain.workflow.investigation import HOME as HOME_BODY
from app.domain.workflow.investigation import investigating_body
from app.domain.workflow.iopc import iopc_decision, referral, referral_due_date
from app.domain.workflow.measures import conduct_start, options_of
from app.domain.workflow.recording import threshold_met_date
from app.persistence.models import AllegationRow, CaseRow, DecisionRow, PersonRow, SettingRow
from app.reports.read_models import AllegationFact

_add_working_days = lru_cache(maxsize=4096)(add_working_days)  # a pure function of (day, days)

_CRIMINAL_KINDS = (DecisionKind.CRIMINAL_OUTCOME, DecisionKind.CHARGE, DecisionKind.CONVICTION)

FACT_KINDS: frozenset[DecisionKind] = frozenset({
    DecisionKind.MISCONDUCT_OUTCOME, *_CRIMINAL_KINDS, DecisionKind.INVESTIGATING_BODY, DecisionKind.THRESHOLD,
    DecisionKind.RESTRICTION, DecisionKind.RESTRICTION_REVIEW, DecisionKind.IOPC_REFERRAL,
    DecisionKind.IOPC_DECISION, DecisionKind.RECORDING, DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION,
    DecisionKind.EXTERNAL_INVESTIGATION_EXCEPTION,
})
"""Every decision kind `fact()` reads (directly or through the workflow functions it calls)."""


# ---- one fact, derived with the workflow rules -------------------------------------------------

def fact(s: CaseSnapshot, a: Allegation, recorded: date, p: PolicySet, today: date, home: str) -> AllegationFact:
    """The fact of allegation `a` of case snapshot `s`, as known on `today` (`home`: the home
    force's code, reported as HOME)."""
    assert a.id is not None
    person = s.subjects[a.subject_id]
    misconduct = history(s, [DecisionKind.MISCONDUCT_OUTCOME], a.id)
    criminal = _criminal_outcome(s, a.id)
    outcome_dates = [d.effective_date for d in misconduct] + ([criminal[1]] if criminal[1] else [])
    body = investigating_body(s, a.id)
    met = threshold_met_date(s, a.id)
    first_restriction = next(iter(history(s, [DecisionKind.RESTRICTION], a.id)), None)
    due, on_time = _review_compliance(s, a.id, p, today)
    ref = referral(s, a.id)
    mandatory = bool(referral_grounds(s, a.id))
    decision = iopc_decision(s, a.id)
    return AllegationFact(
        case_ref=s.case.reference, allegation_id=a.id, subject_id=person.id or 0,
        subject_staff_number=person.staff_number, received_date=s.case.received_date, recorded_date=recorded,
        workforce_type=person.workforce_type, age_band=age_band(person, recorded), rank_or_grade=person.rank_or_grade,
        sex=person.sex, ethnicity=person.ethnicity, abuse_types=a.abuse_types, criminal=a.criminal,
        investigation_mode=decision if isinstance(decision, IopcDecision) else None,
        investigating_body=None if body is None else (HOME_BODY if body in (HOME_BODY, home) else body),
        misconduct_outcomes=frozenset(MisconductOutcome[d.payload["outcome"]] for d in misconduct),
        criminal_outcome=criminal[0], outcome_date=max(outcome_dates, default=None),
        restrictions_imposed=_imposed(s, a.id), subject_employment_status=person.employment_status,
        subject_end_date=person.end_date, threshold_met_date=met,
        restriction_decision_due=_add_working_days(met,
                                                   p.int_on(PolicyName.RESTRICTION_DECISION_DEADLINE_WORKING_DAYS,
                                                            met)) if met else None,
        restriction_decision_date=first_restriction.effective_date if first_restriction else None,
        restriction_reviews_due=due, restriction_reviews_on_time=on_time, iopc_mandatory=mandatory,
        iopc_referred=ref is not None,
        iopc_referral_on_time=(ref.effective_date <= referral_due_date(s, a.id, p)) if (ref and mandatory) else None,
        suspension_on_charge_exception=bool(history(s, [DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION], a.id)),
        external_investigation_exception=bool(history(s, [DecisionKind.EXTERNAL_INVESTIGATION_EXCEPTION], None)),
    )


def _criminal_outcome(s: CaseSnapshot, aid: int) -> tuple[CriminalOutcome | None, date | None]:
    found = history(s, _CRIMINAL_KINDS, aid)
    if not found:
        return None, None
    last = found[-1]
    name = last.payload.get("outcome") or ("CHARGED" if last.kind == DecisionKind.CHARGE else "CONVICTED")
    return CriminalOutcome[name], last.effective_date


def _imposed(s: CaseSnapshot, aid: int) -> frozenset[RestrictionOption]:
    imposed: set[RestrictionOption] = set()
    for d in history(s, [DecisionKind.RESTRICTION, DecisionKind.RESTRICTION_REVIEW], aid):
        imposed |= options_of(d)
    return frozenset(imposed)


def _review_compliance(s: CaseSnapshot, aid: int, p: PolicySet, today: date) -> tuple[int, int]:
    """Reviews that fell due by `today`, and how many were recorded by their due date."""
    timeline = measures(s, aid).timeline
    due = on_time = 0
    for i, (when, options) in enumerate(timeline):
        if not options:
            continue
        weeks = p.optional_int_on(PolicyName.SUSPENSION_REVIEW_WEEKS, conduct_start(s, aid)) \
            if RestrictionOption.SUSPENDED in options else None
        deadline = when + (timedelta(weeks=weeks) if weeks
                           else timedelta(days=p.int_on(PolicyName.RESTRICTION_REVIEW_DAYS, when)))
        if deadline > today:
            continue
        due += 1
        if i + 1 < len(timeline) and timeline[i + 1][0] <= deadline:
            on_time += 1
    return due, on_time


def age_band(person: Person, on: date) -> AgeBand:
    born = person.date_of_birth
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for limit, band in ((18, AgeBand.UNDER_18), (25, AgeBand.AGE_18_24), (35, AgeBand.AGE_25_34),
                        (45, AgeBand.AGE_35_44), (55, AgeBand.AGE_45_54)):
        if age < limit:
            return band
    return AgeBand.AGE_55_PLUS


def home_force_code(session: Session) -> str:
    home = session.get(SettingRow, "home_force")
    return home.value if home else ""


# ---- the light read ------------------------------------------------------------------------

_UNREAD_AT = datetime(1900, 1, 1)  # Decision.decided_at: never read by the rules (see common.py)


class _Parsed:
    """Enumeration names and ';'-joined sets of them, parsed once per distinct text (a period's
    tens of thousands of rows hold a few hundred distinct values)."""

    def __init__(self) -> None:
        self._one: dict[tuple[type[Enum], str | None], Enum | None] = {}
        self._set: dict[tuple[type[Enum], str | None], frozenset[Enum]] = {}

    def one(self, kind: type[Enum], text: str | None) -> Any:
        key = (kind, text)
        if key not in self._one:
            self._one[key] = kind[text] if text else None
        return self._one[key]

    def set(self, kind: type[Enum], text: str | None) -> frozenset[Any]:
        key = (kind, text)
        if key not in self._set:
            self._set[key] = frozenset(kind[t] for t in (text or "").split(";") if t)
        return self._set[key]


def report_snapshots(session: Session, start: date, end: date) -> Iterator[tuple[CaseSnapshot, dict[int, date]]]:
    """The report snapshot of every case with an allegation recorded in [start, end], in case id
    order, each with the recorded dates of those allegations (by allegation id)."""
    session.flush()
    connection = session.connection()  # Core execution: rows stream from the cursor, no ORM layer
    in_period = select(AllegationRow.case_id).where(AllegationRow.recorded_date >= start,
                                                    AllegationRow.recorded_date <= end)
    a, c, pr, d = AllegationRow, CaseRow, PersonRow, DecisionRow
    parse = _Parsed()
    people: dict[int, Person] = {}

    def person(pid: int, row: Any) -> Person:
        found = people.get(pid)
        if found is None:
            found = people[pid] = Person(
                id=pid, staff_number=row.staff_number, surname="", forenames="", date_of_birth=row.date_of_birth,
                workforce_type=parse.one(WorkforceType, row.workforce_type),
                sex=parse.one(Sex, row.sex), ethnicity=parse.one(Ethnicity, row.ethnicity),
                rank_or_grade=row.rank_or_grade,
                employment_status=parse.one(EmploymentStatus, row.employment_status),
                end_date=row.end_date,
            )
        return found

    kinds = {k.name: k for k in FACT_KINDS}
    payloads: dict[str | None, dict[str, Any]] = {None: {}}
    # Both selects are in case order: each case's decisions are taken from the second as its
    # allegations come from the first, so only one case's records are held at a time.
    decision_rows = iter(connection.execute(
        select(d.case_id, d.id, d.allegation_id, d.kind, d.effective_date, cast(d.payload, Text))
        .where(d.case_id.in_(in_period), d.kind.in_(sorted(kinds))).order_by(d.case_id, d.id)
    ))
    pending = next(decision_rows, None)

    def decisions_of(case_id: int) -> tuple[Decision, ...]:
        nonlocal pending
        found = []
        while pending is not None and pending[0] <= case_id:
            cid, did, aid, kind, effective, text = pending
            if cid == case_id:
                payload = payloads.get(text)
                if payload is None:  # the payload's JSON text, decoded once per distinct text
                    payload = payloads[text] = json.loads(text) or {}
                found.append(Decision(id=did, kind=kinds[kind], payload=dict(payload), decided_by=None,
                                      decided_at=_UNREAD_AT, effective_date=effective, allegation_id=aid))
            pending = next(decision_rows, None)
        return tuple(found)

    rows = connection.execute(
        select(a.case_id, a.id, a.subject_id, a.recorded_date, a.victim_refs, a.abuse_types, a.aggravating_features,
               a.conduct_from, a.conduct_to, a.criminal, c.reference, c.received_date, c.reporting_route, c.case_type,
               pr.staff_number, pr.date_of_birth, pr.workforce_type, pr.sex, pr.ethnicity, pr.rank_or_grade,
               pr.employment_status, pr.end_date)
        .join(c, c.id == a.case_id).join(pr, pr.id == a.subject_id)
        .where(a.case_id.in_(in_period)).order_by(a.case_id, a.id)
    )
    current: int | None = None
    case: Case | None = None
    allegations: list[Allegation] = []
    subjects: dict[int, Person] = {}
    recorded: dict[int, date] = {}

    def snapshot() -> tuple[CaseSnapshot, dict[int, date]]:
        assert case is not None and case.id is not None
        return CaseSnapshot(case=case, allegations=tuple(allegations), victims=(), subjects=subjects,
                            decisions=decisions_of(case.id)), recorded

    for row in rows:
        if row.case_id != current:
            if case is not None:
                yield snapshot()
            current = row.case_id
            case = Case(id=row.case_id, reference=row.reference, received_date=row.received_date,
                        reporting_route=parse.one(ReportingRoute, row.reporting_route),
                        case_type=parse.one(CaseType, row.case_type))
            allegations, subjects, recorded = [], {}, {}
        allegations.append(Allegation(
            id=row.id, subject_id=row.subject_id, victim_refs=tuple(v for v in row.victim_refs.split(";") if v),
            abuse_types=parse.set(AbuseType, row.abuse_types),
            aggravating_features=parse.set(AggravatingFeature, row.aggravating_features),
            conduct_from=row.conduct_from, conduct_to=row.conduct_to, criminal=row.criminal))
        subjects[row.subject_id] = person(row.subject_id, row)
        if start <= row.recorded_date <= end:
            recorded[row.id] = row.recorded_date
    if case is not None:
        yield snapshot()


def facts_between(session: Session, start: date, end: date, policy_set: PolicySet,
                  today: date) -> Iterator[AllegationFact]:
    """One AllegationFact per allegation recorded in [start, end], derived with the workflow rules."""
    home = home_force_code(session)
    for snap, recorded in report_snapshots(session, start, end):
        for a in snap.allegations:
            if a.id in recorded:
                yield fact(snap, a, recorded[a.id], policy_set, today, home)
