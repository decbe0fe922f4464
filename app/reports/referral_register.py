"""The IOPC liaison's referral register: every IOPC referral in a period, one row per referred
allegation, in words, printable (A4 landscape, headings on every page, the marking in every page's
header and footer). Rows are built by the service (app.services.referrals); this writes them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

from app.reports.cells import save_workbook
from app.reports.files import atomic_path
from app.reports.marking import MARKING
from app.reports.read_models import Period

DATE = "dd mmm yyyy"


@dataclass(frozen=True)
class ReferralRow:
    case_ref: str
    subject: str
    """Name and staff number (victim details are never in the register)."""
    grounds: str
    """The mandatory grounds in words, or 'Voluntary'."""
    referred_on: date
    due_on: date | None
    within_deadline: str
    iopc_reference: str
    decision: str
    decision_on: date | None
    mode: str
    investigating_body: str
    state: str


HEADER = ("Case", "Subject", "Mandatory grounds or voluntary", "Referred on", "Referral due by",
          "Within the deadline", "IOPC reference", "IOPC decision", "Decided on", "Mode of investigation",
          "Investigating body", "Current state")
WIDTHS = (16, 22, 26, 11, 11, 11, 13, 22, 11, 16, 18, 20)


def write_referral_register(path: str | os.PathLike[str], rows: Sequence[ReferralRow], period: Period,
                            force_name: str, exported_by: str, exported_at: datetime) -> None:
    from openpyxl import Workbook  # the window imports the rows; the writer only when it writes

    from app.reports.xlsx_layout import TABLE_TOP, finish, heading, left_aligned, write_table

    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "Referrals"
    heading(ws, "IOPC referral register",
            f"{force_name}. Referrals sent to the IOPC {period.long_label}: {len(rows)} referred allegation(s).")
    values = [[getattr(r, f.name) if getattr(r, f.name) is not None else "" for f in fields(ReferralRow)] for r in rows]
    formats = [None, None, None, DATE, DATE, None, None, None, DATE, None, None, None]
    last = write_table(ws, HEADER, values, WIDTHS, formats)
    for column in range(2, len(HEADER) + 1):
        left_aligned(ws, column, TABLE_TOP + 1, last)
    ws.freeze_panes = ws.cell(row=TABLE_TOP + 1, column=2)
    notes = workbook.create_sheet("Notes")
    heading(notes, "Notes", force_name)
    lines = [
        ["Marking", MARKING], ["Period", f"Referrals sent {period.long_label}"],
        ["Exported at", exported_at.isoformat(timespec="seconds")], ["Exported by", exported_by],
        ["Recipient", "Independent Office for Police Conduct (logged as a disclosure to the IOPC)"],
        ["Rows",
         "One row per referred allegation; a referral of a whole case gives a row for each of its allegations."],
        ["Within the deadline", "A mandatory referral is due by the end of the next working day after the allegation "
                                "was recorded (force policy); voluntary referrals have no deadline."],
        ["Not included", "Victims' details of any kind, and cases the exporting user may not open."],
    ]
    end = write_table(notes, ("Note", "Detail"), lines, (22, 95), (None, None))
    left_aligned(notes, 2, TABLE_TOP + 1, end)
    finish(workbook, f"IOPC referral register {force_name}")
    with atomic_path(path) as temp:
        save_workbook(workbook, temp)
