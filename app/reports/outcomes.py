"""The outcome breakdowns workbook (DOMAIN.md §6) for the IOPC liaison officer and the force lead."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.breakdowns import (
    Breakdown,
    IopcReferrals,
    OutcomeBreakdowns,
    RestrictionCompliance,
    TimeToOutcome,
    compute_outcome_breakdowns,
    total_row,
)
from app.reports.cells import save_workbook
from app.reports.counting import BUCKET_LABELS, BUCKETS, COUNTING_RULES, percent
from app.reports.files import atomic_path
from app.reports.marking import MARKING
from app.reports.read_models import AllegationFact, ReturnContext
from app.reports.words import readable, word
from app.reports.xlsx_layout import TABLE_TOP, finish, heading, left_aligned, write_table


def write_outcome_breakdowns(
    path: str | os.PathLike[str], facts: Iterable[AllegationFact], context: ReturnContext
) -> OutcomeBreakdowns:
    """Write the breakdowns of the allegations recorded in `context.period` to `path` (atomically)."""
    data = compute_outcome_breakdowns(facts, context.period, context)
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    _summary_sheet(workbook.create_sheet("Summary"), data, context)
    for b in data.breakdowns:
        _breakdown_sheet(workbook.create_sheet(b.dimension[:31]), b, context)
    _time_sheet(workbook.create_sheet("Time to outcome"), data.time_to_outcome, context)
    _restriction_sheet(workbook.create_sheet("Restrictions"), data.restrictions, context)
    _referral_sheet(workbook.create_sheet("IOPC referrals"), data.referrals, context)
    _notes_sheet(workbook.create_sheet("Notes"), context)
    finish(workbook, f"PPDA outcome breakdowns {context.force_name}")
    with atomic_path(path) as temp:
        save_workbook(workbook, temp)
    return data


def _subtitle(context: ReturnContext, unit: str) -> str:
    return f"{context.force_name}. Allegations recorded {context.period.long_label}. {unit}"


def _summary_sheet(ws: Worksheet, data: OutcomeBreakdowns, context: ReturnContext) -> None:
    heading(ws, "PPDA outcomes: summary", _subtitle(context, "Individuals count once per outcome."))
    totals = total_row(data.counted)
    rows = [
        [
            BUCKET_LABELS[b],
            totals.outcomes[i],
            data.individuals_by_outcome[i],
            percent(data.individuals_by_outcome[i], data.individuals, 1),
        ]
        for i, b in enumerate(BUCKETS)
    ]
    header = ("Outcome", "Allegations", "Individuals", "% of individuals")
    last = write_table(ws, header, rows, (26, 13, 13, 16), (None, "0", "0", "0.0"),
                  total=["All allegations", len(data.counted), data.individuals, None])  # fmt: skip
    ws.freeze_panes = ws.cell(row=TABLE_TOP + 1, column=2)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Individuals by outcome"
    chart.style = 2
    chart.legend = None
    chart.y_axis.title = "Individuals"
    chart.y_axis.majorGridlines = None
    chart.add_data(Reference(ws, min_col=3, min_row=TABLE_TOP, max_row=last - 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=TABLE_TOP + 1, max_row=last - 1))
    chart.x_axis.scaling.orientation = "maxMin"
    chart.height, chart.width = 9, 16
    ws.add_chart(chart, "F5")


def _breakdown_sheet(ws: Worksheet, b: Breakdown, context: ReturnContext) -> None:
    unit = "Counts are allegations; an allegation can count under several outcomes."
    if b.multi_valued:
        unit += (
            f" An allegation can have several {b.dimension.lower()}s, so rows add up to more than the total."
        )
    heading(ws, b.title, _subtitle(context, unit))
    header = (b.dimension, "Allegations", "Individuals", *(BUCKET_LABELS[x] for x in BUCKETS))
    rows: list[list[Any]] = [[_category(b, r.label), r.allegations, r.individuals, *r.outcomes] for r in b.rows]
    total: list[Any] = [b.total.label, b.total.allegations, b.total.individuals, *b.total.outcomes]
    widths = (max(18, min(34, max(len(str(r[0])) for r in [*rows, total]) + 2)), 11, 11, *[11] * len(BUCKETS))
    last = write_table(ws, header, rows, widths, (None, *["0"] * (len(header) - 1)), total=total)
    ws.freeze_panes = ws.cell(row=TABLE_TOP + 1, column=2)
    if b.key in ("quarter", "workforce_type", "investigating_body", "age_band"):
        _column_chart(ws, f"Allegations by {b.dimension.lower()}", TABLE_TOP, last - 1, anchor=f"A{last + 3}")


def _category(b: Breakdown, label: str) -> str:
    return label if b.key == "rank" else word(label)


def _column_chart(ws: Worksheet, title: str, top: int, bottom: int, anchor: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.style = 2
    chart.legend = None
    chart.y_axis.title = "Allegations"
    chart.add_data(Reference(ws, min_col=2, min_row=top, max_row=bottom), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=bottom))
    chart.height, chart.width = 9, 22
    ws.add_chart(chart, anchor)


def _time_sheet(ws: Worksheet, t: TimeToOutcome, context: ReturnContext) -> None:
    heading(
        ws,
        "Time from receipt to outcome",
        _subtitle(context, "Days from the date the case was received to the allegation's outcome date."),
    )
    rows: list[list[Any]] = [
        ["Allegations with an outcome", t.with_outcome],
        ["Median days to outcome", t.median_days],
        ["Mean days to outcome", None if t.mean_days is None else round(t.mean_days, 1)],
        ["90th percentile days to outcome", t.p90_days],
        ["Allegations without an outcome", t.open_allegations],
        ["  of which received more than 12 months ago", t.open_over_12_months],
    ]
    last = write_table(ws, ("Measure", "Value"), rows, (44, 14), (None, "0.0"))
    top = last + 2
    band_last = write_table(ws, ("Time to outcome", "Allegations"), [list(b) for b in t.bands], (44, 14), (None, "0"),
                       total=["Total", t.with_outcome], top=top)  # fmt: skip
    ws.freeze_panes = ws.cell(row=TABLE_TOP + 1, column=1)
    _column_chart(ws, "Allegations by time to outcome", top, band_last - 1, anchor="D5")


def _rate(part: int, whole: int) -> float | None:
    return percent(part, whole, 1)


def _restriction_sheet(ws: Worksheet, r: RestrictionCompliance, context: ReturnContext) -> None:
    heading(
        ws,
        "Restriction decisions and reviews",
        _subtitle(context, f"Compliance as at {context.as_of.isoformat()}."),
    )
    rows = [
        ["Threshold for investigation met", r.threshold_met, None],
        ["Restriction decisions due", r.decisions_due, None],
        ["  made on time", r.decided_on_time, _rate(r.decided_on_time, r.decisions_due)],
        ["  made late", r.decided_late, _rate(r.decided_late, r.decisions_due)],
        ["  overdue, not yet made", r.overdue_undecided, _rate(r.overdue_undecided, r.decisions_due)],
        ["Restriction decisions not yet due", r.not_yet_due, None],
        ["Decisions of no restriction (approved)", r.no_restriction_decisions, None],
        ["Allegations with a suspension", r.suspensions, None],
        ["Restriction reviews due", r.reviews_due, None],
        ["  recorded on time", r.reviews_on_time, _rate(r.reviews_on_time, r.reviews_due)],
        ["Exceptions: no suspension on charge", r.suspension_on_charge_exceptions, None],
        ["Exceptions: home force investigating against guidance", r.external_investigation_exceptions, None],
    ]
    write_table(ws, ("Measure", "Allegations", "% of due"), rows, (52, 13, 11), (None, "0", "0.0"))
    ws.freeze_panes = ws.cell(row=TABLE_TOP + 1, column=1)


def _referral_sheet(ws: Worksheet, r: IopcReferrals, context: ReturnContext) -> None:
    heading(
        ws, "IOPC referrals", _subtitle(context, "Referral to the Independent Office for Police Conduct.")
    )
    rows = [
        ["Allegations recorded", r.allegations, None],
        ["Mandatory referral ground applies", r.mandatory, _rate(r.mandatory, r.allegations)],
        ["  referred", r.mandatory_referred, _rate(r.mandatory_referred, r.mandatory)],
        [
            "  referred on time",
            r.mandatory_referred_on_time,
            _rate(r.mandatory_referred_on_time, r.mandatory),
        ],
        ["  not referred", r.mandatory_not_referred, _rate(r.mandatory_not_referred, r.mandatory)],
        ["Voluntary referrals", r.voluntary_referred, _rate(r.voluntary_referred, r.allegations)],
        ["All referrals", r.referred, _rate(r.referred, r.allegations)],
    ]
    last = write_table(ws, ("Measure", "Allegations", "%"), rows, (44, 13, 10), (None, "0", "0.0"))
    decisions = [[word(label), n, _rate(n, r.referred)] for label, n in r.decisions]
    write_table(ws, ("IOPC decision on referred allegations", "Allegations", "% of referred"), decisions,
           (44, 13, 10), (None, "0", "0.0"), total=["All referrals", r.referred, None], top=last + 2)  # fmt: skip
    ws.freeze_panes = ws.cell(row=TABLE_TOP + 1, column=1)


def _notes_sheet(ws: Worksheet, context: ReturnContext) -> None:
    heading(ws, "Notes", f"{context.force_name} ({context.force_code})")
    notes = [
        ["Marking", MARKING],
        ["Period", context.period.long_label],
        ["Exported at", context.exported_at.isoformat(timespec="seconds")],
        ["Exported by", context.exported_by],
        ["Unit", "Breakdown sheets count allegations recorded in the period; the Summary also gives "
                 "distinct individuals per outcome, as in the Commissioner's survey return."],
        ["Outcomes", "Each allegation's outcomes are the survey return's outcome buckets (rules below)."],
        ["Investigating body", "Internal: the home force; external: another force or the IOPC."],
        ["Compliance", "Decisions and reviews not made by their due date are overdue as at "
                       f"{context.as_of.isoformat()}."],
    ]  # fmt: skip
    notes += [[f"Counting rule {i}", readable(rule)] for i, rule in enumerate(COUNTING_RULES, start=1)]
    last = write_table(ws, ("Note", "Detail"), notes, (22, 95), (None, None))
    left_aligned(ws, 2, TABLE_TOP + 1, last)
    ws.freeze_panes = ws.cell(row=TABLE_TOP + 1, column=1)
