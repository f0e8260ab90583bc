"""write_lock: named locks a transaction takes by upserting its row.

A submission holds the lock of its partner, kind and period, and an acceptance the lock of the
shared aggregates, so that concurrent requests are answered one after the other (a replay or the
next version) instead of failing on a unique constraint.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 17:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('write_lock',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_write_lock'))
    )


def downgrade() -> None:
    op.drop_table('write_lock')
