"""job_run: a heartbeat, an attempt number and who ran it before a takeover.

A running occurrence writes ``heartbeat_at`` every few seconds; any scheduler takes over one whose
heartbeat is stale (its process or host has gone) and runs it again, so a once-a-year job is not
lost with the scheduler that claimed it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 17:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at',
                                      exchange.models.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('attempt', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('taken_over_from', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_column('taken_over_from')
        batch_op.drop_column('attempt')
        batch_op.drop_column('heartbeat_at')
