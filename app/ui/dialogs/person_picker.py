"""Choosing a member of the workforce (current or former) by searching the register: type part of
a name or a staff number, then pick one match, shown as "Surname, Forenames — staff number —
rank or grade, unit". The search is app.services.people_queries.search_people, so it obeys the
same permission as the People section.

Keyboard: typing searches (after a short pause, or at once with Enter); Enter takes the only
match, or moves into the matches when there are several; Down moves into the matches, the arrow
keys choose, Up from the first match goes back to the search. Enter never submits the dialog
from here, so a half-typed search cannot create a record."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain.errors import ExpectedError
from app.services import people_queries
from app.services.people_queries import PersonListRow
from app.ui.context import AppContext
from app.ui.labels import human
from app.ui.signals import emit
from app.ui.widgets import SearchBox

SHOWN = 20  # matches listed at once; more means "type more"
MIN_CHARS = 2
NOBODY = "No one chosen yet."
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def person_text(p: PersonListRow) -> str:
    """Surname, Forenames — staff number — rank or grade, unit (and their status once they left)."""
    role = ", ".join(x for x in (p.rank_or_grade, p.unit) if x) or human(p.workforce_type)
    left = "" if p.employment_status == "SERVING" else f" ({human(p.employment_status).lower()})"
    return f"{p.surname}, {p.forenames} — {p.staff_number} — {role}{left}"


class PersonPicker(QWidget):
    chosen_changed = Signal(str)  # the chosen staff number ("" when the choice is cleared)

    def __init__(self, ctx: AppContext, what: str = "Person", parent: QWidget | None = None, *,
                 rows: int = 4, nobody: str = NOBODY) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nobody = nobody  # shown while no one is chosen
        self._chosen: tuple[str, str] | None = None  # (staff number, text)
        self.search = SearchBox("Surname, forenames or staff number", f"{what}: search the workforce register")
        self.search.search.connect(self.find_people)
        self.search.installEventFilter(self)
        self.results = QListWidget()
        self.results.setAccessibleName(f"{what}: matches")
        self.results.setFixedHeight(rows * _row_height(self.results) + 2 * self.results.frameWidth())
        self.results.currentItemChanged.connect(self._current)
        self.results.installEventFilter(self)
        self.chosen = QLabel(nobody)
        self.chosen.setObjectName("note")
        self.chosen.setWordWrap(True)
        self.chosen.setAccessibleName(f"{what}: chosen")
        self.chosen.setMinimumHeight(2 * self.chosen.fontMetrics().lineSpacing())  # the choice and a hint
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.chosen)
        layout.addStretch(1)
        self.setFocusProxy(self.search)

    # -- searching --------------------------------------------------------------------------
    def find_people(self, text: str) -> None:
        self._clear_matches()
        text = text.strip()
        if len(text) < MIN_CHARS:
            self._say(f"Type at least {MIN_CHARS} characters of a name or staff number.")
            return
        try:
            found = people_queries.search_people(self.ctx.uow(), self.ctx.user, text, limit=SHOWN + 1)
        except ExpectedError as exc:
            self._say(exc.message)
            return
        for p in found[:SHOWN]:
            item = QListWidgetItem(person_text(p))
            item.setData(Qt.ItemDataRole.UserRole, p.staff_number)
            self.results.addItem(item)
        if not found:
            self._say(f"No one in the workforce register matches \"{text}\".")
        elif len(found) > SHOWN:
            self._say(f"More than {SHOWN} people match: type more of the name or the staff number.")
        elif len(found) == 1:
            self.results.setCurrentRow(0)
        else:
            self._say(f"{len(found)} match: Down, then the arrow keys, to choose.")

    def _say(self, text: str) -> None:
        chosen = f"Chosen: {self._chosen[1]}." if self._chosen else self.nobody
        self.chosen.setText(f"{chosen} {text}")

    # -- choosing ---------------------------------------------------------------------------
    def _current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        self._chosen = (str(item.data(Qt.ItemDataRole.UserRole)), item.text())
        self.chosen.setText(f"Chosen: {item.text()}.")
        emit(self.chosen_changed, self._chosen[0])

    def staff_number(self) -> str:
        return self._chosen[0] if self._chosen else ""

    def chosen_text(self) -> str:
        return self._chosen[1] if self._chosen else ""

    def _clear_matches(self) -> None:
        with QSignalBlocker(self.results):  # emptying the list moves its current row: not a choice
            self.results.clear()

    def clear(self) -> None:
        self.search.clear()
        self._clear_matches()
        self._chosen = None
        self.chosen.setText(self.nobody)
        emit(self.chosen_changed, "")

    # -- keyboard ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search and key in (*ENTER, Qt.Key.Key_Down):
            emit(self.search.returnPressed)  # search now (the pending delayed search is dropped)
            if self.results.count() > 1 or (key == Qt.Key.Key_Down and self.results.count()):
                self._enter_matches()
            return True  # Enter: never the dialog's default button
        if watched is self.results and key in ENTER:
            return True  # the current match is already chosen; Tab moves on
        if watched is self.results and key == Qt.Key.Key_Up and self.results.currentRow() <= 0:
            self.search.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _enter_matches(self) -> None:
        self.results.setFocus()
        if self.results.currentRow() < 0:
            self.results.setCurrentRow(0)


def _row_height(view: QListWidget) -> int:
    view.addItem("Sample")
    height = view.sizeHintForRow(0)
    view.clear()
    return height
