"""Time the reporting layer on 100,000 synthetic allegations, or the facts read from a database.

    python benchmarks/reports_bench.py [--allegations N] [--out DIR]
    python benchmarks/reports_bench.py --db sqlite:////tmp/ppda-reports-100k.db [--year 2024]

Targets (DOMAIN.md §6, on an office PC): survey return (counting and writing) well under 5 s so
that the service's database query fits in the budget; annual report PDF under 10 s. Both are
measured end to end as CLI commands too (docs/benchmarks.md, "Reports").

With --db, the facts of survey year Y and of the annual report's two years are read from the
database (made by benchmarks/import_bench.py, say) the way the reporting service reads them.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.enums import (
    AbuseType,
    AgeBand,
    CriminalOutcome,
    EmploymentStatus,
    Ethnicity,
    GuidanceCoverage,
    IopcDecision,
    MisconductOutcome,
    RestrictionOption,
    Sex,
    WorkforceType,
)
from app.reports.read_models import AllegationFact, Period, ReturnContext

_OUTCOME_SETS = [
    frozenset(),
    frozenset({MisconductOutcome.NO_CASE_TO_ANSWER}),
    frozenset(
        {
            MisconductOutcome.CASE_TO_ANSWER_MISCONDUCT,
            MisconductOutcome.MISCONDUCT_MEETING,
            MisconductOutcome.MISCONDUCT,
            MisconductOutcome.WRITTEN_WARNING,
        }
    ),
    frozenset({MisconductOutcome.REFLECTIVE_PRACTICE}),
    frozenset(
        {
            MisconductOutcome.CASE_TO_ANSWER_GROSS_MISCONDUCT,
            MisconductOutcome.MISCONDUCT_HEARING,
            MisconductOutcome.GROSS_MISCONDUCT,
            MisconductOutcome.DISMISSAL_WITHOUT_NOTICE,
        }
    ),
    frozenset(
        {
            MisconductOutcome.CASE_TO_ANSWER_GROSS_MISCONDUCT,
            MisconductOutcome.MISCONDUCT_HEARING,
            MisconductOutcome.GROSS_MISCONDUCT,
            MisconductOutcome.FINAL_WRITTEN_WARNING,
        }
    ),
    frozenset({MisconductOutcome.WOULD_HAVE_BEEN_DISMISSED}),
]
_OUTCOME_WEIGHTS = [30, 35, 8, 15, 4, 5, 3]
_RESTRICTIONS = [
    frozenset(),
    frozenset({RestrictionOption.NO_RESTRICTION}),
    frozenset({RestrictionOption.RESTRICTED_DUTIES, RestrictionOption.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES}),
    frozenset({RestrictionOption.SUSPENDED}),
]
_RANKS = ["PC", "PS", "Insp", "DC", "DS", "Ch Insp", "Band C", "Band D", None]


def synthesize(count: int, period: Period, seed: int = 7) -> list[AllegationFact]:
    """`count` allegations recorded in `period`, about 0.7 subjects per allegation."""
    rng = random.Random(seed)
    start = period.start
    span = (period.end - start).days
    subjects = max(1, int(count * 0.7))
    facts = []
    people: dict[int, dict[str, object]] = {}
    for i in range(count):
        subject = rng.randrange(subjects)
        person = people.setdefault(subject, {  # what belongs to the person is the same in each allegation
            "workforce_type": rng.choices(list(WorkforceType), [60, 3, 7, 27, 2, 1])[0],
            "rank_or_grade": rng.choice(_RANKS), "sex": rng.choices([*list(Sex), None], [10, 85, 1, 2, 2])[0],
            "ethnicity": rng.choice(list(Ethnicity)),
        })
        recorded = start + timedelta(days=rng.randrange(span + 1))
        outcomes = rng.choices(_OUTCOME_SETS, _OUTCOME_WEIGHTS)[0]
        outcome_date = recorded + timedelta(days=rng.randrange(30, 500)) if outcomes else None
        status = rng.choices(
            [
                EmploymentStatus.SERVING,
                EmploymentStatus.RESIGNED,
                EmploymentStatus.RETIRED,
                EmploymentStatus.DISMISSED,
            ],
            [85, 8, 3, 4],
        )[0]
        threshold = recorded + timedelta(days=rng.randrange(0, 20)) if rng.random() < 0.6 else None
        due = threshold + timedelta(days=2) if threshold else None
        mandatory = rng.random() < 0.1
        referred = (mandatory and rng.random() < 0.9) or rng.random() < 0.03
        facts.append(
            AllegationFact(
                case_ref=f"PSD-{recorded.year}-{i:06d}",
                allegation_id=i + 1,
                subject_id=subject,
                subject_staff_number=f"S{subject:06d}",
                received_date=recorded - timedelta(days=rng.randrange(0, 5)),
                recorded_date=recorded,
                age_band=rng.choice(list(AgeBand)),
                **person,  # type: ignore[arg-type]
                abuse_types=frozenset(rng.sample(list(AbuseType), rng.randint(1, 3))),
                criminal=rng.random() < 0.4,
                investigation_mode=rng.choice(list(IopcDecision)) if referred else None,
                investigating_body=rng.choices(["HOME", "IOPC", "kent", None], [75, 3, 12, 10])[0],
                misconduct_outcomes=outcomes,
                criminal_outcome=rng.choices(
                    [None, CriminalOutcome.NO_FURTHER_ACTION, CriminalOutcome.CONVICTED], [70, 25, 5]
                )[0],
                outcome_date=outcome_date,
                restrictions_imposed=rng.choice(_RESTRICTIONS) if threshold else frozenset(),
                subject_employment_status=status,
                subject_end_date=recorded + timedelta(days=rng.randrange(-30, 400))
                if status.has_left
                else None,
                threshold_met_date=threshold,
                restriction_decision_due=due,
                restriction_decision_date=(due + timedelta(days=rng.randrange(-2, 4)))
                if due and rng.random() < 0.95
                else None,
                restriction_reviews_due=(reviews := rng.randrange(0, 6) if threshold else 0),
                restriction_reviews_on_time=sum(rng.random() < 0.85 for _ in range(reviews)),
                iopc_mandatory=mandatory,
                iopc_referred=referred,
                iopc_referral_on_time=(rng.random() < 0.8) if mandatory and referred else None,
            )
        )
    return facts


def context(year: int) -> ReturnContext:
    return ReturnContext(
        force_code="kent",
        force_name="Kent Police",
        period=Period.survey_year(year),
        exported_by="bench",
        exported_at=datetime(year, 5, 2, 9, 30),
        systems_used="Centurion; PPDA Tracker",
        headcount=400_000,
        role_restriction_guidance=GuidanceCoverage.SOME,
        external_investigation_guidance=GuidanceCoverage.ALL,
        previous_headcount=390_000,
    )


def timed(label: str, action):  # type: ignore[no-untyped-def]
    """Run `action`, print wall-clock and CPU seconds (CPU time is steadier on a busy machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    print(f"{label:<56} {time.perf_counter() - started:6.2f} s wall {time.process_time() - cpu:6.2f} s CPU")
    return result


def read_facts(url: str, year: int) -> None:
    """The service's database read alone (app.services.report_facts), best of three."""
    from app.persistence.database import open_database
    from app.persistence.uow import UnitOfWork
    from app.services import clock, policies, report_facts

    db = open_database(url)
    period = Period.survey_year(year)
    for label, start in ((f"facts of survey year {period.label}", period.start),
                         ("facts of the annual report's two years", period.previous_year().start)):
        best: tuple[float, float, int] = (float("inf"), float("inf"), 0)
        for _ in range(3):
            with UnitOfWork(db.session_factory) as uow:
                s = uow.session
                started, cpu = time.perf_counter(), time.process_time()
                count = len(list(report_facts.facts_between(s, start, period.end, policies.load(s), clock.today())))
                best = min(best, (time.perf_counter() - started, time.process_time() - cpu, count))
        print(f"{label + f' ({best[2]:,})':<56} {best[0]:6.2f} s wall {best[1]:6.2f} s CPU (best of 3)")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allegations", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--db", metavar="URL", help="read the facts from this database instead")
    parser.add_argument("--year", type=int, default=2024, help="with --db: the survey year")
    args = parser.parse_args()
    if args.db:
        read_facts(args.db, args.year)
        return
    out = args.out or Path(tempfile.mkdtemp(prefix="reports-bench-"))
    year = 2024
    ctx = context(year)
    facts = timed(
        f"synthesize {args.allegations:,} facts (not in target)",
        lambda: synthesize(args.allegations, ctx.period),
    )
    earlier = synthesize(args.allegations * 9 // 10, ctx.period.previous_year(), seed=8)

    from app.reports.annual_pdf import write_annual_report
    from app.reports.counting import count_survey_return
    from app.reports.outcomes import write_outcome_breakdowns
    from app.reports.survey_return import write_survey_return

    count = timed("count survey return", lambda: count_survey_return(facts, ctx))
    print(f"  {count.figures.allegations:,} allegations, {count.figures.individuals:,} individuals")
    timed(
        "count + write survey return (.xlsx)   [< 5 s]",
        lambda: write_survey_return(out / "return.xlsx", facts, ctx),
    )
    timed(
        "outcome breakdowns workbook (.xlsx)",
        lambda: write_outcome_breakdowns(out / "outcomes.xlsx", facts, ctx),
    )
    both = facts + earlier
    timed(
        f"annual report PDF, {len(both):,} facts over 2 years [< 10 s]",
        lambda: write_annual_report(out / "annual.pdf", both, ctx),
    )
    print(f"  files in {out}")


if __name__ == "__main__":
    main()
