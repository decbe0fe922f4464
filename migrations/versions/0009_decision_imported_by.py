"""decision.imported_by: who imported an imported decision (with imported_from, the file)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_decision_imported_by_user_account'), 'user_account',
                                    ['imported_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decision_imported_by_user_account'), type_='foreignkey')
        batch_op.drop_column('imported_by')
