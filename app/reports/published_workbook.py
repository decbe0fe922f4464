"""The outcome workbook for a reader of aggregates only (the force's strategic lead): the same
audited publication as the annual report (app.reports.figures), for any period, as a workbook.
A printed count is a number; `<5`, `[c]` and `–` are text; the disclosure audit's verdict and the
method are in Notes. Nothing case-level, nothing the audit did not check."""

from __future__ import annotations

import os
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.breakdowns import compute_outcome_breakdowns
from app.reports.cells import save_workbook
from app.reports.charts import COMPLIANCE
from app.reports.counting import BUCKET_LABELS, BUCKETS, COUNTING_RULES
from app.reports.figures import PublishedFigures, key, publish_figures
from app.reports.files import atomic_path
from app.reports.marking import MARKING
from app.reports.method import PROTECTION, withheld_by_section
from app.reports.profiles import MAIN_OUTCOME_LABELS, MAIN_OUTCOME_RULE, MAIN_OUTCOMES, OTHER_NOTE, Profile, category
from app.reports.publication import MARKS_NOTE, NOT_SHOWN
from app.reports.read_models import AllegationFact, ReturnContext
from app.reports.words import readable
from app.reports.xlsx_layout import TABLE_TOP, finish, heading, left_aligned, write_table

COUNT = "#,##0"


def write_published_outcomes(
    path: str | os.PathLike[str], facts: Iterable[AllegationFact], context: ReturnContext
) -> PublishedFigures:
    """Write the protected figures of `context.period` (DisclosureRefused, nothing written, if the
    disclosure audit fails). For a survey year the figures are protected together with the previous
    year's, exactly as in that year's annual report, so the two never differ in what they withhold
    (`facts` must then cover the previous year too)."""
    facts = list(facts)
    current = compute_outcome_breakdowns(facts, context.period, context, breakdown_keys={"quarter"})
    previous = None
    if context.period.is_survey_year:
        previous = compute_outcome_breakdowns(facts, context.period.previous_year(), context,
                                              breakdown_keys={"quarter"})
    figures = publish_figures(current, previous, "outcome workbook", context.headcount, context.previous_headcount)
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    _summary(workbook.create_sheet("Summary"), figures, context)
    for p in figures.profiles:
        _profile(workbook.create_sheet(p.dimension[:31]), figures, p, context)
    _quarters(workbook.create_sheet("Quarter recorded"), figures, context)
    _time(workbook.create_sheet("Time to outcome"), figures, context)
    _compliance(workbook.create_sheet("Compliance"), figures, context)
    _notes(workbook.create_sheet("Notes"), figures, context)
    finish(workbook, f"PPDA outcome figures {context.force_name}")
    with atomic_path(path) as temp:
        save_workbook(workbook, temp)
    return figures


def _value(figures: PublishedFigures, k: tuple[object, ...]) -> int | str:
    shown = figures.pub.shown(k)
    return figures.pub.text(k) if shown is None else shown


def _subtitle(context: ReturnContext) -> str:
    return (f"{context.force_name}. Allegations recorded {context.period.long_label}. Counts under 5 are protected "
            "(see Notes).")


def _summary(ws: Worksheet, f: PublishedFigures, context: ReturnContext) -> None:
    y = f.year
    heading(ws, "PPDA outcome figures: summary", _subtitle(context))
    rows: list[list[object]] = [
        ["PPDA allegations recorded", _value(f, key("allegations", y)), ""],
        ["Individuals with PPDA allegations", _value(f, key("individuals", y)), ""],
        ["Individuals as % of workforce", f.workforce_share(y), ""],
    ]
    rows += [[BUCKET_LABELS[b], _value(f, key("outcome_individuals", y, b.value)),
              f.pub.rate(key("outcome_individuals", y, b.value), key("individuals", y))] for b in BUCKETS]
    write_table(ws, ("Measure", "Individuals or allegations", "% of individuals"), rows, (40, 16, 16),
                (None, COUNT, None))


