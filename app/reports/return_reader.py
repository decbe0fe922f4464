"""Reading a survey-return workbook back into its figures, checking the FORMATS.md layout exactly.

Used by the national aggregation; the labels come from `survey_return`, so writer and reader cannot
drift apart.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from app.domain.enums import GuidanceCoverage
from app.domain.errors import InvalidInput
from app.reports.counting import BUCKETS, OutcomeFigure, ReturnFigures, percent, validate_return
from app.reports.survey_return import (
    OUTCOMES_HEADER,
    OUTCOMES_SHEET,
    Q_ALLEGATIONS,
    Q_EXTERNAL_GUIDANCE,
    Q_HEADCOUNT,
    Q_INDIVIDUALS,
    Q_ROLE_GUIDANCE,
    Q_WORKFORCE_PERCENT,
    RETURN_HEADER,
    RETURN_QUESTIONS,
    RETURN_SHEET,
)


class MalformedReturn(InvalidInput):
    """A survey-return workbook that does not follow the FORMATS.md layout."""


def read_survey_return(path: str | os.PathLike[str]) -> ReturnFigures:
    """The figures of one return; MalformedReturn (with the reason) if it breaks the layout."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise MalformedReturn(f"not a readable .xlsx workbook ({exc.__class__.__name__})") from None
    try:
        for name in (RETURN_SHEET, OUTCOMES_SHEET):
            if name not in workbook.sheetnames:
                raise MalformedReturn(f"no sheet called '{name}'")
        figures = _read_figures(_rows(workbook[RETURN_SHEET], len(RETURN_QUESTIONS) + 1, 2),
                                _rows(workbook[OUTCOMES_SHEET], len(BUCKETS) + 1, 3))  # fmt: skip
    finally:
        workbook.close()
    problems = validate_return(figures) + _check_percentages(figures)
    if problems:
        raise MalformedReturn(" ".join(problems))
    return figures


def _rows(ws: Any, count: int, width: int) -> list[tuple[Any, ...]]:
    rows = [
        tuple(r[:width]) + (None,) * (width - len(r))
        for r in ws.iter_rows(max_row=count + 5, values_only=True)
    ]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    if len(rows) != count:
        raise MalformedReturn(f"sheet '{ws.title}' has {len(rows) - 1} data rows, expected {count - 1}")
    return rows


def _read_figures(answers: list[tuple[Any, ...]], outcome_rows: list[tuple[Any, ...]]) -> ReturnFigures:
    _expect_header(RETURN_SHEET, answers[0], RETURN_HEADER)
    values: dict[str, Any] = {}
    for row_number, (row, question) in enumerate(zip(answers[1:], RETURN_QUESTIONS, strict=True), start=2):
        if _text(row[0]) != question:
            raise MalformedReturn(
                f"sheet '{RETURN_SHEET}' row {row_number}: expected '{question}', found '{_text(row[0])}'"
            )
        values[question] = row[1]
    _expect_header(OUTCOMES_SHEET, outcome_rows[0], OUTCOMES_HEADER)
    outcomes = []
    for row_number, (row, bucket) in enumerate(zip(outcome_rows[1:], BUCKETS, strict=True), start=2):
        where = f"sheet '{OUTCOMES_SHEET}' row {row_number}"
        if _text(row[0]) != bucket.value:
            raise MalformedReturn(f"{where}: expected '{bucket.value}', found '{_text(row[0])}'")
        outcomes.append(OutcomeFigure(bucket, _count(row[1], where), _number(row[2], where, blank=True)))
    q = RETURN_QUESTIONS
    at = {question: f"sheet '{RETURN_SHEET}', {question}" for question in q}
    force = _text(values[q[0]])
    if not force:
        raise MalformedReturn(f"{at[q[0]]}: blank")
    return ReturnFigures(
        force=force,
        period_start=_date(values[q[1]], at[q[1]]),
        period_end=_date(values[q[2]], at[q[2]]),
        systems_used=_text(values[q[3]]),
        allegations=_count(values[Q_ALLEGATIONS], at[Q_ALLEGATIONS]),
        individuals=_count(values[Q_INDIVIDUALS], at[Q_INDIVIDUALS]),
        headcount=_count(values[Q_HEADCOUNT], at[Q_HEADCOUNT], blank=True),
        workforce_percent=_number(values[Q_WORKFORCE_PERCENT], at[Q_WORKFORCE_PERCENT], blank=True),
        role_restriction_guidance=_coverage(values[Q_ROLE_GUIDANCE], at[Q_ROLE_GUIDANCE]),
        external_investigation_guidance=_coverage(values[Q_EXTERNAL_GUIDANCE], at[Q_EXTERNAL_GUIDANCE]),
        unable_to_provide=_text(values[q[10]]),
        outcomes=tuple(outcomes),
    )


def _expect_header(sheet: str, found: Sequence[Any], expected: Sequence[str]) -> None:
    if tuple(_text(v) for v in found) != tuple(expected):
        raise MalformedReturn(
            f"sheet '{sheet}' header is {[_text(v) for v in found]}, expected {list(expected)}"
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _count(value: Any, where: str, blank: bool = False) -> Any:
    if value is None and blank:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < 0:
        raise MalformedReturn(f"{where}: expected a whole number, found '{_text(value)}'")
    return int(value)


def _number(value: Any, where: str, blank: bool = False) -> float | None:
    if value is None and blank:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedReturn(f"{where}: expected a number, found '{_text(value)}'")
    return float(value)


def _date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        raise MalformedReturn(f"{where}: expected a date YYYY-MM-DD, found '{_text(value)}'") from None


def _coverage(value: Any, where: str) -> GuidanceCoverage | None:
    if value is None or _text(value) == "":
        return None
    try:
        return GuidanceCoverage[_text(value).upper()]
    except KeyError:
        raise MalformedReturn(f"{where}: expected NONE, SOME or ALL, found '{_text(value)}'") from None


def _check_percentages(f: ReturnFigures) -> list[str]:
    """Percentages must be the counts' own (within rounding), or the return was edited by hand."""
    problems = []
    expected = percent(f.individuals, f.headcount, 2)
    if (
        f.workforce_percent is not None
        and expected is not None
        and abs(f.workforce_percent - expected) > 0.0051
    ):
        problems.append(
            f"{Q_WORKFORCE_PERCENT} is {f.workforce_percent}, but individuals / headcount gives {expected}."
        )
    for o in f.outcomes:
        expected = percent(o.individuals, f.individuals, 1)
        if o.percent is not None and expected is not None and abs(o.percent - expected) > 0.051:
            problems.append(
                f"% of individuals for {o.bucket} is {o.percent}, but the counts give {expected}."
            )
    return problems
