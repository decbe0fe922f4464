"""The annual report (PDF) for the force's strategic lead: aggregate figures only.

Every count of 1 to 4 is shown as "<5" (tables, charts and commentary alike) and every page carries
the OFFICIAL-SENSITIVE marking and its page number.
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

from app.reports.breakdowns import (
    AWAITING_DECISION,
    NOT_REFERRED,
    Breakdown,
    OutcomeBreakdowns,
    compute_outcome_breakdowns,
)
from app.reports.charts import (
    ChartSpec,
    compliance_chart,
    outcomes_chart,
    quarters_chart,
    time_to_outcome_chart,
)
from app.reports.commentary import commentary
from app.reports.counting import BUCKET_LABELS, BUCKETS, COUNTING_RULES, Bucket, left_without_end_date
from app.reports.files import atomic_path
from app.reports.marking import MARKING
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
from app.reports.read_models import AllegationFact, ReturnContext, long_date
from app.reports.suppression import SUPPRESSED, WITHHELD, is_suppressed, show_count, show_rate, show_statistic


@dataclass(frozen=True)
class AnnualReport:
    """What the report showed (for the caller's message and the tests)."""

    current: OutcomeBreakdowns
    previous: OutcomeBreakdowns
    commentary: tuple[str, ...]
    charts: tuple[ChartSpec, ...]


def write_annual_report(
    path: str | os.PathLike[str], facts: Iterable[AllegationFact], context: ReturnContext
) -> AnnualReport:
    """Write the annual report for `context.period` (with the previous year for comparison)."""
    facts = list(facts)
    current = compute_outcome_breakdowns(facts, context.period, context)
    previous = compute_outcome_breakdowns(
        facts, context.period.previous_year(), context, breakdown_keys={"quarter"}
    )
    compare = previous if previous.counted else None
    notes = tuple(commentary(current, compare, context.headcount, context.previous_headcount))
    charts = (
        outcomes_chart(current, compare),
        quarters_chart(current, compare),
        compliance_chart(current, compare),
        time_to_outcome_chart(current, compare),
    )
    report = AnnualReport(current, previous, notes, charts)
    story = _story(report, context)
    with atomic_path(path) as temp:
        doc = document(str(temp), f"Police-perpetrated domestic abuse: annual report {context.period.label}",
                       context.force_name, cover=lambda canvas: _cover_band(canvas, context))  # fmt: skip
        footer = f"{context.force_name} · PPDA annual report {context.period.label}"
        doc.build(story, canvasmaker=numbered_canvas(footer))
    return report


def _cover_band(canvas: Canvas, context: ReturnContext) -> None:
    cover_band(canvas, context.force_name, "Police-perpetrated domestic abuse",
               f"Annual report {context.period.label}", context.period.long_label)  # fmt: skip


# --- the story ----------------------------------------------------------------------------------


def _story(report: AnnualReport, context: ReturnContext) -> list[Flowable]:
    story: list[Flowable] = _cover(report, context)
    story += [NextPageTemplate("body"), PageBreak()]
    story += _summary(report, context)
    story += _outcomes(report)
    story += _quarters(report)
    story += _compliance(report)
    story += _time_to_outcome(report)
    story += _profiles(report)
    story += _methodology(report, context)
    return story


def _cover(report: AnnualReport, context: ReturnContext) -> list[Flowable]:
    c = report.current
    tiles = [
        (show_count(len(c.counted)), "PPDA allegations recorded"),
        (show_count(c.individuals), "individuals they concern"),
        (_workforce_share(c.individuals, context.headcount), "of the workforce"),
        (show_count(c.individuals_by_outcome[BUCKETS.index(Bucket.DISMISSED)]), "individuals dismissed"),
    ]
    cells = [[[Paragraph(esc(n), TILE_NUMBER), Paragraph(esc(label), TILE_LABEL)] for n, label in tiles]]
    grid = Table(cells, colWidths=[BODY_W / 4] * 4, hAlign="LEFT")
    grid.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 2, NAVY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 8)]))  # fmt: skip
    about = (
        "This report gives aggregate figures only: no person, case or victim can be identified from it. "
        f"Counts from 1 to 4 are shown as {SUPPRESSED}, and percentages or averages that would reveal them "
        f"are shown as {WITHHELD}. Allegations are counted by the date the Professional Standards Department "
        "recorded them; outcomes are those recorded by the date of the report."
    )
    return [
        Spacer(1, 6 * mm),
        para("Key figures", H2),
        grid,
        Spacer(1, 10 * mm),
        para("About this report", H2),
        para(about),
        Spacer(1, 6 * mm),
        para(f"Prepared by the Professional Standards Department, {context.force_name}.", SMALL),
        para(
            f"Produced on {long_date(context.exported_at.date())} by {context.exported_by}. Handle as {MARKING}.",
            SMALL,
        ),
    ]


