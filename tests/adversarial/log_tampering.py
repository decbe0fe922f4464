"""What an attacker who holds the database (but not the checkpoint file nor the keyring) does to the
access log: switch off the append-only triggers, then delete, change, insert, reorder or empty,
and re-hash the chain with the public algorithm so that it is consistent again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from typing import cast

from sqlalchemy import Connection, Table, delete, insert, select

from app.persistence.database import Database
from app.persistence.models import AccessLogRow
from app.services.access_log_chain import GENESIS, digest

LOG = cast(Table, AccessLogRow.__table__)


@contextmanager
def tampering(db: Database) -> Iterator[Connection]:
    """A connection with the append-only triggers off (as the database's owner can), in one transaction."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS access_log_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS access_log_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only")
        yield conn
        if not db.is_sqlite:
            conn.exec_driver_sql("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only")


def entries(conn: Connection) -> list[dict[str, object]]:
    return [dict(r) for r in conn.execute(select(LOG).order_by(LOG.c.seq)).mappings()]


def rechain(conn: Connection) -> int:
    """Renumber the entries 1..n in their current order and recompute every hash: afterwards the
    chain alone verifies. Returns n."""
    rows = entries(conn)
    conn.execute(delete(LOG))
    prev = GENESIS
    for seq, row in enumerate(rows, 1):
        row.update(seq=seq, prev_hash=prev)
        row["hash"] = prev = digest(row)
        conn.execute(insert(LOG).values(**row))
    return len(rows)
