"""Long work off the GUI thread, with a progress dialog that can be cancelled.

Each task runs in its own daemon thread; its result or exception comes back to the GUI thread
through queued signals. Cancelling is honest: the services write in one transaction, so a task
given a `CancellableUnitOfWork` stops at its next SQL statement once cancelled, its commit is
refused, and nothing is saved (files take their names only after the commit).

Quitting (`stop_all`) cancels every running task and waits a bounded time for it; a task still
running Python code that issues no SQL is interrupted by raising `Cancelled` in its thread. The
threads are daemons, so a task that still has not ended (e.g. blocked in one long SQL statement)
does not keep the process alive: its uncommitted transaction dies with it.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.domain.errors import ExpectedError
from app.services.unit_of_work import InterruptibleUnitOfWork, UnitOfWork
from app.ui.signals import emit

log = logging.getLogger(__name__)
QUIT_WAIT_SECONDS = 3.0  # how long quitting waits for running tasks


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


class CancellableUnitOfWork(InterruptibleUnitOfWork):
    """A unit of work that raises `Cancelled` at its next SQL statement once cancelled, and whose
    commit is refused after cancellation (so it rolls back)."""

    def __init__(self, uow: UnitOfWork, token: CancelToken) -> None:
        super().__init__(uow, token.check)


class _Worker:
    """The thread of one task, and what quitting needs to stop it. Kept apart from the Task (a
    QObject, which may be deleted with its window while the thread still runs)."""

    def __init__(self, task: Task, fn: Callable[[CancelToken], Any]) -> None:
        self.task, self.token, self._fn = task, task.token, fn
        self.window: QWidget | None = None  # the window it works for
        self.abandoned = False  # the window closed: nobody waits for the outcome
        self._lock = threading.Lock()
        self._inside = True  # running `fn`, where an interruption is safe
        self.thread = threading.Thread(target=self._run, name="ppda-task", daemon=True)

    def _run(self) -> None:
        try:
            try:
                result = self._fn(self.token)
            finally:
                with self._lock:
                    self._inside = False
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            self._report(None, exc)
        else:
            self._report(result, None)
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(self)

    def _report(self, result: Any, exc: BaseException | None) -> None:
        try:
            emit(self.task._finished, result, exc)  # noqa: SLF001
        except RuntimeError:  # the task was deleted with its window
            log.debug("A task ended after its window closed")

    def interrupt(self) -> None:
        """Raise `Cancelled` in the thread, once, while it still runs the task's function."""
        if not self._lock.acquire(timeout=0.1):
            return
        try:
            if self._inside and self.thread.ident is not None:
                self._inside = False
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread.ident),
                                                           ctypes.py_object(Cancelled))
        finally:
            self._lock.release()


_RUNNING: set[_Worker] = set()
_RUNNING_LOCK = threading.Lock()


def running(window: QWidget | None = None) -> int:
    """How many tasks are running (for `window`)."""
    with _RUNNING_LOCK:
        return sum(1 for w in _RUNNING if window is None or w.window is window)


def stop_all(window: QWidget | None = None, wait: float = QUIT_WAIT_SECONDS) -> bool:
    """Cancel every task running for `window` (or every task) and wait at most `wait` seconds for
    them to end. The window is closing: their outcome is no longer reported. True when none of them
    is left running."""
    with _RUNNING_LOCK:
        workers = [w for w in _RUNNING if window is None or w.window is window]
    if not workers:
        return True
    log.info("Stopping %d running task(s)", len(workers))
    for w in workers:
        w.abandoned = True
        w.token.cancel()
    deadline = time.monotonic() + wait
    _join(workers, time.monotonic() + wait / 3)  # most stop at their next SQL statement
    for w in workers:
        if w.thread.is_alive():
            w.interrupt()
    _join(workers, deadline)
    left = sum(1 for w in workers if w.thread.is_alive())
    if left:
        log.warning("%d task(s) still running after %.1f s; leaving without them (nothing they did is committed)",
                    left, wait)
    return left == 0


def _join(workers: list[_Worker], deadline: float) -> None:
    for w in workers:
        w.thread.join(max(0.0, deadline - time.monotonic()))


class Task(QObject):
    """One background task. Lives in the GUI thread: its public signals are emitted there."""

    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    done = Signal()  # after either
    _finished = Signal(object, object)  # (result, exception), emitted from the worker thread

    def __init__(self, fn: Callable[[CancelToken], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self._worker = _Worker(self, fn)
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.done.connect(self.deleteLater)

    def start(self) -> None:
        owner = self.parent()
        while owner is not None and not isinstance(owner, QWidget):
            owner = owner.parent()
        self._worker.window = owner.window() if isinstance(owner, QWidget) else None
        with _RUNNING_LOCK:
            _RUNNING.add(self._worker)
        self._worker.thread.start()

    @Slot(object, object)
    def _deliver(self, result: Any, exc: BaseException | None) -> None:
        if self._worker.abandoned:
            self.deleteLater()
            return
        if exc is None and self.token.cancelled:
            exc = Cancelled()
        if exc is None:
            emit(self.succeeded, result)
        else:
            emit(self.failed, exc)
        emit(self.done)


def run_with_progress(parent: QWidget, label: str, fn: Callable[[CancelToken], Any]) -> Task:
    """Start `fn` in a worker thread behind a modal, cancellable progress dialog; connect to the
    task's signals for the outcome. The dialog closes itself when the task ends."""
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
