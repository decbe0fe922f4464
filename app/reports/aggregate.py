"""National aggregation (FORMATS.md): many forces' survey returns in, one national workbook out.

A return that does not follow the layout exactly, or whose figures are inconsistent, is reported by
file name with the reason and not counted.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.enums import GuidanceCoverage
from app.domain.errors import InvalidInput
from app.domain.forces import FORCES
from app.reports.cells import save_workbook
from app.reports.counting import BUCKETS, OutcomeFigure, ReturnFigures, percent
from app.reports.files import atomic_path
from app.reports.marking import MARKING, fit_to_page_width, mark_sheet
from app.reports.return_reader import MalformedReturn, read_survey_return
from app.reports.survey_return import (
    COUNT_FORMAT,
    DATE_FORMAT,
    PERCENT_1DP,
    PERCENT_2DP,
    Q_ALLEGATIONS,
    Q_EXTERNAL_GUIDANCE,
    Q_HEADCOUNT,
    Q_INDIVIDUALS,
    Q_ROLE_GUIDANCE,
    Q_WORKFORCE_PERCENT,
    RETURN_QUESTIONS,
    fit_height,
    put_text,
)

NATIONAL_SHEET = "National"
FORCES_SHEET = "Forces"
NOT_COUNTED_SHEET = "Not counted"
NOTES_SHEET = "Notes"
NATIONAL_HEADER = ("Measure", "Value", "% of individuals")
FORCES_HEADER = ("Force", "File", "Period start", "Period end", *RETURN_QUESTIONS[3:10],
                 *(b.value for b in BUCKETS), RETURN_QUESTIONS[10])  # fmt: skip
NOT_COUNTED_HEADER = ("File", "Reason")
FORCES_COUNTED = "Forces counted"
RETURNS_NOT_COUNTED = "Returns not counted"
FORCES_WITH_HEADCOUNT = "Forces providing headcount"
NOT_PROVIDED = "not provided"


@dataclass(frozen=True)
class CountedReturn:
    file: str
    figures: ReturnFigures


@dataclass(frozen=True)
class RejectedReturn:
    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass(frozen=True)
class NationalFigures:
    period_start: date
    period_end: date
    forces: int
    allegations: int
    individuals: int
    headcount: int
    forces_with_headcount: int
    workforce_percent: float | None
    """Individuals of the forces that gave a headcount, as % of those forces' headcount."""
    outcomes: tuple[OutcomeFigure, ...]
    role_guidance: dict[str, int]
    external_guidance: dict[str, int]
    """Forces by coverage: `NONE`, `SOME`, `ALL` and `not provided`."""


@dataclass(frozen=True)
class Aggregation:
    counted: tuple[CountedReturn, ...]
    rejected: tuple[RejectedReturn, ...]
    national: NationalFigures


# --- combining ----------------------------------------------------------------------------------


def aggregate_returns(paths: Iterable[str | os.PathLike[str]]) -> Aggregation:
    """Read every return; count the sound ones for the period most of them cover."""
    read: list[CountedReturn] = []
    rejected: list[RejectedReturn] = []
    for path in sorted(Path(p) for p in paths):
        try:
            read.append(CountedReturn(path.name, read_survey_return(path)))
        except MalformedReturn as exc:
            rejected.append(RejectedReturn(path.name, exc.message))
    if not any(r.figures.force in FORCES for r in read):
        rejected += [RejectedReturn(r.file, f"names force '{r.figures.force}', which is not a force code (FORMATS.md)")
                     for r in read]
        reasons = "; ".join(str(r) for r in rejected) or "no files were given"
        raise InvalidInput(f"No survey return could be counted: {reasons}")
    known = [r for r in read if r.figures.force in FORCES] or read
    periods = Counter((r.figures.period_start, r.figures.period_end) for r in known)
    period = max(periods, key=lambda p: (periods[p], p[1]))
    counted: list[CountedReturn] = []
    seen: dict[str, str] = {}
    for r in read:
        f = r.figures
        if f.force not in FORCES:
            rejected.append(RejectedReturn(r.file, f"names force '{f.force}', which is not a force code (FORMATS.md)"))
        elif (f.period_start, f.period_end) != period:
            rejected.append(
                RejectedReturn(
                    r.file,
                    f"covers {f.period_start} to {f.period_end}, not the national period {period[0]} to {period[1]}",
                )
            )
        elif f.force in seen:
            rejected.append(
                RejectedReturn(
                    r.file, f"a second return for force '{f.force}' (already counted from {seen[f.force]})"
                )
            )
        else:
            seen[f.force] = r.file
            counted.append(r)
    counted.sort(key=lambda r: r.figures.force)
    return Aggregation(tuple(counted), tuple(rejected), _national(counted, period))


