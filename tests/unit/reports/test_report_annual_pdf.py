"""The annual report: small-number suppression everywhere, marking and page numbers on every page."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import MisconductOutcome, RestrictionOption, WorkforceType
from app.reports.annual_pdf import write_annual_report
from app.reports.breakdowns import compute_outcome_breakdowns
from app.reports.charts import ChartKind, ChartSpec, Series, outcomes_chart, quarters_chart
from app.reports.commentary import commentary
from app.reports.counting import BUCKET_LABELS, BUCKETS, Bucket
from app.reports.marking import MARKING
from app.reports.read_models import AllegationFact
from app.reports.suppression import show_count, show_rate, show_statistic
from tests.unit.reports.report_factories import PERIOD, FactFactory, make_context

M = MisconductOutcome
OFFICER = WorkforceType.POLICE_OFFICER


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1,234")])
def test_counts_of_1_to_4_are_suppressed(count: int, shown: str) -> None:
    assert show_count(count) == shown


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (5, 10, "50.0%"),
        (3, 10, "–"),  # numerator suppressed
        (7, 10, "–"),  # the complement (3) would be revealed
        (0, 3, "–"),  # denominator suppressed
        (0, 10, "0.0%"),
        (10, 10, "100.0%"),
        (0, 0, "–"),
    ],
)
def test_rates_that_would_reveal_a_small_count_are_withheld(part: int, whole: int, shown: str) -> None:
    assert show_rate(part, whole) == shown


def test_statistics_of_fewer_than_5_items_are_withheld() -> None:
    assert show_statistic(120.0, 4, " days") == "–"
    assert show_statistic(120.4, 5, " days") == "120 days"


@pytest.fixture
def facts(fact: FactFactory) -> list[AllegationFact]:
    """2023/24: 12 people, 3 dismissed, 1 PCSO; 2022/23: 6 allegations, 2 dismissed."""
    current = [
        fact(subject=s, recorded=date(2023, 4 + s % 8, 3), misconduct_outcomes=frozenset({M.NO_CASE_TO_ANSWER}),
             outcome_date=date(2024, 1, 5), restrictions_imposed=frozenset({RestrictionOption.RESTRICTED_DUTIES}))
        for s in range(1, 10)
    ]  # fmt: skip
    current += [
        fact(subject=s, recorded=date(2024, 2, 1), misconduct_outcomes=frozenset({M.DISMISSAL_WITHOUT_NOTICE}),
             outcome_date=date(2024, 3, 1), workforce_type=WorkforceType.PCSO if s == 10 else OFFICER)
        for s in range(10, 13)
    ]  # fmt: skip
    previous = [
        fact(subject=100 + s, recorded=date(2022, 7, 1),
             misconduct_outcomes=frozenset({M.DISMISSAL_WITHOUT_NOTICE if s < 2 else M.NO_CASE_TO_ANSWER}))
        for s in range(6)
    ]  # fmt: skip
    return current + previous


def test_chart_specs_carry_suppressed_values_as_labels_only(facts: list[AllegationFact]) -> None:
    context = make_context()
    current = compute_outcome_breakdowns(facts, PERIOD, context)
    previous = compute_outcome_breakdowns(facts, PERIOD.previous_year(), context)
    spec = outcomes_chart(current, previous)
    assert spec.kind is ChartKind.BARS
    assert spec.categories == tuple(BUCKET_LABELS[b] for b in BUCKETS)
    this_year = spec.series[0]
    dismissed = BUCKETS.index(Bucket.DISMISSED)
    assert (this_year.values[dismissed], this_year.labels[dismissed]) == (None, "<5")
    nca = BUCKETS.index(Bucket.NO_CASE_TO_ANSWER)
    assert (this_year.values[nca], this_year.labels[nca]) == (9, "9")
    unsuppressed = outcomes_chart(current, previous, suppress=False)
    assert unsuppressed.series[0].values[dismissed] == 3
    quarters = quarters_chart(current, previous)
    assert quarters.categories == ("Apr–Jun", "Jul–Sep", "Oct–Dec", "Jan–Mar")
    assert [s.name for s in quarters.series] == ["2023/24", "2022/23"]


def test_a_chart_spec_needs_one_value_per_category() -> None:
    with pytest.raises(ValueError, match="one value per category"):
        ChartSpec("k", "t", ChartKind.COLUMNS, ("a", "b"), (Series("s", (1,), ("1",)),), "n")


def test_commentary_compares_years_without_revealing_small_numbers(facts: list[AllegationFact]) -> None:
    context = make_context()
    current = compute_outcome_breakdowns(facts, PERIOD, context)
    previous = compute_outcome_breakdowns(facts, PERIOD.previous_year(), context)
    lines = commentary(current, previous, headcount=8000, previous_headcount=7900)
    text = " ".join(lines)
    assert (
        lines[0]
        == "12 PPDA allegations were recorded in 2023/24, up from 6 in 2022/23 (+100%). They concern 12 individuals."
    )
    assert "<5 individuals were dismissed or would have been dismissed" in text
    assert "25.0%" not in text and "75.0%" not in text  # 3 (or 9) of 12 would reveal the 3
    assert (
        "The most common outcome was no case to answer: 9 individuals (percentage not shown for small numbers)."
        in lines
    )
    assert not re.search(r"\b[1-4] (individuals|allegations)\b", text)


def test_commentary_with_no_previous_year(fact: FactFactory) -> None:
    context = make_context()
    current = compute_outcome_breakdowns([fact(subject=s) for s in range(6)], PERIOD, context)
    lines = commentary(current, None)
    assert "No allegations are recorded for the previous year, so no comparison is made." in lines


pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


@pdftotext
def test_every_page_is_marked_and_numbered(tmp_path: Path, facts: list[AllegationFact]) -> None:
    out = tmp_path / "annual.pdf"
    write_annual_report(out, facts, make_context())
    pages = pdf_pages(out)
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert page.count(MARKING) >= 2, f"page {number}: marking in header and footer"
        assert f"Page {number} of {len(pages)}" in page


@pdftotext
def test_small_counts_show_as_less_than_5_in_tables_and_charts(
    tmp_path: Path, facts: list[AllegationFact]
) -> None:
    out = tmp_path / "annual.pdf"
    write_annual_report(out, facts, make_context())
    text = "\n".join(pdf_pages(out))
    assert "<5" in text
    assert re.search(r"^\s*Dismissed\s+<5\s+–\s+<5\s+–\s*$", text, re.M), "outcomes table row"
    assert re.search(r"^\s*PCSO\s+<5\s+<5\s+0\s+0\s+<5\s+0\s*$", text, re.M), "workforce table row"
    # No row of any table shows a count of 1 to 4.
    labels = [
        *BUCKET_LABELS.values(),
        "Police officer",
        "PCSO",
        "Apr–Jun 2023",
        "Jan–Mar 2024",
        "Female",
        "Male",
    ]
    for label in labels:
        for line in re.findall(rf"^\s*{re.escape(label)}\s+(.*)$", text, re.M):
            assert not set(line.split()) & {"1", "2", "3", "4"}, f"{label}: {line}"


@pdftotext
def test_report_is_aggregate_only(tmp_path: Path, facts: list[AllegationFact]) -> None:
    out = tmp_path / "annual.pdf"
    write_annual_report(out, facts, make_context())
    text = "\n".join(pdf_pages(out))
    assert "S00001" not in text and "PSD-2023" not in text


def test_the_report_is_written_atomically(tmp_path: Path, facts: list[AllegationFact]) -> None:
    out = tmp_path / "annual.pdf"
    report = write_annual_report(out, facts, make_context())
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["annual.pdf"]
    assert len(report.current.counted) == 12 and len(report.previous.counted) == 6
