"""policy history: values are bitemporal (recorded_at, reason) and a correction may follow an
earlier value for the same date

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # set_at already held when each value was recorded (naive UTC): it becomes recorded_at. Values
    # recorded before this revision have no reason; they stay as they were.
    with op.batch_alter_table('policy_value', schema=None) as batch_op:
        batch_op.alter_column('set_at', new_column_name='recorded_at', existing_type=sa.DateTime(),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_policy_value_name'), type_='unique')


def downgrade() -> None:
    # The older schema holds one value per policy and date: keep the latest record of each (the
    # superseded records and the reasons are lost, as that schema cannot hold them).
    op.execute(
        "DELETE FROM policy_value WHERE EXISTS (SELECT 1 FROM policy_value AS later "
        "WHERE later.name = policy_value.name AND later.effective_from = policy_value.effective_from "
        "AND (later.recorded_at > policy_value.recorded_at "
        "OR (later.recorded_at = policy_value.recorded_at AND later.id > policy_value.id)))"
    )
    with op.batch_alter_table('policy_value', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_policy_value_name'), ['name', 'effective_from'])
        batch_op.drop_column('reason')
        batch_op.alter_column('recorded_at', new_column_name='set_at', existing_type=sa.DateTime(),
                              existing_nullable=False)
