"""Exports and reports (DOMAIN.md §6): the service builds the read models of app.reports from the
database with the workflow rules, checks the role, and logs each file as a disclosure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.calendar import add_working_days
from app.domain.enums import (
    AccessOperation, AgeBand, CriminalOutcome, DecisionKind, IopcDecision, MisconductOutcome, RestrictionOption,
)
from app.domain.errors import InvalidInput
from app.domain.permissions import Action, allowed, require
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import Allegation, CaseSnapshot, Person, User
from app.domain.workflow import measures, referral_grounds
from app.domain.workflow.common import history
from app.domain.workflow.investigation import HOME as HOME_BODY
from app.domain.workflow.investigation import investigating_body
from app.domain.workflow.iopc import iopc_decision, referral, referral_due_date
from app.domain.workflow.measures import conduct_start, options_of
from app.domain.workflow.recording import threshold_met_date
from app.persistence.models import AllegationRow, HeadcountRow, SettingRow
from app.persistence.uow import UnitOfWork
from app.reports.aggregate import Aggregation
from app.reports.aggregate import aggregate as aggregate_files
from app.reports.annual_pdf import AnnualReport, write_annual_report
from app.reports.breakdowns import compute_outcome_breakdowns
from app.reports.charts import ChartSpec, compliance_chart, outcomes_chart, quarters_chart, time_to_outcome_chart
from app.reports.counting import SurveyCount
from app.reports.files import atomic_path
from app.reports.outcomes import OutcomeBreakdowns, write_outcome_breakdowns
from app.reports.read_models import AllegationFact, Period, ReturnContext
from app.reports.survey_return import write_survey_return
from app.services import audit, clock, installation, policies
from app.services.case_state import load_snapshots

CHUNK = 900
MARKING = "OFFICIAL-SENSITIVE"


# ---- read models -----------------------------------------------------------------------------

def facts_between(session: Session, start: date, end: date, policy_set: PolicySet, today: date) -> Iterator[AllegationFact]:
    """One AllegationFact per allegation recorded in [start, end], derived with the workflow rules."""
    case_ids = sorted(set(session.scalars(select(AllegationRow.case_id).where(
        AllegationRow.recorded_date >= start, AllegationRow.recorded_date <= end))))
    recorded = dict(session.execute(select(AllegationRow.id, AllegationRow.recorded_date).where(
        AllegationRow.recorded_date >= start, AllegationRow.recorded_date <= end)).all())
    home = session.get(SettingRow, "home_force")
    home_code = home.value if home else ""
    for i in range(0, len(case_ids), CHUNK):
        for snap in load_snapshots(session, case_ids[i : i + CHUNK]).values():
            for a in snap.allegations:
                if a.id in recorded:
                    yield _fact(snap, a, recorded[a.id], policy_set, today, home_code)


def _fact(s: CaseSnapshot, a: Allegation, recorded: date, p: PolicySet, today: date, home: str) -> AllegationFact:
    assert a.id is not None
    person = s.subjects[a.subject_id]
    misconduct = [d for d in history(s, [DecisionKind.MISCONDUCT_OUTCOME], a.id)]
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
        restriction_decision_due=add_working_days(met, p.int_on(PolicyName.RESTRICTION_DECISION_DEADLINE_WORKING_DAYS, met)) if met else None,
        restriction_decision_date=first_restriction.effective_date if first_restriction else None,
        restriction_reviews_due=due, restriction_reviews_on_time=on_time, iopc_mandatory=mandatory,
        iopc_referred=ref is not None,
        iopc_referral_on_time=(ref.effective_date <= referral_due_date(s, a.id, p)) if (ref and mandatory) else None,
        suspension_on_charge_exception=bool(history(s, [DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION], a.id)),
        external_investigation_exception=bool(history(s, [DecisionKind.EXTERNAL_INVESTIGATION_EXCEPTION], None)),
    )


_CRIMINAL_KINDS = [DecisionKind.CRIMINAL_OUTCOME, DecisionKind.CHARGE, DecisionKind.CONVICTION]


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
        deadline = when + (timedelta(weeks=weeks) if weeks else timedelta(days=p.int_on(PolicyName.RESTRICTION_REVIEW_DAYS, when)))
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


def context(uow: UnitOfWork, actor: User, period: Period, headcount_year: int | None) -> ReturnContext:
    force = installation.home_force(uow)
    with uow:
        s = uow.session
        p = policies.load(s)
        count = s.get(HeadcountRow, headcount_year) if headcount_year else None
        previous = s.get(HeadcountRow, headcount_year - 1) if headcount_year else None
        systems = s.get(SettingRow, installation.SYSTEMS_USED)
        return ReturnContext(
            force_code=force.code, force_name=force.name, period=period, exported_by=actor.username,
            exported_at=clock.now(), systems_used=systems.value if systems else installation.DEFAULT_SYSTEMS_USED,
            headcount=count.total if count else None,
            role_restriction_guidance=p.coverage_on(PolicyName.ROLE_RESTRICTION_GUIDANCE, period.end),
            external_investigation_guidance=p.coverage_on(PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE, period.end),
            previous_headcount=previous.total if previous else None,
        )


def _facts(uow: UnitOfWork, start: date, end: date) -> list[AllegationFact]:
    with uow:
        s = uow.session
        return list(facts_between(s, start, end, policies.load(s), clock.today()))


def _disclose(uow: UnitOfWork, actor: User, what: str, out: Path, detail: str) -> None:
    with uow:
        audit.record(uow.session, actor, AccessOperation.DISCLOSURE, what, out.name,
                     recipient=f"file {out.name} ({MARKING})", detail=detail)
        uow.commit()


@contextmanager
def _disclosing(uow: UnitOfWork, actor: User, what: str, out: Path, detail: str) -> Iterator[Path]:
    """A temporary path for the file, which takes its name only once its disclosure is committed:
    a crash leaves the previous file (and at most the entry), never a file whose disclosure is not
    in the access log."""
    with atomic_path(out) as temp:
        yield temp
        _disclose(uow, actor, what, out, detail)


# ---- the exports -----------------------------------------------------------------------------

def _check_year(year: int) -> None:
    if not 2000 <= year <= clock.today().year + 1:
        raise InvalidInput(f"{year} is not a survey year: give the year in which the period ends on 31 March.")


def survey_return(uow: UnitOfWork, actor: User, year: int, out: Path) -> SurveyCount:
    """`export survey-return --year Y`: the Commissioner's return for 1 April Y-1 to 31 March Y."""
    require(actor, Action.EXPORT_RETURN)
    _check_year(year)
    period = Period.survey_year(year)
    ctx = context(uow, actor, period, year)
    facts = _facts(uow, period.start, period.end)
    with _disclosing(uow, actor, "survey_return", out, f"survey return {period.label}") as temp:
        return write_survey_return(temp, facts, ctx)


