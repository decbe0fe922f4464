"""Alembic environment. Runs on the connection the application hands over (Alembic cookbook,
"sharing a connection"); never calls fileConfig, so the application's logging is left alone."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from app.persistence import models  # noqa: F401 - declares every table on Base.metadata
from app.persistence.base import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("Give the database: alembic -x url=sqlite:///dev.db …")
    engine = create_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported.")
run_migrations_online()