def _workforce_share(individuals: int, headcount: int | None) -> str:
    if not headcount:
        return "not known"
    if is_suppressed(individuals):
        return WITHHELD
    return f"{individuals * 100 / headcount:.2f}%"


def _summary(report: AnnualReport, context: ReturnContext) -> list[Flowable]:
    c, p = report.current, report.previous
    prev = p.period.label
    rows = [
        ["PPDA allegations recorded", show_count(len(c.counted)), show_count(len(p.counted))],
        ["Individuals with PPDA allegations", show_count(c.individuals), show_count(p.individuals)],
        ["Workforce headcount", _headcount(context.headcount), _headcount(context.previous_headcount)],
        ["Individuals as % of workforce", _workforce_share(c.individuals, context.headcount),
         _workforce_share(p.individuals, context.previous_headcount)],
        ["Allegations referred to the IOPC", show_count(c.referrals.referred), show_count(p.referrals.referred)],
        ["Allegations with an outcome recorded", show_count(c.time_to_outcome.with_outcome),
         show_count(p.time_to_outcome.with_outcome)],
    ]  # fmt: skip
    return [
        para(f"Summary {c.period.label}", H1),
        *[Paragraph(esc(line), BULLET, bulletText="•") for line in report.commentary],
        Spacer(1, 4 * mm),
        para("Key figures compared with the previous year", H2),
        table(("Measure", c.period.label, prev), rows, (BODY_W - 60 * mm, 30 * mm, 30 * mm)),
    ]


def _headcount(value: int | None) -> str:
    return f"{value:,}" if value else "not recorded"


def _outcomes(report: AnnualReport) -> list[Flowable]:
    c, p = report.current, report.previous
    rows = []
    for i, b in enumerate(BUCKETS):
        now, before = c.individuals_by_outcome[i], p.individuals_by_outcome[i]
        rows.append(
            [
                BUCKET_LABELS[b],
                show_count(now),
                show_rate(now, c.individuals),
                show_count(before),
                show_rate(before, p.individuals),
            ]
        )
    header = (
        "Outcome",
        f"Individuals {c.period.label}",
        "% of individuals",
        f"Individuals {p.period.label}",
        "% of individuals",
    )
    return [
        CondPageBreak(120 * mm),
        para("Outcomes", H1),
        para(
            "Each individual is counted once in every outcome that any of their allegations recorded in the "
            "year has, so the percentages can add up to more than 100."
        ),  # fmt: skip
        chart_block(1, report.charts[0], height=78 * mm),
        table(header, rows, (BODY_W - 100 * mm, 25 * mm, 25 * mm, 25 * mm, 25 * mm)),
    ]


