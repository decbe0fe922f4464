"""The case file's read model (issue #15): what app.reports.case_file prints, built by the service
(app.services.casefile.export) from what the exporting user may read, with enumerated names in
words and dates as "03 Dec 2026". No ReportLab here: the window imports this at start-up, the PDF
writer only when a file is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FileAllegation:
    subject: str  # "Surname, Forenames (staff number)"
    facts: Pairs  # abuse types, aggravating features, standards, conduct dates, criminal…


@dataclass(frozen=True)
class FileVictim:
    reference: str
    facts: Pairs  # relationship, police workforce, sex, age band, DASH, MARAC, IDVA/ISVA (never contact details)


@dataclass(frozen=True)
class FileItem:
    """A decision or a log entry as the file prints it."""

    number: int  # the entry's or decision's id
    on: date
    kind: str  # already in words
    subject: str | None
    text: str  # the entry's words; the decision's rationale
    details: Pairs
    people: Pairs  # ("Written by", …) or ("Proposed by", …), ("Decided by", …), ("Approved by", …)
    written_at: datetime | None = None  # a log entry's; None for a decision
    corrects: int | None = None
    corrected_by: int | None = None
    correction_reason: str | None = None

    @property
    def noun(self) -> str:
        return "decision" if self.written_at is None else "entry"


@dataclass(frozen=True)
class FileDocumentVersion:
    title: str
    kind: str
    number: int
    filename: str
    size: str
    sha256: str
    uploaded: str  # "by NAME on DATE"


@dataclass(frozen=True)
class FileTask:
    what: str
    given_to: str
    due: date
    status: str


@dataclass(frozen=True)
class CaseFile:
    force_name: str
    reference: str
    recipient: str
    purpose: str | None
    prepared_by: str
    prepared_at: datetime
    facts: Pairs
    summary: str | None
    allegations: tuple[FileAllegation, ...]
    victims: tuple[FileVictim, ...]
    victims_withheld: bool  # read as the IOPC liaison: victims' details and contacts are not included
    decisions: tuple[FileItem, ...]
    entries: tuple[FileItem, ...]
    tasks: tuple[FileTask, ...]
    documents: tuple[FileDocumentVersion, ...]


def dated(value: date | datetime | None) -> str:
    """03 Dec 2026: the one date format of every screen and file."""
    return value.strftime("%d %b %Y") if value else ""


ACRONYMS = frozenset({"DA", "IOPC", "PCSO", "PSD", "MARAC", "DASH", "PND", "IDVA", "ISVA", "PCC"})
SPECIAL = {"HOME": "Home force", "SAME_FORCE": "Same force", "OTHER_FORCE": "Other force", "NO": "No",
           "F": "Female", "M": "Male", "X": "Other", "U": "Not known", "AGE_18_24": "18–24", "AGE_25_34": "25–34",
           "AGE_35_44": "35–44", "AGE_45_54": "45–54", "AGE_55_PLUS": "55+", "UNDER_18": "Under 18",
           "TWELVE_MONTH_REPORT": "12-month report to the PCC", "FIREARMS_TASER_AUTHORITY_WITHDRAWN":
           "Firearms or Taser authority withdrawn", "EMOTIONAL_PSYCHOLOGICAL": "Emotional or psychological",
           "STALKING_HARASSMENT": "Stalking or harassment", "NON_FATAL_STRANGULATION": "Non-fatal strangulation"}


def words(name: str) -> str:
    """An enumerated name in plain words (`COERCIVE_CONTROL` → "Coercive control"); other text as it is."""
    if name in SPECIAL:
        return SPECIAL[name]
    if not name or name != name.upper() or not name.replace("_", "").isalnum() or name.isdigit():
        return name
    parts = [p if p in ACRONYMS else p.lower() for p in name.split("_")]
    return " ".join([parts[0] if parts[0] in ACRONYMS else parts[0].capitalize(), *parts[1:]])

