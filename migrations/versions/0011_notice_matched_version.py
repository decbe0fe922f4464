"""prior notice: which version was matched (matching resumes after a crash), what the matching
found for an undated notice with a common name, and a year-only date of birth

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('prior_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('matched_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('match_note', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('dob_year_only', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('prior_notice', schema=None) as batch_op:
        batch_op.drop_column('dob_year_only')
        batch_op.drop_column('match_note')
        batch_op.drop_column('matched_version')
