"""Many plain rows into and out of one table at once: the million-notice import and data wash
(issue 14). The one place that knows a database driver beyond SQLAlchemy.

SQLAlchemy's statements serve SQLite well. On PostgreSQL the same statements spend most of their
time in the client (psycopg converts the text of a statement with thousands of placeholders in
Python, for every batch of insertmanyvalues or IN-list; a Row object for each row read), so there
the same work goes through psycopg: binary COPY for inserts and for the keys of an UPDATE, a plain
server-side cursor (tuples) for reads, and one array parameter for a long list of ids. The
statements run in the session's own transaction (a refused import still rolls everything back),
and each begins with a statement through SQLAlchemy, so that a cancellable unit of work is still
asked whether to go on before each batch. Profile and figures: docs/benchmarks.md (issue 14).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, Table, any_, bindparam, insert, text, update
from sqlalchemy.orm import InstrumentedAttribute, Session

CONVERTED_KEPT = 50_000  # values of a column kept with their conversion (dates repeat; a date a day since 1900)
# SQLite's page cache for a connection that inserts in bulk (KiB; its default is 2 MiB): a million
# notices go into the table and its index of (issuing force, notice reference) with 40 % less CPU,
# as the index's pages stay in memory instead of being spilled and read again
SQLITE_CACHE_KIB = 65_536
READ_SIZE = 20_000  # rows a read fetches at a time (streamed: a million rows are never held as rows twice)


def _driver(session: Session) -> Any | None:
    """The psycopg connection under the session's transaction, or None (not PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return None
    return connection.connection.driver_connection


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows (dicts with the same keys) and return their new ids, in the order of the rows.
    On PostgreSQL the ids are taken from the table's sequence first (in ascending order, as an
    INSERT would give them) and the rows copied in with them; on SQLite see `_insert_sqlite`."""
    if not rows:
        return []
    names = list(rows[0])
    defaults = {c.name: cast(Any, c.default).arg for c in table.columns  # what SQLAlchemy's INSERT fills in
                if c.name not in names and c.name != "id" and c.default is not None and c.default.is_scalar}
    computed = [c.name for c in table.columns
                if c.name not in names and c.name != "id" and c.default is not None and not c.default.is_scalar]
    if computed:  # neither COPY nor the driver's executemany computes them: rows after the first would lack them
        raise ValueError(f"insert_rows into {table.name}: give {', '.join(computed)} in the rows "
                         "(their defaults are computed per row)")
    columns = ["id", *names, *defaults]
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return _insert_sqlite(session, table, rows, columns, tuple(defaults.values()))
    driver = _driver(session)
    if driver is None:
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.scalars(stmt, rows).all())
    ids = sorted(session.scalars(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                                      "FROM generate_series(1, :n)"), {"t": table.name, "n": len(rows)}))
    tail = tuple(defaults.values())
    with driver.cursor() as cur:
        _copy(cur, table.name, columns,
              ((key, *[row[n] for n in names], *tail) for key, row in zip(ids, rows, strict=True)))
    return ids


def _insert_sqlite(session: Session, table: Table, rows: Sequence[dict[str, Any]], columns: list[str],
                   tail: tuple[Any, ...]) -> list[int]:
    """SQLite: the first row by SQLAlchemy's INSERT … RETURNING id, which takes the database's write
    lock for the rest of the transaction, so that no one else can insert until it ends; the others
    with the ids SQLite would give them (one after another from the first; the first is the
    largest id in the table now), by the driver's executemany with each value converted as
    SQLAlchemy converts it. SQLAlchemy's INSERT … RETURNING of many rows in parameter order runs
    one statement per row on SQLite (a million for a PND extract)."""
    first = session.scalars(insert(table).returning(table.c.id), rows[0]).one()
    if len(rows) == 1:
        return [first]
    dialect = session.get_bind().dialect

    def processor(name: str) -> Callable[[Any], Any] | None:
        return cast(Callable[[Any], Any] | None, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))

    names = columns[1:len(columns) - len(tail)]
    fixed = tuple(value if value is None or (proc := processor(name)) is None else proc(value)
                  for name, value in zip(columns[len(columns) - len(tail):], tail, strict=True))
    processors: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = [
        (i, proc, {}) for i, name in enumerate(names, start=1) if (proc := processor(name)) is not None]

    def converted() -> Iterator[list[Any]]:
        for key, row in enumerate(rows[1:], start=first + 1):
            values = [key, *[row[n] for n in names], *fixed]
            for i, proc, known in processors:  # each value converted once (dates repeat: a day since 1900)
                value = values[i]
                if value is not None:
                    try:
                        done = known.get(value)
                    except TypeError:  # not hashable
                        done = proc(value)
                    else:
                        if done is None:
                            done = proc(value)
                            if len(known) < CONVERTED_KEPT:
                                known[value] = done
                    values[i] = done
            yield values

    sql = (f"INSERT INTO {_q(table.name)} ({', '.join(_q(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.executemany(sql, converted())
    finally:
        cursor.close()
    return list(range(first, first + len(rows)))


def update_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]], key: str = "id") -> None:
    """UPDATE table SET column = value … WHERE key = row's key, for each row (dicts with the same
    keys). On PostgreSQL the rows are copied into a temporary table and applied in one UPDATE."""
    if not rows:
        return
    names = [n for n in rows[0] if n != key]
    driver = _driver(session)
    if driver is None:
        stmt = update(table).where(table.c[key] == bindparam(f"_{key}")).values(
            {n: bindparam(f"_{n}") for n in names})
        session.execute(stmt, [{f"_{k}": v for k, v in row.items()} for row in rows])
        return
    temp = f"_bulk_{table.name}"
    session.execute(text(f'CREATE TEMPORARY TABLE "{temp}" ON COMMIT DROP AS '
                         f'SELECT {", ".join(_q(n) for n in [key, *names])} FROM {_q(table.name)} WITH NO DATA'))
    with driver.cursor() as cur:
        _copy(cur, temp, [key, *names], ((row[key], *[row[n] for n in names]) for row in rows))
        cur.execute(f'UPDATE {_q(table.name)} AS t SET {", ".join(f"{_q(n)} = s.{_q(n)}" for n in names)} '
                    f'FROM "{temp}" AS s WHERE t.{_q(key)} = s.{_q(key)}')
        cur.execute(f'DROP TABLE "{temp}"')


def refresh_statistics(session: Session, table: Table) -> None:
    """PostgreSQL: ANALYZE the table (in the session's transaction) so that the planner knows its
    size and values. A table that a bulk import filled, not yet analysed, is taken for a few rows:
    looking up a re-imported file's 500 notice references by (issuing force, reference) then scanned
    every notice of the issuer, 0.5–0.9 s a lookup, half an hour for a million rows. SQLite: nothing."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {_q(table.name)}"))


