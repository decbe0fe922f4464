"""Benchmark: what the access log's checkpoints cost (issue 12).

    python benchmarks/access_log_bench.py [--actions 2000] [--db sqlite:////tmp/bench-log.db]

1. One action = one transaction writing one log entry and committing (as a user's click does),
   with the signed checkpoint appended after the commit, then the same with checkpoints switched
   off (the checkpoint file pointed at /dev/null would still sign: the writer is replaced by a
   no-op), so the difference is what a checkpoint adds to an action.
2. `audit verify` on the resulting log: the chain walk and the comparison with every checkpoint
   (one per action: the worst case, every signature checked).
Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from app.domain.enums import AccessOperation
from app.persistence import migrate
from app.persistence.database import open_database
from app.persistence.uow import UnitOfWork
from app.services import access_log_checkpoints, audit, installation

PASSWORD = "Benchmark-Password-1"


def actions(uow: UnitOfWork, actor: object, n: int) -> list[float]:
    took = []
    for i in range(n):
        start = time.perf_counter()
        with uow:
            audit.record(uow.session, actor, AccessOperation.CONSULTATION, "case", i, reason="benchmark")  # type: ignore[arg-type]
            uow.commit()
        took.append(time.perf_counter() - start)
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--actions", type=int, default=2000)
    ap.add_argument("--db")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-log-"))
    db = open_database(args.db or f"sqlite:///{folder / 'log.db'}")
    migrate.upgrade(db, backup=False)
    uow = UnitOfWork(db.session_factory)
    admin = installation.initialise(uow, "kent", "admin", PASSWORD)
    with_cp = actions(uow, admin, args.actions)
    real_write = access_log_checkpoints.write
    access_log_checkpoints.write = lambda *a, **k: None  # type: ignore[assignment]
    without = actions(uow, admin, args.actions)
    access_log_checkpoints.write = real_write  # type: ignore[assignment]
    path = access_log_checkpoints.checkpoint_path(db.engine.url)
    lines = len(path.read_bytes().splitlines()) if path else 0
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    print(f"one action (record + commit), median: {ms(with_cp):.2f} ms with its checkpoint, "
          f"{ms(without):.2f} ms without: +{ms(with_cp) - ms(without):.2f} ms")
    start = time.perf_counter()
    result = audit.verify(uow, admin)
    print(f"audit verify: {result.entries:,} entries, {lines:,} checkpoint lines "
          f"({path.stat().st_size / 1e6 if path else 0:.1f} MB): {time.perf_counter() - start:.2f} s, ok={result.ok}")
    db.dispose()


if __name__ == "__main__":
    main()
