"""The Domestic Abuse Commissioner's survey return (FORMATS.md), written as an .xlsx workbook.

The sheet names, column headers, row labels and their order are a contract: the Commissioner's
office reads many returns automatically (see `aggregate.py`, which reads them back with the
same constants).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from enum import Enum
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.errors import InvalidInput
from app.reports.cells import save_workbook
from app.reports.counting import (
    BUCKETS,
    COUNTING_RULES,
    CountedAllegation,
    ReturnFigures,
    SurveyCount,
    count_survey_return,
    validate_return,
)
from app.reports.files import atomic_path
from app.reports.marking import MARKING, fit_to_page_width, mark_sheet
from app.reports.read_models import AllegationFact, ReturnContext
from app.reports.words import word, words
from app.reports.xlsx_stream import Value, replace_rows

RETURN_SHEET = "Return"
OUTCOMES_SHEET = "Outcomes"
ALLEGATIONS_SHEET = "Allegations"
NOTES_SHEET = "Notes"
SHEETS = (RETURN_SHEET, OUTCOMES_SHEET, ALLEGATIONS_SHEET, NOTES_SHEET)

RETURN_HEADER = ("Question", "Answer")
Q_FORCE = "Force"
Q_PERIOD_START = "Period start"
Q_PERIOD_END = "Period end"
Q_SYSTEMS = "Systems used to record misconduct allegations"
Q_ALLEGATIONS = "PPDA allegations recorded"
Q_INDIVIDUALS = "Individuals with PPDA allegations"
Q_HEADCOUNT = "Workforce headcount"
Q_WORKFORCE_PERCENT = "Individuals as % of workforce"
Q_ROLE_GUIDANCE = "Guidance restricting roles"
Q_EXTERNAL_GUIDANCE = "Guidance requiring external investigation"
Q_UNABLE = "Unable to provide"
RETURN_QUESTIONS = (
    Q_FORCE,
    Q_PERIOD_START,
    Q_PERIOD_END,
    Q_SYSTEMS,
    Q_ALLEGATIONS,
    Q_INDIVIDUALS,
    Q_HEADCOUNT,
    Q_WORKFORCE_PERCENT,
    Q_ROLE_GUIDANCE,
    Q_EXTERNAL_GUIDANCE,
    Q_UNABLE,
)
OUTCOMES_HEADER = ("Outcome", "Individuals", "% of individuals")
ALLEGATION_DETAIL_COLUMNS = (
    "outcome_date",
    "misconduct_outcomes",
    "criminal_outcome",
    "restrictions",
    "subject_employment_status",
    "subject_end_date",
)
ALLEGATIONS_HEADER = (
    "case_ref",
    "subject_staff_number",
    "recorded_date",
    *(b.value for b in BUCKETS),
    *ALLEGATION_DETAIL_COLUMNS,
)
NOTES_HEADER = ("Note", "Detail")

DATE_FORMAT = "yyyy-mm-dd"
COUNT_FORMAT = "0"
PERCENT_1DP = "0.0"
PERCENT_2DP = "0.00"

_HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")


LEFT_OUT = (
    "Left out of this copy: it was exported by a user with aggregate-only access (force strategic lead), who "
    "does not receive case-level data (FORMATS.md). A supervisor, the head of PSD or the IOPC liaison can "
    "export the return with the Allegations sheet to check each figure."
)


def write_survey_return(
    path: str | os.PathLike[str], facts: Iterable[AllegationFact], context: ReturnContext, case_level: bool = True
) -> SurveyCount:
    """Count the facts for `context.period` and write the return to `path` (atomically).
    `case_level=False` (a reader of aggregates only): no `Allegations` sheet, and Notes says why.

    Refuses (InvalidInput, nothing written) when the figures fail `validate_return`, e.g. a
    headcount smaller than the number of individuals.
    """
    count = count_survey_return(facts, context)
    problems = validate_return(count.figures)
    if problems:
        raise InvalidInput("The survey return was not written: " + " ".join(problems))
    write_counted_return(path, count, context, case_level)
    return count


def write_counted_return(path: str | os.PathLike[str], count: SurveyCount, context: ReturnContext,
                         case_level: bool = True) -> None:
    """Write an already counted return (lets the caller show the figures before saving)."""
    workbook = _build_workbook(count, context, case_level)
    with atomic_path(path) as temp:
        if not count.counted or not case_level:
            save_workbook(workbook, temp)
            return
        fd, staged_name = tempfile.mkstemp(suffix=".xlsx", dir=temp.parent)
        os.close(fd)
        staged = Path(staged_name)
        try:
            save_workbook(workbook, staged)
            rows = [allegation_row(c) for c in count.counted]
            replace_rows(staged, temp, ALLEGATIONS_SHEET, rows, [_height(r) for r in rows])
        finally:
            staged.unlink(missing_ok=True)


def allegation_row(counted: CountedAllegation) -> list[Value]:
    """One row of the `Allegations` sheet: who, when, 1 under each bucket, and the source values
    (in words: the headers are the fixed labels, the values are for people checking a figure)."""
    f = counted.fact
    return [
        f.case_ref,
        f.subject_staff_number,
        f.recorded_date,
        *(1 if b in counted.buckets else None for b in BUCKETS),
        f.outcome_date,
        _in_words(f.misconduct_outcomes),
        word(f.criminal_outcome.name) if f.criminal_outcome else None,
        _in_words(f.restrictions_imposed),
        word(f.subject_employment_status.name),
        f.subject_end_date,
    ]


@lru_cache(maxsize=1024)
def _in_words(names: frozenset[Enum]) -> str:
    """A set of enumerated values in words (a period's 100,000 rows hold a few hundred sets)."""
    return words(sorted(n.name for n in names))


_WRAPPED = {len(BUCKETS) + 4: 30, len(BUCKETS) + 5: 13, len(BUCKETS) + 6: 24}
"""Detail columns that wrap (index -> width in characters)."""


def _height(row: Sequence[Value]) -> float | None:
    lines = max(len(row[i] or "") // (w - 1) + 1 for i, w in _WRAPPED.items())  # type: ignore[arg-type]
    return 15.0 * lines if lines > 1 else None


def _build_workbook(count: SurveyCount, context: ReturnContext, case_level: bool) -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = RETURN_SHEET
    _write_return_sheet(ws, count.figures)
    _write_outcomes_sheet(workbook.create_sheet(OUTCOMES_SHEET), count.figures)
    if case_level:
        _write_allegations_template(workbook.create_sheet(ALLEGATIONS_SHEET), count)
    _write_notes_sheet(workbook.create_sheet(NOTES_SHEET), count, context, case_level)
    for sheet in workbook.worksheets:
        mark_sheet(sheet, title=f"PPDA survey return {context.force_code}")
        fit_to_page_width(sheet, landscape=sheet.title == ALLEGATIONS_SHEET, title_rows="1:1")
    return workbook


def _header(ws: Worksheet, labels: Sequence[str], widths: Sequence[float]) -> None:
    ws.append(list(labels))
    for cell, width in zip(ws[1], widths, strict=True):
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def put_text(ws: Worksheet, row: int, column: int, text: str | None) -> None:
    """A text cell that stays text even when it starts with '=' (no formula injection)."""
    cell = ws.cell(row=row, column=column, value=text or None)
    if text:
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_return_sheet(ws: Worksheet, f: ReturnFigures) -> None:
    _header(ws, RETURN_HEADER, (46, 70))
    answers: dict[str, tuple[object, str | None]] = {
        Q_PERIOD_START: (f.period_start, DATE_FORMAT),
        Q_PERIOD_END: (f.period_end, DATE_FORMAT),
        Q_ALLEGATIONS: (f.allegations, COUNT_FORMAT),
        Q_INDIVIDUALS: (f.individuals, COUNT_FORMAT),
        Q_HEADCOUNT: (f.headcount, COUNT_FORMAT),
        Q_WORKFORCE_PERCENT: (f.workforce_percent, PERCENT_2DP),
        Q_ROLE_GUIDANCE: (_coverage(f.role_restriction_guidance), None),
        Q_EXTERNAL_GUIDANCE: (_coverage(f.external_investigation_guidance), None),
    }
    texts = {Q_FORCE: f.force, Q_SYSTEMS: f.systems_used, Q_UNABLE: f.unable_to_provide}
    for row, question in enumerate(RETURN_QUESTIONS, start=2):
        ws.cell(row=row, column=1, value=question).font = Font(name="Calibri", bold=True)
        if question in texts:
            put_text(ws, row, 2, texts[question])
            fit_height(ws, row, texts[question], 70)
            continue
        value, number_format = answers[question]
        cell = ws.cell(row=row, column=2, value=value)
        cell.alignment = Alignment(horizontal="left")
        if number_format:
            cell.number_format = number_format


def fit_height(ws: Worksheet, row: int, text: str | None, width: int) -> None:
    """Wrapped text prints on as many lines as its row is tall: make it tall enough."""
    lines = sum(len(part) // (width - 2) + 1 for part in (text or "").split("\n"))
    if lines > 1:
        ws.row_dimensions[row].height = 15.0 * lines


def _coverage(value: object) -> str | None:
    return getattr(value, "name", None)


def _write_outcomes_sheet(ws: Worksheet, f: ReturnFigures) -> None:
    _header(ws, OUTCOMES_HEADER, (26, 14, 18))
    for o in f.outcomes:
        ws.append([o.bucket.value, o.individuals, o.percent])
        ws.cell(row=ws.max_row, column=2).number_format = COUNT_FORMAT
        ws.cell(row=ws.max_row, column=3).number_format = PERCENT_1DP


def _write_allegations_template(ws: Worksheet, count: SurveyCount) -> None:
    """Header, and (when there are rows) one styled template row that `replace_rows` fills in."""
    widths = [17, 11, 11, *([4.5] * len(BUCKETS)), 11, *_WRAPPED.values(), 15, 11]
    _header(ws, ALLEGATIONS_HEADER, widths)
    for cell in ws[1]:  # the fixed labels read upwards, so the columns can be as narrow as their values
        cell.alignment = Alignment(text_rotation=90, horizontal="center", vertical="bottom")
    ws.row_dimensions[1].height = 7.5 * max(len(h) for h in ALLEGATIONS_HEADER)
    ws.auto_filter.ref = (
        f"A1:{ws.cell(row=1, column=len(ALLEGATIONS_HEADER)).column_letter}{len(count.counted) + 1}"
    )
    if not count.counted:
        return
    first = count.counted[0].fact.recorded_date
    template: list[tuple[object, str | None]] = [("x", None), ("x", None), (first, DATE_FORMAT)]
    template += [(1, COUNT_FORMAT)] * len(BUCKETS)
    template += [
        (first, DATE_FORMAT),
        ("x", None),
        ("x", None),
        ("x", None),
        ("x", None),
        (first, DATE_FORMAT),
    ]
    for column, (value, number_format) in enumerate(template, start=1):
        cell = ws.cell(row=2, column=column, value=value)
        if number_format:
            cell.number_format = number_format
        if column - 1 in _WRAPPED:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        elif 3 < column <= 3 + len(BUCKETS):
            cell.alignment = Alignment(horizontal="center", vertical="top")
        else:
            cell.alignment = Alignment(vertical="top")


def _write_notes_sheet(ws: Worksheet, count: SurveyCount, context: ReturnContext, case_level: bool) -> None:
    _header(ws, NOTES_HEADER, (24, 110))
    notes: list[tuple[str, str]] = [
        ("Marking", MARKING),
        ("Force", f"{context.force_name} ({context.force_code})"),
        ("Period", context.period.long_label),
        ("Exported at", context.exported_at.isoformat(timespec="seconds")),
        ("Exported by", context.exported_by),
        (
            ALLEGATIONS_SHEET,
            "One row per counted allegation. A 1 under an outcome means that allegation puts its "
            "subject in that outcome; the outcome's Individuals figure is the number of distinct "
            "subject_staff_number values with a 1 in that column." if case_level else LEFT_OUT,
        ),
    ]
    notes += [(f"Counting rule {i}", rule) for i, rule in enumerate(COUNTING_RULES, start=1)]
    notes += [("Data note", note) for note in count.data_notes]
    for row, (note, detail) in enumerate(notes, start=2):
        ws.cell(row=row, column=1, value=note).font = Font(name="Calibri", bold=True)
        put_text(ws, row, 2, detail)
        fit_height(ws, row, detail, 110)
    ws.cell(row=2, column=2).font = Font(name="Calibri", bold=True, color="B00020")
