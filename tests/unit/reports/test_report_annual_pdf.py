"""The annual report: small counts protected everywhere (tables, charts, sentences), checked by the
audit before writing and by an independent reader of the printed pages; marking and page numbers on
every page; a summary that gives the worst deadline beside the best."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import MisconductOutcome, RestrictionOption, Sex, WorkforceType
from app.reports import annual_pdf
from app.reports.annual_pdf import annual_figures, write_annual_report
from app.reports.breakdowns import compute_outcome_breakdowns
from app.reports.disclosure.audit import DisclosureRefused, audit
from app.reports.figures import build_model, key
from app.reports.marking import MARKING
from app.reports.read_models import AllegationFact
from tests.unit.reports.attacker import attack
from tests.unit.reports.generated_forces import force_context, force_facts
from tests.unit.reports.report_factories import PERIOD, FactFactory, make_context

M = MisconductOutcome
PER_PERSON = {"workforce type", "rank or grade", "sex", "ethnicity"}
"""Tables whose individuals add up to the total (a characteristic of the person)."""
VALUE = r"(\d[\d,]*|<5|\[c\]|–)"

pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture
def sex_table(fact: FactFactory) -> list[AllegationFact]:
    """The issue's table in small: female 20 allegations (4 dismissed), male 40 (12 dismissed)."""
    facts = []
    for n, sex, dismissed in ((20, Sex.F, 4), (40, Sex.M, 12)):
        for i in range(n):
            outcome = M.DISMISSAL_WITHOUT_NOTICE if i < dismissed else (M.NO_CASE_TO_ANSWER if i % 2
                                                                        else M.REFLECTIVE_PRACTICE)
            facts.append(fact(subject=len(facts) + 1, sex=sex, misconduct_outcomes=frozenset({outcome}),
                              recorded=date(2023, 4 + i % 9, 3), outcome_date=date(2024, 1, 5)))
    return facts


def test_the_issue_table_disclosed_by_subtraction_and_is_now_protected(sex_table: list[AllegationFact]) -> None:
    context = make_context()
    current = compute_outcome_breakdowns(sex_table, PERIOD, context)
    model, _ = build_model(current, None)
    naive = audit(model, model.first_status())  # <5 for small counts only, as before issue 16
    assert any("sex Female, dismissed" in str(f) and "worked out exactly" in str(f) for f in naive.findings)

    figures = annual_figures(sex_table, context)
    assert figures.pub.verdict.passed
    text = {o: figures.text("profile", "2023/24", "sex", "F", o) for o in ("DISMISSED", "allegations")}
    assert text["DISMISSED"] == "<5" and text["allegations"] == "20"
    assert figures.text("profile", "2023/24", "sex", "M", "DISMISSED") == "[c]"
    assert figures.text("main", "2023/24", "DISMISSED") == "16"  # the total is kept; cells are withheld instead


@pdftotext
def test_every_page_is_marked_and_numbered(tmp_path: Path, sex_table: list[AllegationFact]) -> None:
    out = tmp_path / "annual.pdf"
    write_annual_report(out, sex_table, make_context())
    pages = pdf_pages(out)
    assert len(pages) >= 6
    for number, page in enumerate(pages, start=1):
        assert page.count(MARKING) >= 2, f"page {number}: marking in header and footer"
        assert f"Page {number} of {len(pages)}" in page


def profile_tables(text: str) -> dict[str, list[list[str]]]:
    """The printed profile tables: name -> rows of [allegations, individuals, six outcomes], Total last."""
    tables: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if line.strip().startswith("Methodology"):
            break
        heading = re.match(r"^By ([A-Za-z ]+)$", line.strip())
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        values = re.findall(VALUE, line)
        if current is not None and len(values) >= 8 and re.search(VALUE + r"\s*$", line):
            current.append(values[-8:])
            if line.strip().startswith("Total"):
                current = None
    return tables


@pdftotext
@pytest.mark.parametrize("seed", [3, 11])
def test_a_reader_of_the_printed_tables_recovers_no_small_count(tmp_path: Path, seed: int) -> None:
    out = tmp_path / "annual.pdf"
    write_annual_report(out, force_facts(seed, 40), force_context("kent", seed=seed))
    text = "\n".join(pdf_pages(out))
    tables = profile_tables(text)
    assert {"workforce type", "sex", "ethnicity", "abuse type"} <= set(tables)
    assert any("<5" in row for rows in tables.values() for row in rows)
    for name, rows in tables.items():
        body, total = rows[:-1], rows[-1]
        adding = [] if name == "abuse type" else [0, *range(2, 8)] + ([1] if name in PER_PERSON else [])
        found = attack(body, total, row_total_column=0, part_columns=range(2, 8), adding_columns=adding)
        assert not found, f"{name}: {found}"
    for line in text.splitlines():  # no count of 1 to 4 printed as a number in a table row
        if re.match(r"^\s*(Female|Male|Police officer|Police staff|PCSO|Total)\s", line):
            assert not set(re.findall(r"(?<![\d.,%])\b[1-4]\b(?![\d.,%])", line)), line


