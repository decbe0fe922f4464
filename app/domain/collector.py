"""The cyclic garbage collector paused while very many objects are made at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for work that makes a great many objects, none of them in
    a reference cycle (reference counting frees them), which the collector, run every few hundred
    allocations, would otherwise traverse again and again as they pile up: a data wash with a
    million notices in memory, a force's work queue of 10^5 cases. Collection resumes as it was."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
