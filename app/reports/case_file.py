"""The case-file PDF (issue #15): the bundle of one case for an IOPC referral or a misconduct hearing —
the summary, the case's details, allegations, victims WITHOUT their contact details, every decision
with its rationale and who proposed, decided and approved it, the case log (corrections shown as
such), the tasks, and the list of documents with their SHA-256 digests (so the recipient can check
the copies they are given). OFFICIAL-SENSITIVE on every page (app.reports.pdf_layout).

The service (app.services.casefile.export) builds the read model (app.reports.case_file_model) from
what the exporting user may read, and logs the file as a disclosure with its recipient. No Qt, no
database here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
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

from app.reports.case_file_model import CaseFile, FileItem, dated
from app.reports.marking import MARKING
from app.reports.pdf_layout import (
    BODY,
    BODY_W,
    CELL,
    H1,
    H2,
    HEAD_CELL,
    INK,
    MUTED,
    NAVY,
    RULE,
    SMALL,
    STRIPE,
    cover_band,
    document,
    esc,
    numbered_canvas,
)

MONO = ParagraphStyle("mono", parent=CELL, fontName="Courier", fontSize=7, leading=9)
LABEL = ParagraphStyle("label", parent=CELL, fontName="Helvetica-Bold", textColor=NAVY)
ITEM_HEAD = ParagraphStyle("item_head", parent=BODY, fontName="Helvetica-Bold", spaceBefore=6, spaceAfter=2)
ITEM_META = ParagraphStyle("item_meta", parent=SMALL, spaceAfter=2)
QUOTE = ParagraphStyle("quote", parent=BODY, leftIndent=8, spaceAfter=3)
STRUCK = ParagraphStyle("struck", parent=QUOTE, textColor=MUTED)
EXCLUDED = "Victims' contact details are excluded from this file."


def write_case_file(path: str | os.PathLike[str], f: CaseFile) -> int:
    """Write the file to `path` (the caller makes it atomic); the number of pages."""
    doc = document(str(path), f"Case file {f.reference}", f.force_name, cover=lambda c: _cover_band(c, f))
    pages: list[int] = []

    class Counting(numbered_canvas(f"Case file {f.reference}")):  # type: ignore[misc]
        def save(self) -> None:
            pages.append(len(self._pages))
            super().save()

    doc.build(_story(f), canvasmaker=Counting)
    return pages[0] if pages else 0


def _cover_band(canvas: Canvas, f: CaseFile) -> None:
    cover_band(canvas, f.force_name, "Case file", f.reference,
               f"Prepared for {f.recipient} on {dated(f.prepared_at)}"[:95])


def _story(f: CaseFile) -> list[Flowable]:
    story: list[Flowable] = _cover(f)
    story += [NextPageTemplate("body"), PageBreak()]
    story += _summary(f)
    story += _allegations(f)
    story += _victims(f)
    story += _items(4, "Decisions", f.decisions, "No decision has been recorded.")
    story += _items(5, "Case log", f.entries, "The case log has no entries.")
    story += _tasks(f)
    story += _documents(f)
    return story


# ---- building blocks ---------------------------------------------------------------------------

def text(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """Free text as written: escaped, its line breaks kept."""
    return Paragraph(esc(value).replace("\n", "<br/>"), style)


def pairs_table(pairs: Sequence[tuple[str, str]], label_width: float = 42 * mm) -> Table:
    rows = [[Paragraph(esc(k), LABEL), text(v or "—", CELL)] for k, v in pairs]
    made = Table(rows, colWidths=[label_width, BODY_W - label_width], hAlign="LEFT")
    made.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                              ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                              ("LEFTPADDING", (0, 0), (-1, -1), 3)]))
    return made


def grid(header: Sequence[str], rows: Sequence[Sequence[Paragraph | str]], widths: Sequence[float]) -> Table:
    """A text table: navy header row repeated on each page, light stripes, everything left-aligned."""
    data: list[list[Paragraph | str]] = [[Paragraph(esc(h), HEAD_CELL) for h in header]]
    data += [[c if isinstance(c, Paragraph) else text(c, CELL) for c in row] for row in rows]
    made = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    style = [("BACKGROUND", (0, 0), (-1, 0), NAVY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TEXTCOLOR", (0, 1), (-1, -1), INK), ("TOPPADDING", (0, 0), (-1, -1), 3),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("LEFTPADDING", (0, 0), (-1, -1), 4),
             ("LINEBELOW", (0, -1), (-1, -1), 0.6, NAVY)]
    style += [("BACKGROUND", (0, i), (-1, i), STRIPE) for i in range(2, len(data), 2)]
    made.setStyle(TableStyle(style))
    return made


# ---- sections ----------------------------------------------------------------------------------

def _cover(f: CaseFile) -> list[Flowable]:
    about = [("Case", f.reference), ("Prepared for", f.recipient)]
    if f.purpose:
        about.append(("Purpose", f.purpose))
    about += [("Prepared by", f.prepared_by), ("Prepared on", f"{dated(f.prepared_at)} at {f.prepared_at:%H:%M}"),
              ("Handling", f"{MARKING}. This disclosure is recorded in the force's access log with its recipient. "
                           "Do not copy or pass it on except as the recipient's procedures allow.")]
    contents = ["Summary and case details", "Allegations", "Victims", f"Decisions ({len(f.decisions)})",
                f"Case log ({len(f.entries)} entries)", f"Tasks ({len(f.tasks)})",
                f"Documents ({len(f.documents)} versions, with SHA-256)"]
    story: list[Flowable] = [Spacer(1, 4 * mm), pairs_table(about), Spacer(1, 6 * mm),
                             Paragraph("Contents", H2)]
    story += [Paragraph(f"{i}. {esc(c)}", BODY) for i, c in enumerate(contents, start=1)]
    withheld = " Victims' details are not included: the file was prepared by the IOPC liaison, who does " \
               "not see them." if f.victims_withheld else ""
    story.append(Paragraph(esc(EXCLUDED + withheld), SMALL))
    return story


def _summary(f: CaseFile) -> list[Flowable]:
    return [Paragraph("1. Summary and case details", H1),
            text(f.summary or "No summary has been recorded.", BODY if f.summary else SMALL),
            Spacer(1, 3 * mm), pairs_table(f.facts)]


def _allegations(f: CaseFile) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("2. Allegations", H1)]
    for i, a in enumerate(f.allegations, start=1):
        story.append(KeepTogether([Paragraph(f"2.{i} {esc(a.subject)}", H2), pairs_table(a.facts)]))
    return story


def _victims(f: CaseFile) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("3. Victims", H1)]
    if f.victims_withheld:
        return [*story,
                text("Victims' details are not shown to the IOPC liaison and are not included. " "Ask the case team.",
                     SMALL)]
    story.append(text(EXCLUDED, SMALL))
    for v in f.victims:
        story.append(KeepTogether([Paragraph(f"Victim {esc(v.reference)}", H2), pairs_table(v.facts)]))
    return story


def _items(number: int, title: str, items: Sequence[FileItem], empty: str) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(40 * mm), Paragraph(f"{number}. {title}", H1)]
    if not items:
        return [*story, text(empty, SMALL)]
    return story + [_item(i) for i in items]


def _item(i: FileItem) -> Flowable:
    head = f"{dated(i.on)} — {i.kind}" + (f" — {i.subject}" if i.subject else "") + f" ({i.noun} {i.number})"
    meta = "; ".join(f"{k} {v}" for k, v in i.people if v)
    if i.written_at is not None:
        meta += f"; written {dated(i.written_at)} {i.written_at:%H:%M}"
    parts: list[Flowable] = [Paragraph(esc(head), ITEM_HEAD), Paragraph(esc(meta), ITEM_META)]
    if i.corrects is not None:
        parts.append(Paragraph(esc(f"Correction of entry {i.corrects}. Reason: {i.correction_reason or '—'}"),
                               ITEM_META))
    if i.corrected_by is not None:
        parts.append(Paragraph(esc(f"CORRECTED by entry {i.corrected_by} (kept as first written)."), ITEM_META))
    if i.text:
        parts.append(text(i.text, STRUCK if i.corrected_by is not None else QUOTE))
    if i.details:
        parts.append(Paragraph(esc("; ".join(f"{k}: {v}" for k, v in i.details)), ITEM_META))
    return KeepTogether(parts)


def _tasks(f: CaseFile) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(40 * mm), Paragraph("6. Tasks", H1)]
    if not f.tasks:
        return [*story, text("No task has been given on this case.", SMALL)]
    rows = [[t.what, t.given_to, dated(t.due), t.status] for t in f.tasks]
    return [*story, grid(["Task", "Given to", "Due", "Status"], rows, [BODY_W - 100 * mm, 45 * mm, 27 * mm, 28 * mm])]


def _documents(f: CaseFile) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(40 * mm), Paragraph("7. Documents", H1),
                             text("Every version held, with its SHA-256 digest: a copy whose digest differs is "
                                  "not the document held on the case.", SMALL)]
    if not f.documents:
        return [*story, text("No document is attached to this case.", SMALL)]
    rows = [[text(f"{d.title} ({d.kind})", CELL), str(d.number), text(f"{d.filename}\n{d.size}", CELL),
             Paragraph(esc(d.sha256[:32]) + "<br/>" + esc(d.sha256[32:]), MONO), d.uploaded] for d in f.documents]
    return [*story,
            grid(["Document", "Version", "File", "SHA-256", "Added"], rows,
                 [40 * mm, 14 * mm, 34 * mm, 52 * mm, BODY_W - 140 * mm])]