def _quarters(report: AnnualReport) -> list[Flowable]:
    c, p = report.current, report.previous
    now_rows, before_rows = c.breakdown("quarter").rows, p.breakdown("quarter").rows
    rows = [
        [now.label, show_count(now.allegations), show_count(now.individuals),
         before.label if before else "", show_count(before.allegations) if before else ""]
        for now, before in zip(now_rows, [*before_rows, *[None] * len(now_rows)], strict=False)
    ]  # fmt: skip
    rows.append(
        [
            "Year",
            show_count(len(c.counted)),
            show_count(c.individuals),
            p.period.label,
            show_count(len(p.counted)),
        ]
    )
    header = ("Quarter", "Allegations", "Individuals", "Same quarter, previous year", "Allegations")
    return [
        CondPageBreak(110 * mm),
        para("Allegations by quarter", H1),
        chart_block(2, report.charts[1]),
        table(header, rows, (BODY_W - 105 * mm, 25 * mm, 25 * mm, 30 * mm, 25 * mm), total=True),
    ]


def _compliance(report: AnnualReport) -> list[Flowable]:
    r, i = report.current.restrictions, report.current.referrals
    rows = [
        ["Restriction decisions due (threshold met)", show_count(r.decisions_due), show_count(r.decided_on_time),
         show_rate(r.decided_on_time, r.decisions_due)],
        ["Restriction reviews due", show_count(r.reviews_due), show_count(r.reviews_on_time),
         show_rate(r.reviews_on_time, r.reviews_due)],
        ["Mandatory IOPC referrals", show_count(i.mandatory), show_count(i.mandatory_referred_on_time),
         show_rate(i.mandatory_referred_on_time, i.mandatory)],
    ]  # fmt: skip
    other = [
        ["Restriction decisions overdue, not yet made", show_count(r.overdue_undecided)],
        ["Decisions of no restriction (approved by a supervisor)", show_count(r.no_restriction_decisions)],
        ["Allegations with a suspension", show_count(r.suspensions)],
        ["Exceptions approved: no suspension on charge", show_count(r.suspension_on_charge_exceptions)],
        [
            "Exceptions approved: investigated in force against guidance",
            show_count(r.external_investigation_exceptions),
        ],
        ["Voluntary referrals to the IOPC", show_count(i.voluntary_referred)],
        ["All referrals to the IOPC", show_count(i.referred)],
    ]
    return [
        CondPageBreak(120 * mm),
        para("Restriction and referral compliance", H1),
        para(
            "Whether restriction decisions, restriction reviews and mandatory referrals to the Independent "
            "Office for Police Conduct (IOPC) were made by their deadlines, for allegations recorded in the year."
        ),  # fmt: skip
        chart_block(3, report.charts[2], height=50 * mm),
        table(
            ("Deadline", "Due", "On time", "% on time"), rows, (BODY_W - 75 * mm, 25 * mm, 25 * mm, 25 * mm)
        ),
        Spacer(1, 4 * mm),
        table(("Other measures", "Allegations"), other, (BODY_W - 25 * mm, 25 * mm)),
    ]


def _time_to_outcome(report: AnnualReport) -> list[Flowable]:
    c, p = report.current.time_to_outcome, report.previous.time_to_outcome
    rows = [
        [label, show_count(n), show_count(pn)] for (label, n), (_, pn) in zip(c.bands, p.bands, strict=True)
    ]
    rows += [
        [
            "Median days",
            show_statistic(c.median_days, c.with_outcome),
            show_statistic(p.median_days, p.with_outcome),
        ],
        ["Allegations with no outcome yet", show_count(c.open_allegations), show_count(p.open_allegations)],
        [
            "\u00a0\u00a0\u00a0of which received over 12 months ago",
            show_count(c.open_over_12_months),
            show_count(p.open_over_12_months),
        ],
    ]
    return [
        CondPageBreak(110 * mm),
        para("Time from receipt to outcome", H1),
        para("Days from the date the force received the case to the date of the allegation's outcome."),
        chart_block(4, report.charts[3]),
        table(
            ("Time to outcome", report.current.period.label, report.previous.period.label),
            rows,
            (BODY_W - 60 * mm, 30 * mm, 30 * mm),
        ),  # fmt: skip
    ]


_PROFILE_BUCKETS = (Bucket.NO_CASE_TO_ANSWER, Bucket.LEARNING_OUTCOME, Bucket.DISMISSED, Bucket.ONGOING)