def _national(counted: Sequence[CountedReturn], period: tuple[date, date]) -> NationalFigures:
    figures = [r.figures for r in counted]
    individuals = sum(f.individuals for f in figures)
    with_headcount = [f for f in figures if f.headcount is not None]
    headcount = sum(f.headcount or 0 for f in with_headcount)
    outcomes = []
    for i, bucket in enumerate(BUCKETS):
        total = sum(f.outcomes[i].individuals for f in figures)
        outcomes.append(OutcomeFigure(bucket, total, percent(total, individuals, 1)))
    return NationalFigures(
        period_start=period[0],
        period_end=period[1],
        forces=len(figures),
        allegations=sum(f.allegations for f in figures),
        individuals=individuals,
        headcount=headcount,
        forces_with_headcount=len(with_headcount),
        workforce_percent=percent(sum(f.individuals for f in with_headcount), headcount, 2),
        outcomes=tuple(outcomes),
        role_guidance=_coverage_counts(f.role_restriction_guidance for f in figures),
        external_guidance=_coverage_counts(f.external_investigation_guidance for f in figures),
    )


def _coverage_counts(values: Iterable[GuidanceCoverage | None]) -> dict[str, int]:
    counts = dict.fromkeys([*(c.name for c in GuidanceCoverage), NOT_PROVIDED], 0)
    for value in values:
        counts[value.name if value else NOT_PROVIDED] += 1
    return counts


# --- writing ------------------------------------------------------------------------------------


def aggregate(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    exported_by: str,
    exported_at: datetime,
) -> Aggregation:
    """Read the returns and write the national workbook to `out` (atomically)."""
    result = aggregate_returns(paths)
    write_national(out, result, exported_by, exported_at)
    return result


def write_national(
    path: str | os.PathLike[str], result: Aggregation, exported_by: str, exported_at: datetime
) -> None:
    workbook = Workbook()
    national = workbook.active
    assert national is not None
    national.title = NATIONAL_SHEET
    _national_sheet(national, result.national, len(result.rejected))
    _forces_sheet(workbook.create_sheet(FORCES_SHEET), result.counted)
    _rejected_sheet(workbook.create_sheet(NOT_COUNTED_SHEET), result.rejected)
    _notes_sheet(workbook.create_sheet(NOTES_SHEET), exported_by, exported_at)
    for ws in workbook.worksheets:
        mark_sheet(ws, title="PPDA national aggregation")
        fit_to_page_width(ws, landscape=ws.title == FORCES_SHEET, title_rows="1:1")
    with atomic_path(path) as temp:
        save_workbook(workbook, temp)


_HEAD_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F3A5F")


def _header(ws: Worksheet, labels: Sequence[str], widths: Sequence[float]) -> None:
    ws.append(list(labels))
    for cell, width in zip(ws[1], widths, strict=True):
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "B2"


def _national_sheet(ws: Worksheet, n: NationalFigures, not_counted: int) -> None:
    _header(ws, NATIONAL_HEADER, (52, 14, 18))
    rows: list[tuple[str, Any, Any, str | None]] = [
        ("Period start", n.period_start, None, DATE_FORMAT),
        ("Period end", n.period_end, None, DATE_FORMAT),
        (FORCES_COUNTED, n.forces, None, COUNT_FORMAT),
        (RETURNS_NOT_COUNTED, not_counted, None, COUNT_FORMAT),
        (Q_ALLEGATIONS, n.allegations, None, COUNT_FORMAT),
        (Q_INDIVIDUALS, n.individuals, None, COUNT_FORMAT),
        (Q_HEADCOUNT, n.headcount, None, COUNT_FORMAT),
        (FORCES_WITH_HEADCOUNT, n.forces_with_headcount, None, COUNT_FORMAT),
        (Q_WORKFORCE_PERCENT, n.workforce_percent, None, PERCENT_2DP),
    ]
    rows += [(o.bucket.value, o.individuals, o.percent, COUNT_FORMAT) for o in n.outcomes]
    rows += [(f"{Q_ROLE_GUIDANCE}: {k}", v, None, COUNT_FORMAT) for k, v in n.role_guidance.items()]
    rows += [(f"{Q_EXTERNAL_GUIDANCE}: {k}", v, None, COUNT_FORMAT) for k, v in n.external_guidance.items()]
    for measure, value, share, number_format in rows:
        ws.append([measure, value, share])
        ws.cell(row=ws.max_row, column=1).font = Font(name="Calibri", bold=True)
        if number_format:
            ws.cell(row=ws.max_row, column=2).number_format = number_format
        ws.cell(row=ws.max_row, column=3).number_format = PERCENT_1DP


