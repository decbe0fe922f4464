"""access log append-only: the head row goes (signed checkpoints outside the database replace it);
UPDATE and DELETE on access_log are refused by triggers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

The head row was updated with every entry, so the application's database account needed UPDATE on
a log table. Entries are now serialised by a transaction-scoped lock (app.services.audit) and the
chain's head is its last entry; what the head row was meant to catch (entries removed from the end)
is caught by the signed checkpoints kept outside the database (app.services.access_log_checkpoints).
The triggers stop an UPDATE or DELETE of an entry through any connection that has not first dropped
or disabled them (on PostgreSQL the application's role is also refused by its grants: `db grants`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "the access log is append-only"
SQLITE_TRIGGERS = {
    "access_log_no_update": "BEFORE UPDATE ON access_log",
    "access_log_no_delete": "BEFORE DELETE ON access_log",
}


def upgrade() -> None:
    op.drop_table("access_log_head")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '42501'; END $$"
        )
        op.execute("CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
                   "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()")
    else:
        for name, when in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_log_append_only ON access_log")
        op.execute("DROP FUNCTION access_log_append_only()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    head = op.create_table(
        "access_log_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log_head")),
    )
    last = op.get_bind().execute(sa.text("SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1")).first()
    if last is not None:  # the older program's head, as it would have kept it
        op.bulk_insert(head, [{"id": 1, "last_seq": last[0], "last_hash": last[1]}])
