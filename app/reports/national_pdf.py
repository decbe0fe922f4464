"""The national report (PDF) for the Domestic Abuse Commissioner's office: national totals and a
per-force table from many forces' survey returns, every count printed through the audited
publication (app.reports.national_figures), every page marked OFFICIAL-SENSITIVE and numbered.

Free text from the returns (systems used, 'unable to provide') is not printed: it can hold counts
(a data note gives a number of individuals) that the check cannot see.
"""

from __future__ import annotations

import os
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Paragraph, Spacer

from app.domain.enums import GuidanceCoverage
from app.domain.forces import force_name
from app.reports.aggregate import NOT_PROVIDED, Aggregation
from app.reports.counting import BUCKET_LABELS, BUCKETS
from app.reports.files import atomic_path
from app.reports.marking import MARKING
from app.reports.method import PROTECTION
from app.reports.national_figures import NationalPublication, publish_national
from app.reports.pdf_layout import (
    BODY_W,
    BULLET,
    H1,
    H2,
    SMALL,
    cover_band,
    document,
    esc,
    numbered_canvas,
    para,
    table,
)
from app.reports.publication import MARKS_NOTE
from app.reports.read_models import long_date
from app.reports.words import word

TITLE = "National report on PPDA survey returns"


def write_national_pdf(path: str | os.PathLike[str], result: Aggregation, produced_by: str,
                       produced_at: datetime) -> NationalPublication:
    """Suppress, audit and write (DisclosureRefused, nothing written, if the audit fails)."""
    national = publish_national(result)
    n = result.national
    period = f"{long_date(n.period_start)} to {long_date(n.period_end)}"
    story = _story(national, period, produced_by, produced_at)
    with atomic_path(path) as temp:
        doc = document(str(temp), TITLE, "PPDA Tracker", cover=lambda canvas: _cover(canvas, period))
        footer = f"PPDA national report {n.period_start.year}/{n.period_end.year % 100:02d}"
        doc.build(story, canvasmaker=numbered_canvas(footer))
    return national


def _cover(canvas: Canvas, period: str) -> None:
    cover_band(canvas, "Domestic Abuse Commissioner", "Police-perpetrated domestic abuse",
               "National report on forces' survey returns", period)


def _story(national: NationalPublication, period: str, produced_by: str, produced_at: datetime) -> list[Flowable]:
    result = national.result
    story: list[Flowable] = [
        Spacer(1, 6 * mm),
        para(f"{len(result.counted)} force returns counted; {len(result.rejected)} not counted (listed at the "
             "end with the reason)."),
        para("National figures are sums of the counted forces' returns: a person with allegations in two forces "
             "is counted by each. Counts of 1 to 4 are shown as <5 and some larger counts are withheld as [c] so "
             "that no count under 5 can be worked out, as checked before this report was written."),
        para(f"Produced on {long_date(produced_at.date())} by {produced_by}. Handle as {MARKING}.", SMALL),
        NextPageTemplate("body"), PageBreak(),
    ]
    story += _national(national)
    story += _guidance(result)
    story += _forces(national)
    story += _outcomes(national)
    story += _not_counted(result)
    story += _method(national)
    return story


def _national(national: NationalPublication) -> list[Flowable]:
    n = national.result.national
    rows = [
        ["Forces counted", f"{n.forces:,}"],
        ["PPDA allegations recorded", national.national("allegations")],
        ["Individuals with PPDA allegations", national.national("individuals")],
        ["Workforce headcount (forces that gave one)", f"{n.headcount:,}" if n.headcount else "not known"],
        ["Forces that gave a workforce headcount", f"{n.forces_with_headcount:,}"],
        ["Individuals in those forces", national.national("individuals_with_headcount")],
        ["Individuals as % of their workforce", national.national_share()],
    ]
    outcomes = [[BUCKET_LABELS[b], national.national(b.value), national.outcome_rate(b.value)] for b in BUCKETS]
    return [
        para("National figures", H1),
        table(("Measure", "All counted forces"), rows, (BODY_W - 40 * mm, 40 * mm)),
        Spacer(1, 4 * mm),
        para("Outcomes (individuals; an individual can have several)", H2),
        table(("Outcome", "Individuals", "% of individuals"), outcomes, (BODY_W - 60 * mm, 30 * mm, 30 * mm)),
    ]


def _guidance(result: Aggregation) -> list[Flowable]:
    n = result.national
    coverage = [*(c.name for c in GuidanceCoverage), NOT_PROVIDED]
    rows = [[word(c) if c != NOT_PROVIDED else "Not provided", f"{n.role_guidance[c]:,}", f"{n.external_guidance[c]:,}"]
            for c in coverage]
    return [
        para("Forces by guidance coverage", H2),
        para("How many forces have guidance restricting the roles of officers under PPDA investigation, and guidance "
             "requiring external investigation (forces, not people: not suppressed)."),
        table(("Coverage", "Restricting roles", "External investigation"), rows,
              (BODY_W - 80 * mm, 40 * mm, 40 * mm)),
    ]


def _forces(national: NationalPublication) -> list[Flowable]:
    rows = []
    for r in national.result.counted:
        f = r.figures
        rows.append([force_name(f.force), national.force(f.force, "allegations"),
                     national.force(f.force, "individuals"),
                     f"{f.headcount:,}" if f.headcount else "not provided",
                     national.workforce_share(f.force, f.headcount),
                     _coverage(f.role_restriction_guidance), _coverage(f.external_investigation_guidance)])
    header = ("Force", "Allegations", "Individuals", "Headcount", "% of workforce", "Guidance: roles",
              "Guidance: external")
    return [
        PageBreak(), para("Figures by force", H1),
        table(header, rows, (BODY_W - 122 * mm, 18 * mm, 18 * mm, 20 * mm, 20 * mm, 23 * mm, 23 * mm), narrow=True),
    ]


def _coverage(value: GuidanceCoverage | None) -> str:
    return word(value.name) if value else "Not provided"


def _outcomes(national: NationalPublication) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), para("Outcomes by force (individuals)", H1)]
    halves = (BUCKETS[:6], BUCKETS[6:])
    for i, buckets in enumerate(halves, start=1):
        rows = [[force_name(r.figures.force), *(national.force(r.figures.force, b.value) for b in buckets)]
                for r in national.result.counted]
        rows.append(["All counted forces", *(national.national(b.value) for b in buckets)])
        width = (BODY_W - 46 * mm) / len(buckets)
        story += [para(f"Part {i} of 2", H2),
                  table(("Force", *(BUCKET_LABELS[b] for b in buckets)), rows, (46 * mm, *[width] * len(buckets)),
                        total=True, narrow=True)]
    story.append(para(MARKS_NOTE, SMALL))
    return story


def _not_counted(result: Aggregation) -> list[Flowable]:
    if not result.rejected:
        return []
    rows = [[r.file, r.reason] for r in result.rejected]
    return [para("Returns not counted", H2), table(("File", "Reason"), rows, (60 * mm, BODY_W - 60 * mm))]


def _method(national: NationalPublication) -> list[Flowable]:
    return [
        PageBreak(), para("Method", H1),
        para("Each force's figures are read from its survey return exactly as the force counted them (the counting "
             "rules are in each return's Notes sheet). A return that does not follow the layout, names a force that "
             "is not a force code, covers another period or repeats a force already counted is not counted."),
        para("Small numbers and the disclosure check", H2),
        *[Paragraph(esc(line), BULLET, bulletText="•") for line in PROTECTION[:4]],
        para(f"Disclosure check: {national.pub.verdict.summary()}"),
    ]