def national_measures() -> tuple[str, ...]:
    """The `Measure` column of sheet National, in order (the layout other tools can rely on)."""
    coverage = [*(c.name for c in GuidanceCoverage), NOT_PROVIDED]
    return (
        "Period start", "Period end", FORCES_COUNTED, RETURNS_NOT_COUNTED, Q_ALLEGATIONS, Q_INDIVIDUALS,
        Q_HEADCOUNT, FORCES_WITH_HEADCOUNT, Q_WORKFORCE_PERCENT, *(b.value for b in BUCKETS),
        *(f"{Q_ROLE_GUIDANCE}: {c}" for c in coverage), *(f"{Q_EXTERNAL_GUIDANCE}: {c}" for c in coverage),
    )  # fmt: skip


def _forces_sheet(ws: Worksheet, counted: Sequence[CountedReturn]) -> None:
    widths = [26, 30, 12, 12, 34, 12, 12, 12, 12, 14, 14, *(max(11, len(b.value) * 0.9) for b in BUCKETS), 60]
    _header(ws, FORCES_HEADER, widths)
    formats = [None, None, DATE_FORMAT, DATE_FORMAT, None, COUNT_FORMAT, COUNT_FORMAT, COUNT_FORMAT,
               PERCENT_2DP, None, None, *([COUNT_FORMAT] * len(BUCKETS)), None]  # fmt: skip
    for row, r in enumerate(counted, start=2):
        f = r.figures
        values = [f.force, r.file, f.period_start, f.period_end, f.systems_used, f.allegations, f.individuals,
                  f.headcount, f.workforce_percent, _name(f.role_restriction_guidance),
                  _name(f.external_investigation_guidance), *(o.individuals for o in f.outcomes),
                  f.unable_to_provide]  # fmt: skip
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
            if isinstance(value, str):
                put_text(ws, row, column, value)
            else:
                cell = ws.cell(row=row, column=column, value=value)
                if number_format:
                    cell.number_format = number_format
    ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(FORCES_HEADER)).column_letter}{len(counted) + 1}"


def _name(value: GuidanceCoverage | None) -> str | None:
    return value.name if value else None


def _rejected_sheet(ws: Worksheet, rejected: Sequence[RejectedReturn]) -> None:
    _header(ws, NOT_COUNTED_HEADER, (36, 110))
    for row, r in enumerate(rejected, start=2):
        put_text(ws, row, 1, r.file)
        put_text(ws, row, 2, r.reason)
        fit_height(ws, row, r.reason, 110)


def _notes_sheet(ws: Worksheet, exported_by: str, exported_at: datetime) -> None:
    _header(ws, ("Note", "Detail"), (24, 110))
    notes = [
        ("Marking", MARKING),
        ("Exported at", exported_at.isoformat(timespec="seconds")),
        ("Exported by", exported_by),
        ("Sums", "National figures are sums of the counted forces' returns. A person with allegations in two "
                 "forces (for example after a transfer) is counted by each."),
        (Q_WORKFORCE_PERCENT, "Computed over the forces that gave a workforce headcount only."),
        ("% of individuals", "Outcome count / individuals with PPDA allegations x 100, 1 decimal place."),
        ("Not counted", "Returns that do not follow the survey-return layout, name a force that is not a force "
                        "code, cover another period, or repeat a force already counted; see sheet 'Not counted' "
                        "for each file and reason."),
    ]  # fmt: skip
    for row, (note, detail) in enumerate(notes, start=2):
        ws.cell(row=row, column=1, value=note).font = Font(name="Calibri", bold=True)
        put_text(ws, row, 2, detail)
        fit_height(ws, row, detail, 110)
