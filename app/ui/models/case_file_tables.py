"""The case file's tables: the case log's timeline (entries with the decisions, documents and tasks),
the documents and their versions, the tasks. Plain rows from app.services.casefile; dates as
"03 Dec 2026", kinds in words, a corrected entry greyed and marked, an overdue task in red."""

from __future__ import annotations

import re
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.case_file import ENTRY_LABELS, EntryKind
from app.domain.file_types import readable_size
from app.services.casefile.documents import DocumentView, VersionView
from app.services.casefile.tasks import TaskView
from app.services.casefile.timeline import Source, TimelineItem
from app.ui.labels import day, human, moment
from app.ui.models.base import Column, RowRoles, RowTableModel

MUTED = QColor("#5b6472")
OVERDUE_TEXT = QColor("#9b1c1c")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def dated_text(text: str) -> str:
    """A recorded value with its ISO dates as "03 Dec 2026" and enumerated names in words."""
    def one(m: re.Match[str]) -> str:
        try:
            return day(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            return m.group(0)

    return ", ".join(human(part.strip()) for part in _ISO.sub(one, text).split(","))


def item_kind(i: TimelineItem) -> str:
    if i.source == Source.ENTRY:
        return ENTRY_LABELS[EntryKind[i.kind]] + (" (correction)" if i.corrects else "")
    if i.source == Source.DOCUMENT:
        return "Document added" if dict(i.details).get("version") == "1" else "New document version"
    if i.source == Source.TASK:
        return "Task given"
    return f"Decision: {human(i.kind).lower()}"


def item_summary(i: TimelineItem) -> str:
    """One line: the words, or what was decided, and what is attached."""
    first = i.text.splitlines()[0] if i.text else ""
    if i.source == Source.DECISION:
        shown = [f"{label}: {dated_text(value)}" for label, value in i.details]
        first = "; ".join([x for x in (first, *shown) if x])
    elif i.source == Source.TASK:
        first = f"{first} (to {dict(i.details).get('given to', '')}, due {dated_text(dict(i.details).get('due', ''))})"
    if i.attachments:
        first += f"  [{len(i.attachments)} attached]"
    return first


def item_state(i: TimelineItem) -> str:
    if i.corrected_by is not None:
        return f"Corrected by entry {i.corrected_by}"
    if i.corrects is not None:
        return f"Corrects entry {i.corrects}"
    return ""


class LogRoles(IntEnum):
    ROW = RowRoles.ROW
    KEY = RowRoles.KEY
    SOURCE = RowRoles.LAST + 1


class CaseLogTableModel(RowTableModel):
    """The timeline, newest first, as read (the service sorts it)."""

    COLUMNS = (
        Column("Date", lambda i: day(i.on), right=True),
        Column("Kind", item_kind),
        Column("By", lambda i: i.by),
        Column("Subject or victim", lambda i: i.subject or dict(i.details).get("victim", "")),
        Column("Correction", item_state),
        Column("What", item_summary, lambda i: i.text or item_summary(i)),
    )
    WHAT = 5

    def key_of(self, row: TimelineItem) -> Any:
        return (row.source.name, row.id)

    def extra_data(self, row: TimelineItem, column: int, role: int) -> Any:
        if role == LogRoles.SOURCE:
            return row.source.name
        if role == Qt.ItemDataRole.ForegroundRole and (row.corrected_by is not None or row.source != Source.ENTRY):
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.FontRole and row.corrected_by is not None and column == self.WHAT:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None


class DocumentTableModel(RowTableModel):
    COLUMNS = (
        Column("Title", lambda d: d.title),
        Column("Kind", lambda d: human(d.kind)),
        Column("Version", lambda d: str(d.current.number), right=True),
        Column("File", lambda d: d.current.filename),
        Column("Size", lambda d: readable_size(d.current.size), right=True),
        Column("Added", lambda d: f"{day(d.added_at)} by {d.added_by}"),
        Column("Attached to", lambda d: f"log entry {d.entry_id}" if d.entry_id else "the case"),
    )

    def key_of(self, row: DocumentView) -> Any:
        return row.id


class VersionTableModel(RowTableModel):
    COLUMNS = (
        Column("Version", lambda v: str(v.number), right=True),
        Column("File", lambda v: v.filename),
        Column("Size", lambda v: readable_size(v.size), right=True),
        Column("Uploaded", lambda v: f"{moment(v.uploaded_at)[:-3]} by {v.uploaded_by}"),
        Column("What changed", lambda v: v.note or ("First version" if v.number == 1 else "")),
        Column("SHA-256", lambda v: v.sha256),
    )

    def key_of(self, row: VersionView) -> Any:
        return row.id


def _task_state(t: TaskView) -> str:
    if t.status == "OPEN":
        return "OVERDUE" if t.overdue else "Open"
    return f"{human(t.status)} {day(t.closed_at)}" + (f" by {t.closed_by}" if t.closed_by else "")


class TaskTableModel(RowTableModel):
    COLUMNS = (
        Column("State", _task_state),
        Column("Due", lambda t: day(t.due_date), right=True),
        Column("Given to", lambda t: t.assignee),
        Column("Given by", lambda t: f"{t.created_by}, {day(t.created_at)}"),
        Column("Task", lambda t: t.what),
    )

    def key_of(self, row: TaskView) -> Any:
        return row.id

    def extra_data(self, row: TaskView, column: int, role: int) -> Any:
        if row.overdue and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OVERDUE_TEXT)
        if row.status != "OPEN" and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(MUTED)
        if row.overdue and column == 0 and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None
