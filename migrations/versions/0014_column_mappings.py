"""column_mapping: the column mappings partners sent with uploads, remembered per set of headings.

One row per (partner, kind, headings_key): the file's headings and which of them feeds which
standard field. The next file with the same headings is read with it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 17:55:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('column_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('headings_key', sa.String(length=64), nullable=False),
    sa.Column('headings', sa.JSON(), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('saved_by', sa.String(length=200), nullable=False),
    sa.Column('saved_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'],
                            name=op.f('fk_column_mapping_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_column_mapping')),
    sa.UniqueConstraint('partner_id', 'kind', 'headings_key',
                        name=op.f('uq_column_mapping_partner_id'))
    )
    op.create_index(op.f('ix_column_mapping_partner_id'), 'column_mapping', ['partner_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_column_mapping_partner_id'), table_name='column_mapping')
    op.drop_table('column_mapping')
