"""Outcome breakdowns (DOMAIN.md §6): the tables, and the workbook read back."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from app.domain.enums import (
    AbuseType,
    IopcDecision,
    MisconductOutcome,
    RestrictionOption,
    WorkforceType,
)
from app.reports.breakdowns import (
    BODY_INTERNAL,
    BODY_IOPC,
    BODY_OTHER_FORCE,
    BODY_UNDECIDED,
    NOT_RECORDED,
    breakdown,
    dimensions,
    iopc_referrals,
    quarters,
    restriction_compliance,
    time_to_outcome,
)
from app.reports.counting import BUCKET_LABELS, Bucket, count_period, count_survey_return
from app.reports.marking import MARKING
from app.reports.outcomes import write_outcome_breakdowns
from app.reports.read_models import AllegationFact, Period
from tests.unit.reports.report_factories import PERIOD, FactFactory, make_context

M = MisconductOutcome
AS_OF = date(2024, 5, 2)


def table(facts: list[AllegationFact], key: str) -> dict[str, tuple[int, int]]:
    counted = count_period(facts, PERIOD)
    dim = next(d for d in dimensions(PERIOD) if d.key == key)
    return {r.label: (r.allegations, r.individuals) for r in breakdown(counted, dim).rows}


def test_workforce_types_are_all_listed_in_order_with_distinct_individuals(fact: FactFactory) -> None:
    facts = [
        fact(subject=1),
        fact(subject=1),
        fact(subject=2, workforce_type=WorkforceType.POLICE_STAFF),
    ]
    got = table(facts, "workforce_type")
    assert list(got) == [w.name for w in WorkforceType]
    assert got["POLICE_OFFICER"] == (2, 1)
    assert got["POLICE_STAFF"] == (1, 1)
    assert got["PCSO"] == (0, 0)


def test_an_allegation_counts_under_each_of_its_abuse_types(fact: FactFactory) -> None:
    facts = [fact(abuse_types=frozenset({AbuseType.PHYSICAL, AbuseType.NON_FATAL_STRANGULATION})), fact()]
    counted = count_period(facts, PERIOD)
    b = breakdown(counted, next(d for d in dimensions(PERIOD) if d.key == "abuse_type"))
    assert b.multi_valued
    assert b.row("PHYSICAL").allegations == 2
    assert b.row("NON_FATAL_STRANGULATION").allegations == 1
    assert b.total.allegations == 2


def test_quarters_follow_the_financial_year_and_split_on_the_boundary(fact: FactFactory) -> None:
    assert quarters(PERIOD) == ("Apr–Jun 2023", "Jul–Sep 2023", "Oct–Dec 2023", "Jan–Mar 2024")
    facts = [
        fact(recorded=date(2023, 6, 30)),
        fact(recorded=date(2023, 7, 1)),
        fact(recorded=date(2024, 3, 31)),
    ]
    got = table(facts, "quarter")
    assert [got[q][0] for q in quarters(PERIOD)] == [1, 1, 0, 1]


def test_investigating_body_internal_and_external(fact: FactFactory) -> None:
    facts = [
        fact(investigating_body="HOME"),
        fact(investigating_body="essex"),
        fact(investigating_body="IOPC"),
        fact(investigating_body=None),
    ]
    assert [f.external for f in facts] == [False, True, True, False]
    got = table(facts, "investigating_body")
    assert {label: n for label, (n, _) in got.items()} == {
        BODY_INTERNAL: 1,
        BODY_OTHER_FORCE: 1,
        BODY_IOPC: 1,
        BODY_UNDECIDED: 1,
    }


def test_investigation_mode_distinguishes_not_referred_from_awaiting_a_decision(fact: FactFactory) -> None:
    facts = [
        fact(),
        fact(iopc_referred=True),
        fact(iopc_referred=True, investigation_mode=IopcDecision.DIRECTED_INVESTIGATION),
    ]
    got = table(facts, "investigation_mode")
    assert got["NOT_REFERRED"][0] == got["AWAITING_IOPC_DECISION"][0] == got["DIRECTED_INVESTIGATION"][0] == 1


def test_ranks_are_free_text_biggest_first_with_not_recorded_last(fact: FactFactory) -> None:
    facts = [
        fact(rank_or_grade=None),
        fact(rank_or_grade="DS"),
        fact(rank_or_grade="PC"),
        fact(rank_or_grade="PC"),
    ]
    assert list(table(facts, "rank")) == ["PC", "DS", NOT_RECORDED]


def test_outcome_columns_use_the_survey_buckets(fact: FactFactory) -> None:
    facts = [fact(misconduct_outcomes=frozenset({M.NO_CASE_TO_ANSWER})), fact()]
    counted = count_period(facts, PERIOD)
    b = breakdown(counted, next(d for d in dimensions(PERIOD) if d.key == "workforce_type"))
    assert b.row("POLICE_OFFICER").outcome(Bucket.NO_CASE_TO_ANSWER) == 1
    assert b.total.outcome(Bucket.ONGOING) == 1


def test_time_from_receipt_to_outcome(fact: FactFactory) -> None:
    received = date(2023, 5, 1)

    def decided(days: int) -> AllegationFact:
        return fact(recorded=received, received_date=received, outcome_date=received + timedelta(days=days))

    facts = [decided(90), decided(91), decided(365), decided(366), fact(received_date=date(2023, 4, 2))]
    t = time_to_outcome(count_period(facts, PERIOD), AS_OF)
    assert t.with_outcome == 4
    assert t.median_days == 228
    assert dict(t.bands) == {
        "Up to 90 days": 1,
        "91 to 182 days": 1,
        "183 to 365 days": 1,
        "Over 365 days": 1,
    }
    assert (t.open_allegations, t.open_over_12_months) == (1, 1)


def test_restriction_decision_and_review_compliance(fact: FactFactory) -> None:
    due = date(2023, 6, 5)
    facts = [
        fact(threshold_met_date=date(2023, 6, 1), restriction_decision_due=due, restriction_decision_date=due),
        fact(restriction_decision_due=due, restriction_decision_date=due + timedelta(days=1)),
        fact(restriction_decision_due=due),  # overdue at AS_OF
        fact(restriction_decision_due=AS_OF),  # due today: not yet late
        fact(restriction_reviews_due=3, restriction_reviews_on_time=2,
             restrictions_imposed=frozenset({RestrictionOption.NO_RESTRICTION})),
    ]  # fmt: skip
    r = restriction_compliance(count_period(facts, PERIOD), AS_OF)
    assert (r.decisions_due, r.decided_on_time, r.decided_late, r.overdue_undecided, r.not_yet_due) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert (r.threshold_met, r.reviews_due, r.reviews_on_time, r.no_restriction_decisions) == (1, 3, 2, 1)


def test_iopc_referral_rates(fact: FactFactory) -> None:
    facts = [
        fact(iopc_mandatory=True, iopc_referred=True, iopc_referral_on_time=True),
        fact(iopc_mandatory=True, iopc_referred=True, iopc_referral_on_time=False),
        fact(iopc_mandatory=True),
        fact(iopc_referred=True, investigation_mode=IopcDecision.LOCAL_INVESTIGATION),
        fact(),
    ]
    r = iopc_referrals(count_period(facts, PERIOD))
    assert (r.allegations, r.mandatory, r.mandatory_referred, r.mandatory_referred_on_time) == (5, 3, 2, 1)
    assert (r.mandatory_not_referred, r.voluntary_referred, r.referred) == (1, 1, 3)
    assert dict(r.decisions)["LOCAL_INVESTIGATION"] == 1
    assert dict(r.decisions)["AWAITING_IOPC_DECISION"] == 2


@pytest.fixture
def workbook_facts(fact: FactFactory) -> list[AllegationFact]:
    return [
        fact(subject=1, misconduct_outcomes=frozenset({M.NO_CASE_TO_ANSWER}), outcome_date=date(2023, 9, 1)),
        fact(subject=1, recorded=date(2023, 10, 2), misconduct_outcomes=frozenset({M.DISMISSAL_WITHOUT_NOTICE}),
             outcome_date=date(2024, 1, 9)),
        fact(subject=2, recorded=date(2024, 2, 2), workforce_type=WorkforceType.PCSO, rank_or_grade="PCSO"),
        fact(subject=3, recorded=date(2022, 2, 2)),
    ]  # fmt: skip


def test_workbook_layout_marking_and_figures(tmp_path: Path, workbook_facts: list[AllegationFact]) -> None:
    out = tmp_path / "outcomes.xlsx"
    context = make_context()
    write_outcome_breakdowns(out, workbook_facts, context)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Summary", "Workforce type", "Rank or grade", "Abuse type", "Investigation mode", "Investigating body",
        "Quarter recorded", "Sex", "Ethnicity", "Age band at recording", "Time to outcome", "Restrictions",
        "IOPC referrals", "Notes",
    ]  # fmt: skip
    for ws in wb.worksheets:
        assert ws["A1"].value == MARKING, ws.title
        assert ws.oddHeader.center.text == MARKING and ws.oddFooter.center.text == MARKING, ws.title
        assert ws.freeze_panes in ("A6", "B6"), ws.title
    summary = {r[0]: r[1:] for r in wb["Summary"].iter_rows(min_row=6, values_only=True) if r[0]}
    survey = count_survey_return(workbook_facts, context).figures
    for o in survey.outcomes:  # individuals agree with the survey return; outcomes read as words
        assert summary[BUCKET_LABELS[o.bucket]][1] == o.individuals
    assert summary["All allegations"][:2] == (3, 2)
    ws = wb["Workforce type"]
    assert [c.value for c in ws[5]][:4] == [
        "Workforce type",
        "Allegations",
        "Individuals",
        "No case to answer",
    ]
    body = {r[0]: r[1:] for r in ws.iter_rows(min_row=6, max_row=12, values_only=True)}
    assert body["Police officer"][:2] == (2, 1)
    assert body["PCSO"][:2] == (1, 1)
    assert body["Total"][:2] == (3, 2)
    assert ws.cell(row=12, column=1).font.b
    assert len(wb["Summary"]._charts) == 1 and len(wb["Quarter recorded"]._charts) == 1
    assert wb["Summary"].column_dimensions["A"].width >= 26
    for ws in wb.worksheets:  # printed: A4, one page wide, the table header on every page
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$5:$5", ws.title
    notes = wb["Notes"]
    long_rows = [r for r in range(6, notes.max_row + 1) if len(str(notes.cell(row=r, column=2).value or "")) > 120]
    assert long_rows and all((notes.row_dimensions[r].height or 0) >= 30 for r in long_rows)  # not printed on one line


def test_outcomes_for_any_date_range(tmp_path: Path, fact: FactFactory) -> None:
    period = Period(date(2023, 5, 15), date(2023, 8, 10))
    out = tmp_path / "outcomes.xlsx"
    data = write_outcome_breakdowns(out, [fact(recorded=date(2023, 5, 15)), fact(recorded=date(2023, 8, 11))],
                                    make_context(period=period))  # fmt: skip
    assert len(data.counted) == 1
    labels = [
        r[0] for r in openpyxl.load_workbook(out)["Quarter recorded"].iter_rows(min_row=6, values_only=True)
    ]
    assert labels == ["Apr–Jun 2023", "Jul–Sep 2023", "Total"]
