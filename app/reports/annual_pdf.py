"""The annual report (PDF) for the force's strategic lead: aggregate figures only.

Every count is printed through the audited publication (app.reports.figures): small counts as `<5`,
complementary suppressions as `[c]`, in tables, charts and sentences alike; the disclosure audit runs
before anything is written and its verdict is on the method page. Every page carries the
OFFICIAL-SENSITIVE marking and its page number.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.reports.breakdowns import compute_outcome_breakdowns
from app.reports.charts import COMPLIANCE, ChartSpec, all_charts
from app.reports.commentary import commentary
from app.reports.counting import BUCKET_LABELS, BUCKETS, Bucket
from app.reports.figures import PublishedFigures, key, publish_figures
from app.reports.files import atomic_path
from app.reports.marking import MARKING
from app.reports.method import method_story
from app.reports.pdf_layout import (
    BODY_W,
    BULLET,
    H1,
    H2,
    NAVY,
    SMALL,
    TILE_LABEL,
    TILE_NUMBER,
    chart_block,
    cover_band,
    document,
    esc,
    numbered_canvas,
    para,
    table,
)
from app.reports.profiles import MAIN_OUTCOME_LABELS, MAIN_OUTCOMES, OTHER_NOTE, Profile, category
from app.reports.publication import MARKS_NOTE, NOT_SHOWN, SMALL_MARK, WITHHELD_MARK
from app.reports.read_models import AllegationFact, ReturnContext, long_date

REPORT = "annual report"


@dataclass(frozen=True)
class AnnualReport:
    """What the report showed (for the caller's message and the tests)."""

    figures: PublishedFigures
    commentary: tuple[str, ...]
    charts: tuple[ChartSpec, ...]


def annual_figures(facts: Iterable[AllegationFact], context: ReturnContext) -> PublishedFigures:
    """The audited figures of `context.period`, with the previous year for comparison."""
    facts = list(facts)
    current = compute_outcome_breakdowns(facts, context.period, context, breakdown_keys={"quarter"})
    previous = compute_outcome_breakdowns(facts, context.period.previous_year(), context, breakdown_keys={"quarter"})
    return publish_figures(current, previous, REPORT, context.headcount, context.previous_headcount)


def write_annual_report(
    path: str | os.PathLike[str], facts: Iterable[AllegationFact], context: ReturnContext
) -> AnnualReport:
    """Write the annual report for `context.period` (DisclosureRefused, nothing written, if the
    disclosure audit fails)."""
    figures = annual_figures(facts, context)
    report = AnnualReport(figures, tuple(commentary(figures)), all_charts(figures))
    story = _story(report, context)
    with atomic_path(path) as temp:
        doc = document(str(temp), f"Police-perpetrated domestic abuse: annual report {context.period.label}",
                       context.force_name, cover=lambda canvas: _cover_band(canvas, context))  # fmt: skip
        doc.build(story,
                  canvasmaker=numbered_canvas(f"{context.force_name} · PPDA annual report {context.period.label}"))
    return report


def _cover_band(canvas: Canvas, context: ReturnContext) -> None:
    cover_band(canvas, context.force_name, "Police-perpetrated domestic abuse",
               f"Annual report {context.period.label}", context.period.long_label)  # fmt: skip


def _story(report: AnnualReport, context: ReturnContext) -> list[Flowable]:
    f = report.figures
    story: list[Flowable] = _cover(f, context)
    story += [NextPageTemplate("body"), PageBreak()]
    story += _summary(report, f)
    story += _outcomes(report, f)
    story += _quarters(report, f)
    story += _compliance(report, f)
    story += _time_to_outcome(report, f)
    story += _profiles(f)
    story += method_story(f, context)
    return story


def _cover(f: PublishedFigures, context: ReturnContext) -> list[Flowable]:
    y = f.year
    tiles = [
        (f.text("allegations", y), "PPDA allegations recorded"),
        (f.text("individuals", y), "individuals they concern"),
        (f.workforce_share(y), "of the workforce"),
        (f.text("outcome_individuals", y, Bucket.DISMISSED.value), "individuals dismissed"),
    ]
    cells = [[[Paragraph(esc(n), TILE_NUMBER), Paragraph(esc(label), TILE_LABEL)] for n, label in tiles]]
    grid = Table(cells, colWidths=[BODY_W / 4] * 4, hAlign="LEFT")
    grid.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 2, NAVY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 8)]))  # fmt: skip
    about = (
        "This report gives aggregate figures only: no person, case or victim can be identified from it. "
        f"Counts from 1 to 4 are shown as {SMALL_MARK}; a few larger counts are withheld as {WITHHELD_MARK} so "
        "that a count under 5 cannot be worked out by adding or subtracting, and percentages or averages that "
        f"would reveal a withheld count are shown as {NOT_SHOWN}. A disclosure check proved this before the "
        "report was written (see the last page). Allegations are counted by the date the Professional "
        "Standards Department recorded them; outcomes are those recorded by the date of the report."
    )
    return [
        Spacer(1, 6 * mm), para("Key figures", H2), grid, Spacer(1, 10 * mm), para("About this report", H2),
        para(about), Spacer(1, 6 * mm),
        para(f"Prepared by the Professional Standards Department, {context.force_name}.", SMALL),
        para(f"Produced on {long_date(context.exported_at.date())} by {context.exported_by}. Handle as {MARKING}.",
             SMALL),
    ]


