"""case projection: the case's due items as last derived (the work queue reads them; issue #15)

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ppda_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_due_items', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ppda_case', schema=None) as batch_op:
        batch_op.drop_column('list_due_items')
