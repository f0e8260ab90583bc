"""job runs and the scheduler's job store.

``job_run`` records every run of a scheduled job, and its unique (job_id, scheduled_for) is the
lock that lets only one scheduler process run each occurrence. ``apscheduler_jobs`` is APScheduler
3's SQLAlchemyJobStore table, made here so `hub init` creates it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 11:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=60), nullable=False),
    sa.Column('scheduled_for', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('trigger', sa.String(length=10), nullable=False),
    sa.Column('started_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('result', sa.String(length=500), nullable=True),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run')),
    sa.UniqueConstraint('job_id', 'scheduled_for', name=op.f('uq_job_run_job_id'))
    )
    op.create_index('ix_job_run_started_at', 'job_run', ['started_at'], unique=False)
    op.create_table('apscheduler_jobs',
    sa.Column('id', sa.Unicode(length=191), nullable=False),
    sa.Column('next_run_time', sa.Float(precision=25), nullable=True),
    sa.Column('job_state', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apscheduler_jobs'))
    )
    op.create_index(op.f('ix_apscheduler_jobs_next_run_time'), 'apscheduler_jobs',
                    ['next_run_time'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_apscheduler_jobs_next_run_time'), table_name='apscheduler_jobs')
    op.drop_table('apscheduler_jobs')
    op.drop_index('ix_job_run_started_at', table_name='job_run')
    op.drop_table('job_run')