def _years_header(f: PublishedFigures, first: str) -> tuple[str, ...]:
    return (first, *f.years)


def _summary(report: AnnualReport, f: PublishedFigures) -> list[Flowable]:
    def row(label: str, name: str, *rest: object) -> list[str]:
        return [label, *(f.text(name, y, *rest) for y in f.years)]

    heads = [f.headcount, f.previous_headcount][: len(f.years)]
    rows = [
        row("PPDA allegations recorded", "allegations"),
        row("Individuals with PPDA allegations", "individuals"),
        ["Workforce headcount", *(f"{h:,}" if h else "not recorded" for h in heads)],
        ["Individuals as % of workforce", *(f.workforce_share(y) for y in f.years)],
        row("Allegations referred to the IOPC", "referred"),
        row("Allegations with an outcome recorded", "with_outcome"),
    ]
    width = (BODY_W - 30 * mm * len(f.years), *[30 * mm] * len(f.years))
    return [
        para(f"Summary {f.year}", H1),
        *[Paragraph(esc(line), BULLET, bulletText="•") for line in report.commentary],
        Spacer(1, 4 * mm),
        para("Key figures compared with the previous year", H2),
        table(_years_header(f, "Measure"), rows, width),
    ]


def _outcomes(report: AnnualReport, f: PublishedFigures) -> list[Flowable]:
    rows = []
    for b in BUCKETS:
        cells = []
        for y in f.years:
            k = key("outcome_individuals", y, b.value)
            cells += [f.pub.text(k), f.pub.rate(k, key("individuals", y))]
        rows.append([BUCKET_LABELS[b], *cells])
    header = ("Outcome", *[h for y in f.years for h in (f"Individuals {y}", "% of individuals")])
    widths = (BODY_W - 50 * mm * len(f.years), *[25 * mm] * (2 * len(f.years)))
    return [
        CondPageBreak(120 * mm),
        para("Outcomes", H1),
        para("Each individual is counted once in every outcome that any of their allegations recorded in the "
             "year has, so the percentages can add up to more than 100."),
        chart_block(1, report.charts[0], height=78 * mm),
        table(header, rows, widths),
    ]


def _quarters(report: AnnualReport, f: PublishedFigures) -> list[Flowable]:
    now = f.quarter_labels(f.year)
    before = f.quarter_labels(f.previous.period.label) if f.previous else ()
    rows = []
    for i, q in enumerate(now):
        row = [q, f.text("quarter", f.year, q), f.text("quarter_individuals", f.year, q)]
        if before and f.previous is not None:
            row += [before[i], f.text("quarter", f.previous.period.label, before[i])] if i < len(before) else ["", ""]
        rows.append(row)
    total = ["Year", f.text("allegations", f.year), f.text("individuals", f.year)]
    header: tuple[str, ...] = ("Quarter", "Allegations", "Individuals")
    widths: tuple[float, ...] = (BODY_W - 50 * mm, 25 * mm, 25 * mm)
    if before:
        assert f.previous is not None
        total += [f.previous.period.label, f.text("allegations", f.previous.period.label)]
        header += ("Same quarter, previous year", "Allegations")
        widths = (BODY_W - 105 * mm, 25 * mm, 25 * mm, 30 * mm, 25 * mm)
    return [
        CondPageBreak(110 * mm),
        para("Allegations by quarter", H1),
        chart_block(2, report.charts[1]),
        table(header, [*rows, total], widths, total=True),
        para("A person with allegations in several quarters is counted in each, so the individuals in the "
             "quarters can add up to more than the year's.", SMALL),
    ]


