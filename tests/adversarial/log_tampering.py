"""What an attacker who holds the database (but not the checkpoint file nor the keyring) does to the
access log: switch off the append-only triggers, then delete, change, insert, reorder or empty,
and re-hash the chain with the public algorithm so that it is consistent again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

from sqlalchemy import Connection, Table, delete, insert, inspect, select, text

from app.persistence.database import Database
from app.persistence.models import AccessLogRow

try:  # the chain's public algorithm, wherever this version of the program keeps it
    from app.services.access_log_chain import digest
except ImportError:  # older versions
    from app.services.audit import _digest as digest  # type: ignore[attr-defined, no-redef]

GENESIS = "0" * 64
_digest: Callable[[dict[str, object]], str] = digest

LOG = cast(Table, AccessLogRow.__table__)


@contextmanager
def tampering(db: Database) -> Iterator[Connection]:
    """A connection with the append-only triggers off (as the database's owner can), in one transaction."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS access_log_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS access_log_no_delete")
        elif conn.execute(text("SELECT 1 FROM pg_trigger WHERE tgname = 'access_log_append_only'")).first():
            conn.exec_driver_sql("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only")
        yield conn
        _cover_tracks(conn)
        trigger = text("SELECT 1 FROM pg_trigger WHERE tgname = 'access_log_append_only'")
        if not db.is_sqlite and conn.execute(trigger).first():
            conn.exec_driver_sql("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only")


def _cover_tracks(conn: Connection) -> None:
    """Where the database keeps its own copy of the chain's head (older versions), make it agree."""
    if "access_log_head" in inspect(conn).get_table_names():
        last = conn.execute(select(LOG.c.seq, LOG.c.hash).order_by(LOG.c.seq.desc()).limit(1)).first()
        conn.execute(text("DELETE FROM access_log_head"))
        conn.execute(text("INSERT INTO access_log_head (id, last_seq, last_hash) VALUES (1, :s, :h)"),
                     {"s": last[0] if last else 0, "h": last[1] if last else GENESIS})


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
        row["hash"] = prev = _digest(row)
        conn.execute(insert(LOG).values(**row))
    return len(rows)


def rewrite(conn: Connection, rows: list[dict[str, object]]) -> int:
    """Replace the log with `rows` in this order, then re-hash it (see rechain)."""
    conn.execute(delete(LOG))
    for seq, row in enumerate(rows, 1):
        conn.execute(insert(LOG).values(**{**row, "seq": seq}))
    return rechain(conn)
