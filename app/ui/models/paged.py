"""A row model that asks the database for one page at a time: the view calls fetchMore as the
user scrolls, so a 100,000-row list never loads at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Signal

from app.ui.models.base import Index, RowTableModel
from app.ui.signals import emit

PageFetcher = Callable[[int, int], Sequence[Any]]  # (offset, limit) -> rows


class PagedTableModel(RowTableModel):
    page_size = 200
    loaded = Signal()  # after a (re)load from the first page

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch: PageFetcher | None = None
        self._more = False

    def load(self, fetch: PageFetcher) -> None:
        """Start again from the first page of what `fetch` returns."""
        self._fetch = fetch
        first = list(fetch(0, self.page_size))
        self.beginResetModel()
        self._rows = first
        self._more = len(first) == self.page_size
        self.endResetModel()
        emit(self.loaded)

    def reload(self) -> None:
        if self._fetch is not None:
            self.load(self._fetch)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and self._fetch is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        batch = list(self._fetch(len(self._rows), self.page_size))
        self._more = len(batch) == self.page_size
        if not batch:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._rows.extend(batch)
        self.endInsertRows()
