"""Long work off the GUI thread, with a progress dialog that can be cancelled.

The task runs in QThreadPool; its result or exception comes back to the GUI thread through
queued signals. Cancelling is honest: the services write in one transaction, so a task given a
`CancellableUnitOfWork` refuses to commit once cancelled and nothing is saved.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.domain.errors import ExpectedError
from app.persistence.uow import UnitOfWork
from app.ui.signals import emit

log = logging.getLogger(__name__)


class Cancelled(ExpectedError):
    def __init__(self) -> None:
        super().__init__("Cancelled: nothing was saved.")


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()


class CancellableUnitOfWork(UnitOfWork):
    """A unit of work whose commit is refused after cancellation (so it rolls back)."""

    def __init__(self, uow: UnitOfWork, token: CancelToken) -> None:
        super().__init__(uow._factory)  # noqa: SLF001 - the same session factory
        self._token = token

    def commit(self) -> None:
        self._token.check()
        super().commit()


class Task(QObject):
    """One background task. Lives in the GUI thread: its public signals are emitted there."""

    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    done = Signal()  # after either
    _finished = Signal(object, object)  # (result, exception), emitted from the worker thread

    def __init__(self, fn: Callable[[CancelToken], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self._fn = fn
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.done.connect(self.deleteLater)

    def start(self) -> None:
        QThreadPool.globalInstance().start(_Runnable(self))

    @Slot(object, object)
    def _deliver(self, result: Any, exc: BaseException | None) -> None:
        if exc is None and self.token.cancelled:
            exc = Cancelled()
        if exc is None:
            emit(self.succeeded, result)
        else:
            emit(self.failed, exc)
        emit(self.done)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        task = self._task
        try:
            result = task._fn(task.token)  # noqa: SLF001
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            emit(task._finished, None, exc)  # noqa: SLF001
        else:
            emit(task._finished, result, None)  # noqa: SLF001


def run_with_progress(parent: QWidget, label: str, fn: Callable[[CancelToken], Any]) -> Task:
    """Start `fn` in the pool behind a modal, cancellable progress dialog; connect to the task's
    signals for the outcome. The dialog closes itself when the task ends."""
    task = Task(fn, parent)
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle("Working…")
    dialog.setAccessibleName(label)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def cancel() -> None:
        task.token.cancel()
        dialog.setLabelText("Cancelling… nothing will be saved.")
        dialog.setCancelButtonText("")
        dialog.show()

    dialog.canceled.connect(cancel)
    task.done.connect(dialog.hide)  # not close(): that would emit canceled
    task.done.connect(dialog.deleteLater)
    task.progress_dialog = dialog  # type: ignore[attr-defined]
    dialog.show()
    task.start()
    return task