def outcome_breakdowns(uow: UnitOfWork, actor: User, start: date, end: date, out: Path) -> OutcomeBreakdowns:
    """`export outcomes --from --to`: the breakdowns workbook for the IOPC liaison and force lead."""
    require(actor, Action.EXPORT_RETURN)
    if start > end:
        raise InvalidInput(f"--from {start.isoformat()} is after --to {end.isoformat()}.")
    period = Period(start, end)
    ctx = context(uow, actor, period, end.year if (end.month, end.day) == (3, 31) else None)
    facts = _facts(uow, start, end)
    with _disclosing(uow, actor, "outcome_breakdowns", out, f"outcome breakdowns {period.long_label}") as temp:
        return write_outcome_breakdowns(temp, facts, ctx)


def annual_report(uow: UnitOfWork, actor: User, year: int, out: Path) -> AnnualReport:
    """`report annual --year Y`: the force lead's PDF, this survey year against the previous one."""
    require(actor, Action.ANNUAL_REPORT)
    _check_year(year)
    period = Period.survey_year(year)
    ctx = context(uow, actor, period, year)
    previous = period.previous_year()
    facts = _facts(uow, previous.start, period.end)
    with _disclosing(uow, actor, "annual_report", out, f"annual report {period.label}") as temp:
        return write_annual_report(temp, facts, ctx)


def aggregate(uow: UnitOfWork, actor: User, files: Sequence[Path], out: Path) -> Aggregation:
    """`aggregate FILE... --out FILE`: the Commissioner's national view of many forces' returns."""
    require(actor, Action.AGGREGATE)
    if not files:
        raise InvalidInput("Give at least one survey-return workbook to aggregate.")
    with _disclosing(uow, actor, "national_aggregation", out, f"{len(files)} returns read") as temp:
        return aggregate_files(files, temp, actor.username, clock.now())


# ---- the window's dashboard --------------------------------------------------------------------

def dashboard(uow: UnitOfWork, actor: User, year: int) -> tuple[ChartSpec, ...]:
    """The annual report's charts for survey year `year` (against the previous year), for the
    window's dashboard: the same ChartSpecs the PDF draws, counts of 1 to 4 suppressed. Logged as
    a consultation (aggregate figures only, no file leaves the system)."""
    if not (allowed(actor, Action.EXPORT_RETURN) or allowed(actor, Action.ANNUAL_REPORT)):
        require(actor, Action.EXPORT_RETURN)  # refused with the usual message
    _check_year(year)
    period = Period.survey_year(year)
    ctx = context(uow, actor, period, year)
    facts = _facts(uow, period.previous_year().start, period.end)
    current = compute_outcome_breakdowns(facts, period, ctx)
    previous = compute_outcome_breakdowns(facts, period.previous_year(), ctx, breakdown_keys={"quarter"})
    compare = previous if previous.counted else None
    with uow:
        audit.record(uow.session, actor, AccessOperation.CONSULTATION, "dashboard", None,
                     detail=f"dashboard {period.label}")
        uow.commit()
    return (outcomes_chart(current, compare), quarters_chart(current, compare),
            compliance_chart(current, compare), time_to_outcome_chart(current, compare))