def test_the_summary_gives_every_deadline_worst_first(fact: FactFactory) -> None:
    facts = [fact(subject=s, restriction_decision_due=date(2023, 6, 5), restriction_decision_date=date(2023, 6, 5),
                  threshold_met_date=date(2023, 6, 1), restriction_reviews_due=2, restriction_reviews_on_time=0,
                  restrictions_imposed=frozenset({RestrictionOption.RESTRICTED_DUTIES}))
             for s in range(1, 31)]
    facts += [fact(subject=100 + s, recorded=date(2022, 7, 1)) for s in range(10)]
    report = write_annual_report_in_memory(facts)
    deadlines = next(line for line in report.commentary if line.startswith("Deadlines"))
    assert deadlines.index("0.0% of 60 restriction reviews") < deadlines.index("100.0% of 30 restriction decisions")
    assert "The lowest was restriction reviews" in deadlines
    first = report.commentary[0]
    assert "30 PPDA allegations were recorded in 2023/24, up from 10 in 2022/23 (+200%)" in first


def test_a_fall_is_said_as_plainly_as_a_rise(fact: FactFactory) -> None:
    facts = [fact(subject=s) for s in range(1, 11)]
    facts += [fact(subject=100 + s, recorded=date(2022, 7, 1)) for s in range(30)]
    report = write_annual_report_in_memory(facts)
    assert "10 PPDA allegations were recorded in 2023/24, down from 30 in 2022/23 (-67%)" in report.commentary[0]


def write_annual_report_in_memory(facts: list[AllegationFact]) -> annual_pdf.AnnualReport:
    figures = annual_figures(facts, make_context())
    from app.reports.charts import all_charts
    from app.reports.commentary import commentary

    return annual_pdf.AnnualReport(figures, tuple(commentary(figures)), all_charts(figures))


def test_charts_draw_printed_counts_only(sex_table: list[AllegationFact]) -> None:
    report = write_annual_report_in_memory(sex_table)
    outcomes = report.charts[0]
    dismissed = outcomes.categories.index("Dismissed")
    series = outcomes.series[0]
    assert (series.values[dismissed], series.labels[dismissed]) == (16, "16")
    for spec in report.charts:
        for s in spec.series:
            for value, label in zip(s.values, s.labels, strict=True):
                assert (value is None) == (label in ("<5", "[c]", "–")), (spec.key, value, label)


@pdftotext
def test_report_is_aggregate_only(tmp_path: Path, sex_table: list[AllegationFact]) -> None:
    out = tmp_path / "annual.pdf"
    write_annual_report(out, sex_table, make_context())
    text = "\n".join(pdf_pages(out))
    assert "S00001" not in text and "PSD-2023" not in text
    assert "Disclosure check: Passed." in text


def test_a_report_the_audit_rejects_is_not_written(tmp_path: Path, sex_table: list[AllegationFact],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from app.reports import publication

    monkeypatch.setattr(publication, "protect", lambda model, targets=None, exact=False: model.first_status())
    out = tmp_path / "annual.pdf"
    with pytest.raises(DisclosureRefused, match="sex Female, dismissed") as refused:
        write_annual_report(out, sex_table, make_context())
    assert "4" not in refused.value.message.split(":", 1)[1].replace("2023/24", "")  # never the value itself
    assert list(tmp_path.iterdir()) == []


def test_a_pcso_row_of_one_allegation_is_merged_into_other_categories(fact: FactFactory) -> None:
    facts = [fact(subject=s) for s in range(1, 12)]
    facts.append(fact(subject=50, workforce_type=WorkforceType.PCSO))
    figures = annual_figures(facts, make_context())
    workforce = next(p for p in figures.profiles if p.key == "workforce_type")
    assert [r.label for r in workforce.rows][-1] == "Other categories"
    assert "PCSO" not in [r.label for r in workforce.rows]
    assert figures.pub.text(key("profile", "2023/24", "workforce_type", "Other categories", "allegations")) == "<5"
