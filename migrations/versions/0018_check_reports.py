"""check_report: the issues of a "check only" upload, kept for the session that checked it.

A dry run stores nothing of the file, so the issues CSV of a check is served from these rows
(not by checking kept bytes again); they are removed after CHECK_REPORT_HOURS.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 17:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('check_report',
    sa.Column('id', sa.String(length=43), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('created_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issues', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['hub_user.id'],
                            name=op.f('fk_check_report_user_id_hub_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_report'))
    )
    op.create_index(op.f('ix_check_report_user_id'), 'check_report', ['user_id'], unique=False)
    op.create_index(op.f('ix_check_report_created_at'), 'check_report', ['created_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_check_report_created_at'), table_name='check_report')
    op.drop_index(op.f('ix_check_report_user_id'), table_name='check_report')
    op.drop_table('check_report')