def _compliance(report: AnnualReport, f: PublishedFigures) -> list[Flowable]:
    parts = {"decisions": ("decisions_on_time", "decisions_late", "decisions_overdue", "decisions_due"),
             "reviews": ("reviews_on_time", "reviews_late", None, "reviews_due"),
             "mandatory": ("mandatory_on_time", "mandatory_late", "mandatory_not_referred", "mandatory")}
    rows = []
    for (name, _, _), (on_time, late, undone, due) in zip(COMPLIANCE, parts.values(), strict=True):
        for y in f.years:
            rows.append([f"{name} {y}", f.text(due, y), f.text(on_time, y), f.text(late, y),
                         f.text(undone, y) if undone else "", f.rate(on_time, due, y)])
    other = [[label, f.text(name, f.year)] for label, name in (
        ("Decisions of no restriction (approved by a supervisor)", "no_restriction"),
        ("Allegations with a suspension", "suspensions"),
        ("Exceptions approved: no suspension on charge", "exception_charge"),
        ("Exceptions approved: investigated in force against guidance", "exception_external"),
        ("Voluntary referrals to the IOPC", "voluntary"),
        ("All referrals to the IOPC", "referred"),
    )]
    header = ("Deadline", "Due", "On time", "Late", "Not done", "% on time")
    return [
        CondPageBreak(120 * mm),
        para("Restriction and referral compliance", H1),
        para("Whether restriction decisions, restriction reviews and mandatory referrals to the Independent "
             "Office for Police Conduct (IOPC) were made by their deadlines, for allegations recorded in each "
             "year. 'Not done': a restriction decision overdue and not yet made, or a mandatory referral not "
             "made."),
        chart_block(3, report.charts[2], height=50 * mm),
        table(header, rows, (BODY_W - 100 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm)),
        Spacer(1, 4 * mm),
        table(("Other measures", f"Allegations {f.year}"), other, (BODY_W - 30 * mm, 30 * mm)),
    ]


def _time_to_outcome(report: AnnualReport, f: PublishedFigures) -> list[Flowable]:
    bands = [label for label, _ in f.current.time_to_outcome.bands]
    rows = [[label, *(f.text("band", y, label) for y in f.years)] for label in bands]
    rows.append(["Median days", *(_days(f.median_days(y)) for y in f.years)])
    rows.append(["Allegations with no outcome yet", *(f.text("open", y) for y in f.years)])
    rows.append(["\u00a0\u00a0\u00a0of which received over 12 months ago", *(f.text("open_12m", y) for y in f.years)])
    width = (BODY_W - 30 * mm * len(f.years), *[30 * mm] * len(f.years))
    return [
        CondPageBreak(110 * mm),
        para("Time from receipt to outcome", H1),
        para("Days from the date the force received the case to the date of the allegation's outcome."),
        chart_block(4, report.charts[3]),
        table(_years_header(f, "Time to outcome"), rows, width),
    ]


def _days(value: float | None) -> str:
    return NOT_SHOWN if value is None else f"{value:,.0f}"


def _profiles(f: PublishedFigures) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        para("Who the allegations concern", H1),
        para("Allegations recorded in the year by characteristics of the subject and of the investigation, each "
             "split by its main outcome (the most serious outcome recorded; see the method page), so every row "
             "adds up to its allegations. " + OTHER_NOTE),
    ]
    for p in f.profiles:
        block: list[Flowable] = [para(f"By {p.dimension.lower()}", H2), _profile_table(f, p)]
        if p.multi_valued:
            block.append(para("An allegation can have several abuse types, so the rows add up to more than the "
                              "total.", SMALL))
        story.append(KeepTogether(block))
    story.append(para(MARKS_NOTE, SMALL))
    return story


def _profile_table(f: PublishedFigures, p: Profile) -> Table:
    y = f.year
    header = (p.dimension, "Allegations", "Individuals", *(MAIN_OUTCOME_LABELS[o] for o in MAIN_OUTCOMES))
    rows = [[category(p.key, r.label), f.text("profile", y, p.key, r.label, "allegations"),
             f.text("profile", y, p.key, r.label, "individuals"),
             *(f.text("profile", y, p.key, r.label, o.value) for o in MAIN_OUTCOMES)] for r in p.rows]
    rows.append(["Total", f.text("allegations", y), f.text("individuals", y),
                 *(f.text("main", y, o.value) for o in MAIN_OUTCOMES)])
    width = (BODY_W - 32 * mm) / 8
    return table(header, rows, (32 * mm, *[width] * 8), total=True, narrow=True)