def _profile(ws: Worksheet, f: PublishedFigures, p: Profile, context: ReturnContext) -> None:
    y = f.year
    heading(ws, f"Allegations by {p.dimension.lower()}, by main outcome", _subtitle(context))
    header = (p.dimension, "Allegations", "Individuals", *(MAIN_OUTCOME_LABELS[o] for o in MAIN_OUTCOMES))
    rows = [[category(p.key, r.label), _value(f, key("profile", y, p.key, r.label, "allegations")),
             _value(f, key("profile", y, p.key, r.label, "individuals")),
             *(_value(f, key("profile", y, p.key, r.label, o.value)) for o in MAIN_OUTCOMES)] for r in p.rows]
    total = ["Total", _value(f, key("allegations", y)), _value(f, key("individuals", y)),
             *(_value(f, key("main", y, o.value)) for o in MAIN_OUTCOMES)]
    last = write_table(ws, header, rows, (28, *[12] * 8), (None, *[COUNT] * 8), total=total)
    note = OTHER_NOTE + (" An allegation can have several abuse types, so rows add up to more than the total."
                         if p.multi_valued else "")
    ws.cell(row=last + 2, column=1, value=note)
    ws.cell(row=last + 3, column=1, value=MARKS_NOTE)


def _quarters(ws: Worksheet, f: PublishedFigures, context: ReturnContext) -> None:
    y = f.year
    heading(ws, "Allegations by quarter recorded", _subtitle(context))
    rows = [[q, _value(f, key("quarter", y, q)), _value(f, key("quarter_individuals", y, q))]
            for q in f.quarter_labels(y)]
    write_table(ws, ("Quarter", "Allegations", "Individuals"), rows, (20, 14, 14), (None, COUNT, COUNT),
                total=["Period", _value(f, key("allegations", y)), _value(f, key("individuals", y))])


def _time(ws: Worksheet, f: PublishedFigures, context: ReturnContext) -> None:
    y = f.year
    heading(ws, "Time from receipt to outcome", _subtitle(context))
    median = f.median_days(y)
    rows: list[list[object]] = [[label, _value(f, key("band", y, label))] for label,
                                _ in f.current.time_to_outcome.bands]
    rows += [["Median days to outcome", NOT_SHOWN if median is None else round(median)],
             ["Allegations with no outcome yet", _value(f, key("open", y))],
             ["  of which received more than 12 months ago", _value(f, key("open_12m", y))]]
    write_table(ws, ("Measure", "Allegations or days"), rows, (44, 18), (None, COUNT))


def _compliance(ws: Worksheet, f: PublishedFigures, context: ReturnContext) -> None:
    y = f.year
    heading(ws, "Restriction and referral deadlines", _subtitle(context))
    parts = (("decisions_late", "decisions_overdue"), ("reviews_late", None),
             ("mandatory_late", "mandatory_not_referred"))
    rows = [[name, _value(f, key(whole, y)), _value(f, key(part, y)), _value(f, key(late, y)),
             _value(f, key(undone, y)) if undone else "", f.rate(part, whole, y)]
            for (name, part, whole), (late, undone) in zip(COMPLIANCE, parts, strict=True)]
    last = write_table(ws, ("Deadline", "Due", "On time", "Late", "Not done", "% on time"), rows,
                       (28, 10, 10, 10, 10, 11), (None, *[COUNT] * 4, None))
    other = [[label, _value(f, key(name, y))] for label, name in (
        ("Decisions of no restriction", "no_restriction"), ("Allegations with a suspension", "suspensions"),
        ("Exceptions approved: no suspension on charge", "exception_charge"),
        ("Exceptions approved: investigated in force against guidance", "exception_external"),
        ("Voluntary referrals to the IOPC", "voluntary"), ("All referrals to the IOPC", "referred"))]
    write_table(ws, ("Other measures", "Allegations"), other, (52, 12), (None, COUNT), top=last + 2)


def _notes(ws: Worksheet, f: PublishedFigures, context: ReturnContext) -> None:
    heading(ws, "Notes", f"{context.force_name} ({context.force_code})")
    notes = [["Marking", MARKING], ["Period", context.period.long_label],
             ["Exported at", context.exported_at.isoformat(timespec="seconds")], ["Exported by", context.exported_by],
             ["Who this copy is for", "A reader of aggregate figures only: counts under 5 are protected as in the "
              "annual report, and no case-level data is included."],
             ["Marks", MARKS_NOTE], ["Main outcome", MAIN_OUTCOME_RULE]]
    notes += [[f"Protection {i}", line] for i, line in enumerate(PROTECTION, start=1)]
    notes.append(["Disclosure check", f.pub.verdict.summary()])
    notes += [[f"Withheld: {name}", f"{n} shown as <5, {w} withheld as [c]"] for name, n, w in withheld_by_section(f)]
    notes += [[f"Counting rule {i}", readable(rule)] for i, rule in enumerate(COUNTING_RULES, start=1)]
    last = write_table(ws, ("Note", "Detail"), notes, (26, 95), (None, None))
    left_aligned(ws, 2, TABLE_TOP + 1, last)