def _profiles(report: AnnualReport) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        para("Who the allegations concern", H1),
        para(
            "Allegations recorded in the year by characteristics of the subject and of the investigation, with "
            "the number of those allegations that had each of the main outcomes."
        ),  # fmt: skip
    ]
    for b in report.current.breakdowns:
        if b.key == "quarter":
            continue
        story.append(KeepTogether([para(b.title.replace("Outcomes by", "By"), H2), _profiletable(b)]))
        if b.multi_valued:
            story.append(
                para(
                    "An allegation can have several abuse types, so the rows add up to more than the total.",
                    SMALL,
                )
            )
    return story


def _profiletable(b: Breakdown) -> Table:
    header = (b.dimension, "Allegations", "Individuals", *(BUCKET_LABELS[x] for x in _PROFILE_BUCKETS))
    rows = [
        [
            r.label if b.key == "rank" else _label(r.label),
            show_count(r.allegations),
            show_count(r.individuals),
            *(show_count(r.outcome(x)) for x in _PROFILE_BUCKETS),
        ]
        for r in b.rows
    ]
    t = b.total
    rows.append(
        [
            "Total",
            show_count(t.allegations),
            show_count(t.individuals),
            *(show_count(t.outcome(x)) for x in _PROFILE_BUCKETS),
        ]
    )
    width = (BODY_W - 44 * mm) / 6
    return table(header, rows, (44 * mm, *[width] * 6), total=True)


_LABELS = {
    "PCSO": "PCSO",
    "UNDER_18": "Under 18",
    "AGE_18_24": "18 to 24",
    "AGE_25_34": "25 to 34",
    "AGE_35_44": "35 to 44",
    "AGE_45_54": "45 to 54",
    "AGE_55_PLUS": "55 and over",
    "EMOTIONAL_PSYCHOLOGICAL": "Emotional or psychological",
    "STALKING_HARASSMENT": "Stalking or harassment",
    "NON_FATAL_STRANGULATION": "Non-fatal strangulation",
    "TECHNOLOGY_FACILITATED": "Technology-facilitated",
    "F": "Female",
    "M": "Male",
    "U": "Unknown",
    NOT_REFERRED: "Not referred to the IOPC",
    AWAITING_DECISION: "Referred, awaiting IOPC decision",
}


def _label(name: str) -> str:
    """An enumerated name in plain English: `POLICE_OFFICER` -> `Police officer`."""
    if name in _LABELS:
        return _LABELS[name]
    if name.isupper() and " " not in name and len(name) > 1:
        return name.replace("_", " ").capitalize()
    return name


def _methodology(report: AnnualReport, context: ReturnContext) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        para("Methodology and counting rules", H1),
        para(
            "The figures are counted from the force's PPDA case records by the same rules as the force's return "
            "to the Domestic Abuse Commissioner's survey:"
        ),  # fmt: skip
    ]
    story += [Paragraph(esc(rule), BULLET, bulletText="•") for rule in COUNTING_RULES]
    story += [
        para("Other measures", H2),
        para(
            "Breakdown tables count allegations, with the distinct individuals they concern. Time to outcome "
            "counts days from the case's receipt to the allegation's latest outcome. A restriction decision is "
            "on time when it is made by the policy deadline after the threshold for investigation was met; a "
            f"decision or review still outstanding after its due date counts as late (as at "
            f"{long_date(context.as_of)})."
        ),  # fmt: skip
        para("Small numbers", H2),
        para(
            f"To protect the people involved, counts from 1 to 4 are shown as {SUPPRESSED} in every table, chart "
            f"and sentence. A percentage or average that would reveal such a count is shown as {WITHHELD}. "
            "Totals are exact."
        ),  # fmt: skip
    ]
    missing = left_without_end_date(report.current.counted)
    if missing:
        story += [
            para("Data quality", H2),
            para(
                f"{show_count(missing)} individuals recorded as resigned or retired have no end date, so whether "
                "they left while the allegation was live cannot be established; they are not counted as resigned "
                "or retired."
            ),  # fmt: skip
        ]
    return story
