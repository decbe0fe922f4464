"""`aggregate` on 44 generated forces' survey returns: files only, unknown and repeated forces
reported and not counted, and the national report PDF with the same disclosure control (audit
passed, every page marked, no small count recoverable from the per-force tables)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.forces import FORCES
from app.reports.annual_pdf import annual_figures
from app.reports.counting import BUCKET_LABELS, BUCKETS
from app.reports.marking import MARKING
from app.reports.profiles import MAIN_OUTCOMES
from app.reports.survey_return import write_survey_return
from app.services import reporting
from tests.unit.reports.attacker import attack
from tests.unit.reports.generated_forces import FORCE_SIZES, force_context, force_facts
from tests.unit.reports.test_report_annual_pdf import PER_PERSON, VALUE, pdf_pages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("returns")
    made = []
    for i, (code, size) in enumerate(FORCE_SIZES.items()):
        out = folder / f"{code}-2025.xlsx"
        write_survey_return(out, force_facts(i, size), force_context(code, seed=i))
        made.append(out)
    return made


def test_forty_four_forces_aggregate_and_the_national_report_is_protected(returns: list[Path], tmp_path: Path) -> None:
    stranger = tmp_path / "atlantis.xlsx"
    write_survey_return(stranger, force_facts(99, 20), force_context("atlantis", seed=99))
    again = tmp_path / "kent-again.xlsx"
    shutil.copy(returns[list(FORCES).index("kent")], again)
    out, pdf = tmp_path / "national.xlsx", tmp_path / "national.pdf"
    result = reporting.aggregate_files([*returns, stranger, again], out, pdf, produced_by="analyst")
    assert len(result.counted) == 44
    reasons = {r.file: r.reason for r in result.rejected}
    assert "not a force code" in reasons["atlantis.xlsx"]
    assert "a second return for force 'kent'" in next(v for k, v in reasons.items() if k.startswith("kent"))
    national = openpyxl.load_workbook(out)["National"]
    exact = {r[0]: r[1] for r in national.iter_rows(min_row=2, values_only=True)}
    assert exact["Forces counted"] == 44 and exact["Returns not counted"] == 2

    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    for number, page in enumerate(pages, start=1):
        assert page.count(MARKING) >= 2 and f"Page {number} of {len(pages)}" in page
    assert "Disclosure check: Passed." in text and "<5" in text
    assert "atlantis.xlsx" in text
    for half, buckets in enumerate((BUCKETS[:6], BUCKETS[6:]), start=1):
        rows = _force_rows(text, f"Part {half} of 2", len(buckets))
        assert len(rows) == 45, half  # 44 forces and the national row
        found = attack(rows[:-1], rows[-1], None, [], adding_columns=range(len(buckets)), strict=3)
        assert not found, found
    assert all(BUCKET_LABELS[b].split()[0] in text for b in BUCKETS)


def _force_rows(text: str, part: str, width: int) -> list[list[str]]:
    after = text[text.index(part):]
    rows = []
    for line in after.splitlines()[1:]:
        values = re.findall(VALUE, line)
        if len(values) >= width and re.search(VALUE + r"\s*$", line):
            rows.append(values[-width:])
            if line.strip().startswith("All counted forces"):
                break
    return rows


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), size=st.integers(2, 60))
def test_no_generated_force_report_discloses_a_small_count(seed: int, size: int) -> None:
    """Property: whatever the force, the annual figures pass the audit and a pencil-and-paper
    reader of the printed profile tables narrows no count under 5."""
    figures = annual_figures(force_facts(seed, size), force_context("kent", seed=seed))
    assert figures.pub.verdict.passed
    y = figures.year
    for p in figures.profiles:
        columns = ("allegations", "individuals", *(o.value for o in MAIN_OUTCOMES))
        rows = [[figures.text("profile", y, p.key, r.label, c) for c in columns] for r in p.rows]
        total = [figures.text("allegations", y), figures.text("individuals", y),
                 *(figures.text("main", y, o.value) for o in MAIN_OUTCOMES)]
        adding = [] if p.multi_valued else [0, *range(2, 8)] + ([1] if p.dimension.lower() in PER_PERSON else [])
        assert not attack(rows, total, 0, range(2, 8), adding), p.dimension
    for name in ("quarter",):
        quarters = [[figures.text(name, y, q)] for q in figures.quarter_labels(y)]
        assert not attack(quarters, [figures.text("allegations", y)], None, [], [0], strict=3)
