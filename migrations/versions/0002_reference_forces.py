"""reference data: the 43 territorial forces, British Transport Police and other bodies

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FORCES = [
    ('avon-and-somerset', 'Avon and Somerset Constabulary'),
    ('bedfordshire', 'Bedfordshire Police'),
    ('british-transport-police', 'British Transport Police'),
    ('cambridgeshire', 'Cambridgeshire Constabulary'),
    ('cheshire', 'Cheshire Constabulary'),
    ('city-of-london', 'City of London Police'),
    ('cleveland', 'Cleveland Police'),
    ('cumbria', 'Cumbria Constabulary'),
    ('derbyshire', 'Derbyshire Constabulary'),
    ('devon-and-cornwall', 'Devon and Cornwall Police'),
    ('dorset', 'Dorset Police'),
    ('durham', 'Durham Constabulary'),
    ('dyfed-powys', 'Dyfed-Powys Police'),
    ('essex', 'Essex Police'),
    ('gloucestershire', 'Gloucestershire Constabulary'),
    ('greater-manchester', 'Greater Manchester Police'),
    ('gwent', 'Gwent Police'),
    ('hampshire-and-isle-of-wight', 'Hampshire and Isle of Wight Constabulary'),
    ('hertfordshire', 'Hertfordshire Constabulary'),
    ('humberside', 'Humberside Police'),
    ('kent', 'Kent Police'),
    ('lancashire', 'Lancashire Constabulary'),
    ('leicestershire', 'Leicestershire Police'),
    ('lincolnshire', 'Lincolnshire Police'),
    ('merseyside', 'Merseyside Police'),
    ('metropolitan', 'Metropolitan Police Service'),
    ('norfolk', 'Norfolk Constabulary'),
    ('north-wales', 'North Wales Police'),
    ('north-yorkshire', 'North Yorkshire Police'),
    ('northamptonshire', 'Northamptonshire Police'),
    ('northumbria', 'Northumbria Police'),
    ('nottinghamshire', 'Nottinghamshire Police'),
    ('south-wales', 'South Wales Police'),
    ('south-yorkshire', 'South Yorkshire Police'),
    ('staffordshire', 'Staffordshire Police'),
    ('suffolk', 'Suffolk Constabulary'),
    ('surrey', 'Surrey Police'),
    ('sussex', 'Sussex Police'),
    ('thames-valley', 'Thames Valley Police'),
    ('warwickshire', 'Warwickshire Police'),
    ('west-mercia', 'West Mercia Police'),
    ('west-midlands', 'West Midlands Police'),
    ('west-yorkshire', 'West Yorkshire Police'),
    ('wiltshire', 'Wiltshire Police'),
]
OTHER_BODIES = [
    ("IOPC", "Independent Office for Police Conduct"),
    ("PND", "Police National Database"),
    ("COLLEGE_BARRED_LIST", "College of Policing — Police Barred List"),
    ("COLLEGE_ADVISORY_LIST", "College of Policing — Police Advisory List"),
]

force = sa.table(
    "force",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("territorial", sa.Boolean),
)


def upgrade() -> None:
    rows = [{"code": c, "name": n, "territorial": True} for c, n in FORCES]
    rows += [{"code": c, "name": n, "territorial": False} for c, n in OTHER_BODIES]
    op.bulk_insert(force, rows)


def downgrade() -> None:
    codes = [c for c, _ in FORCES + OTHER_BODIES]
    op.execute(force.delete().where(force.c.code.in_(codes)))
