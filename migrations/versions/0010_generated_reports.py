"""generated reports: the stored annual and mid-year reports of place partnerships.

``generated_report`` is one rendering of a report (place, kind, financial year): the SHA-256 of its
HTML, PDF and figures in the blob store, the periods, and the releases and returns (id, version) it
was computed from, with a fingerprint of them to tell a stale report from a current one.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 11:20:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('generated_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('year', sa.String(length=7), nullable=False),
    sa.Column('first_period', sa.String(length=10), nullable=False),
    sa.Column('last_period', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('generated_at', exchange.models.base.UTCDateTime(timezone=True),
              nullable=False),
    sa.Column('generated_by', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('html_sha256', sa.String(length=64), nullable=False),
    sa.Column('html_size', sa.Integer(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_size', sa.Integer(), nullable=False),
    sa.Column('data_sha256', sa.String(length=64), nullable=False),
    sa.Column('data_size', sa.Integer(), nullable=False),
    sa.Column('returns', sa.JSON(), nullable=False),
    sa.Column('previous_returns', sa.JSON(), nullable=False),
    sa.Column('releases', sa.JSON(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'],
                            name=op.f('fk_generated_report_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_generated_report'))
    )
    op.create_index('ix_generated_report_lookup', 'generated_report',
                    ['place_id', 'kind', 'year'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_generated_report_lookup', table_name='generated_report')
    op.drop_table('generated_report')
