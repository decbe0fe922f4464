"""Exports and reports (DOMAIN.md §6): the service builds the read models of app.reports from the
database with the workflow rules (app.services.report_facts), checks the role, and logs each file as
a disclosure. The writers are imported by the export that uses them (openpyxl and reportlab take a
noticeable part of a command's start-up)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.enums import AccessOperation
from app.domain.errors import InvalidInput
from app.domain.permissions import Action, allowed, require
from app.domain.policy import PolicyName
from app.domain.records import User
from app.persistence.models import HeadcountRow, SettingRow
from app.persistence.uow import UnitOfWork
from app.reports.breakdowns import OutcomeBreakdowns
from app.reports.counting import SurveyCount
from app.reports.files import atomic_path
from app.reports.read_models import AllegationFact, Period, ReturnContext
from app.services import audit, clock, installation, policies, report_facts
from app.services.report_facts import age_band

if TYPE_CHECKING:  # the writers import openpyxl or reportlab: each command imports only its own
    from app.reports.aggregate import Aggregation
    from app.reports.annual_pdf import AnnualReport
    from app.reports.charts import ChartSpec
    from app.reports.figures import PublishedFigures

__all__ = ["age_band", "aggregate", "aggregate_files", "annual_report", "context", "dashboard", "outcome_breakdowns",
           "survey_return"]

MARKING = "OFFICIAL-SENSITIVE"


# ---- read models -----------------------------------------------------------------------------

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
            exported_at=clock.local_now(), systems_used=systems.value if systems else installation.DEFAULT_SYSTEMS_USED,
            headcount=count.total if count else None,
            role_restriction_guidance=p.coverage_on(PolicyName.ROLE_RESTRICTION_GUIDANCE, period.end),
            external_investigation_guidance=p.coverage_on(PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE, period.end),
            previous_headcount=previous.total if previous else None,
        )


def _facts(uow: UnitOfWork, start: date, end: date) -> list[AllegationFact]:
    with uow:
        s = uow.session
        return list(report_facts.facts_between(s, start, end, policies.load(s), clock.today()))


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
    from app.reports.survey_return import write_survey_return

    case_level = allowed(actor, Action.READ_CASE)  # FORMATS.md: no Allegations sheet for aggregates-only
    detail = f"survey return {period.label}" + ("" if case_level else " (aggregate sheets only)")
    with _disclosing(uow, actor, "survey_return", out, detail) as temp:
        return write_survey_return(temp, facts, ctx, case_level)


def outcome_breakdowns(uow: UnitOfWork, actor: User, start: date, end: date, out: Path
                       ) -> OutcomeBreakdowns | PublishedFigures:
    """`export outcomes --from --to`: the breakdowns workbook for the IOPC liaison and force lead.
    A user who may read case content gets the exact breakdowns; a reader of aggregates only (the
    force lead) gets the disclosure-controlled figures of the annual report (DOMAIN.md §6-7)."""
    require(actor, Action.EXPORT_RETURN)
    if start > end:
        raise InvalidInput(f"--from {start.isoformat()} is after --to {end.isoformat()}.")
    period = Period(start, end)
    ctx = context(uow, actor, period, end.year if (end.month, end.day) == (3, 31) else None)
    exact = allowed(actor, Action.READ_CASE)
    facts = _facts(uow, period.previous_year().start if (period.is_survey_year and not exact) else start, end)
    detail = f"outcome breakdowns {period.long_label}" + ("" if exact else " (protected figures)")
    with _disclosing(uow, actor, "outcome_breakdowns", out, detail) as temp:
        if exact:
            from app.reports.outcomes import write_outcome_breakdowns

            return write_outcome_breakdowns(temp, facts, ctx)
        from app.reports.published_workbook import write_published_outcomes

        return write_published_outcomes(temp, facts, ctx)


def annual_report(uow: UnitOfWork, actor: User, year: int, out: Path) -> AnnualReport:
    """`report annual --year Y`: the force lead's PDF, this survey year against the previous one."""
    require(actor, Action.ANNUAL_REPORT)
    _check_year(year)
    period = Period.survey_year(year)
    ctx = context(uow, actor, period, year)
    previous = period.previous_year()
    facts = _facts(uow, previous.start, period.end)
    from app.reports.annual_pdf import write_annual_report

    with _disclosing(uow, actor, "annual_report", out, f"annual report {period.label}") as temp:
        return write_annual_report(temp, facts, ctx)


def aggregate(uow: UnitOfWork, actor: User, files: Sequence[Path], out: Path, pdf: Path | None = None) -> Aggregation:
    """The national aggregation from the window: as `aggregate_files`, with the signed-in user's
    role checked and each file written logged as a disclosure."""
    require(actor, Action.AGGREGATE)
    with _disclosing(uow, actor, "national_aggregation", out, f"{len(files)} returns read") as temp:
        result = aggregate_files(files, temp, pdf=None, produced_by=actor.username)
    if pdf is not None:
        with _disclosing(uow, actor, "national_report", pdf, f"national report from {len(files)} returns") as temp:
            from app.reports.national_pdf import write_national_pdf

            write_national_pdf(temp, result, actor.username, clock.local_now())
    return result


def aggregate_files(files: Sequence[Path], out: Path, pdf: Path | None, produced_by: str) -> Aggregation:
    """`aggregate FILE... --out FILE [--pdf FILE]`: the Commissioner's national workbook (exact sums
    and each force's figures) and, optionally, the national report PDF (disclosure-controlled). Reads
    files only: no database, no account (FORMATS.md); returns that break the layout, name an unknown
    force or repeat one are reported with the reason and not counted. Nothing is written unless
    everything is (the PDF is refused if its disclosure check fails)."""
    if not files:
        raise InvalidInput("Give at least one survey-return workbook to aggregate.")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise InvalidInput(f"No such file: {', '.join(missing)}")
    from app.reports.aggregate import aggregate_returns, write_national

    result = aggregate_returns(files)
    now = clock.local_now()
    if pdf is None:
        write_national(out, result, produced_by, now)
        return result
    from app.reports.national_pdf import write_national_pdf

    with atomic_path(pdf) as staged:
        write_national_pdf(staged, result, produced_by, now)
        write_national(out, result, produced_by, now)
    return result


# ---- the window's dashboard --------------------------------------------------------------------

def dashboard(uow: UnitOfWork, actor: User, year: int) -> tuple[ChartSpec, ...]:
    """The annual report's charts for survey year `year` (against the previous year), for the
    window's dashboard: the same audited publication the PDF prints (so the two never differ and
    together say no more than the PDF). Logged as a consultation (aggregate figures only, no file
    leaves the system)."""
    if not (allowed(actor, Action.EXPORT_RETURN) or allowed(actor, Action.ANNUAL_REPORT)):
        require(actor, Action.EXPORT_RETURN)  # refused with the usual message
    _check_year(year)
    period = Period.survey_year(year)
    ctx = context(uow, actor, period, year)
    facts = _facts(uow, period.previous_year().start, period.end)
    from app.reports.annual_pdf import annual_figures
    from app.reports.charts import all_charts

    figures = annual_figures(facts, ctx)
    with uow:
        audit.record(uow.session, actor, AccessOperation.CONSULTATION, "dashboard", None,
                     detail=f"dashboard {period.label}")
        uow.commit()
    return all_charts(figures)