def id_in(session: Session, column: ColumnElement[int] | InstrumentedAttribute[int], ids: Iterable[int],
          chunk: int) -> list[ColumnElement[bool]]:
    """Conditions that together say ``column IN ids`` (ids ascending): on PostgreSQL one
    ``= ANY(array)`` with a single parameter; elsewhere IN-lists of at most ``chunk`` ids (SQLite's
    limit of bound variables). Thousands of placeholders cost psycopg more than the query."""
    ordered = sorted(ids)
    if not ordered:
        return []
    if session.connection().dialect.name == "postgresql":
        return [column == any_(bindparam("ids", ordered, type_=ARRAY(Integer)))]
    return [column.in_(ordered[i:i + chunk]) for i in range(0, len(ordered), chunk)]


def stream_rows(session: Session, stmt: Select[*tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows of a SELECT (without parameters) as plain tuples, streamed: on PostgreSQL from a
    server-side cursor, on SQLite from the driver's cursor (no SQLAlchemy Row per row), elsewhere
    through SQLAlchemy."""
    driver = _driver(session)
    if driver is None:
        connection = session.connection()
        compiled = stmt.compile(dialect=connection.dialect)
        if connection.dialect.name != "sqlite" or compiled.params:
            yield from connection.execute(stmt.execution_options(yield_per=READ_SIZE))
            return
        # SQLite: the driver's own tuples (a million SQLAlchemy rows cost a fifth more)
        cur = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cur.execute(str(compiled))
            while batch := cur.fetchmany(READ_SIZE):
                yield from batch
        finally:
            cur.close()
        return
    sql = str(stmt.compile(dialect=session.get_bind().dialect))
    session.execute(text("SELECT 1"))  # through SQLAlchemy: a cancellable unit of work may stop here
    with driver.cursor(name="ppda_bulk_read") as cur:
        cur.itersize = READ_SIZE
        cur.execute(sql)
        while batch := cur.fetchmany(READ_SIZE):
            yield from batch


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy(cur: Any, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """COPY rows into these columns in the binary format, each value sent as its column's type (a
    tenth of the text format's work for the client, and nothing to escape)."""
    cur.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND NOT attisdropped",
                (_q(table),))
    types = dict(cur.fetchall())
    with cur.copy(f"COPY {_q(table)} ({', '.join(_q(c) for c in columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([types[c] for c in columns])
        write = copy.write_row
        for row in rows:
            write(row)
