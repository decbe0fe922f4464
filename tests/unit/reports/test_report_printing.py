"""Workbooks as people print them: each sheet printed through LibreOffice to PDF, the pages read
back — the marking in every page's header and footer, the table's header row on every page, and
words rather than codes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from app.reports.marking import MARKING
from app.reports.outcomes import write_outcome_breakdowns
from app.reports.survey_return import write_survey_return
from tests.unit.reports.generated_forces import force_context, force_facts
from tests.unit.reports.test_report_annual_pdf import pdf_pages

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("libreoffice") is None or shutil.which("pdftotext") is None,
                       reason="LibreOffice and pdftotext are needed to print the workbooks"),
]


def printed(workbook: Path, tmp_path: Path) -> list[str]:
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
                   check=True, capture_output=True, timeout=300)
    return pdf_pages(workbook.with_suffix(".pdf"))


def test_the_outcome_workbook_prints_marked_with_its_headings_on_every_page(tmp_path: Path) -> None:
    out = tmp_path / "outcomes.xlsx"
    write_outcome_breakdowns(out, force_facts(7, 300), force_context("kent", seed=7))
    pages = printed(out, tmp_path)
    assert len(pages) > 10
    for number, page in enumerate(pages, start=1):
        assert page.count(MARKING) >= 2, f"page {number}: marking in the header and the footer"
        assert f"Page {number} of {len(pages)}" in page
    text = "\n".join(pages)
    assert "No case to answer" in text and "NO_CASE_TO_ANSWER" not in text
    continued = [p for p in pages if "Counting rule 16" in p and "Counting rule 1 " not in p]
    assert not continued or "Note" in continued[0]  # a Notes page carried over repeats its header


def test_the_survey_returns_allegations_sheet_prints_readably(tmp_path: Path) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, force_facts(3, 250), force_context("kent", seed=3))
    pages = printed(out, tmp_path)
    allegation_pages = [p for p in pages if "PSD-" in p]
    assert len(allegation_pages) >= 2
    for page in allegation_pages:  # the fixed labels on every page, the values in words
        assert page.count(MARKING) >= 2 and "case_ref" in page.replace(" ", "")
    assert "No case to answer" in "\n".join(allegation_pages)
