"""Supplier directory: location sources widened, officers' statements, cross-partner reviews.

``spend_line.location_source`` takes ``companies_register`` and ``identifier`` beside ``line``,
``register`` and ``unknown``, so it is widened to 20 characters. ``supplier_statement`` keeps
what a partner's data officer gives on the worklist (never updated: each statement is a row,
with who and when); ``supplier_review`` keeps name-only matches to another partner's entry,
which change nothing until confirmed.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 21:45:00.000000
"""
import sqlalchemy as sa
from alembic import op

from exchange.models.base import UTCDateTime

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('spend_line', schema=None) as batch_op:
        batch_op.alter_column('location_source', existing_type=sa.String(length=10),
                              type_=sa.String(length=20), existing_nullable=False)
    op.create_table('supplier_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('supplier_name', sa.String(length=300), nullable=False),
    sa.Column('supplier_id', sa.String(length=100), nullable=True),
    sa.Column('org_id', sa.String(length=40), nullable=True),
    sa.Column('postcode', sa.String(length=8), nullable=True),
    sa.Column('location_status', sa.String(length=10), nullable=False),
    sa.Column('lad_code', sa.String(length=9), nullable=True),
    sa.Column('sme', sa.Boolean(), nullable=True),
    sa.Column('vcse', sa.Boolean(), nullable=True),
    sa.Column('stated_by', sa.String(length=200), nullable=False),
    sa.Column('stated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'],
                            name=op.f('fk_supplier_statement_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_statement'))
    )
    with op.batch_alter_table('supplier_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_statement_partner_id'), ['partner_id'],
                              unique=False)
    op.create_table('supplier_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('supplier_name', sa.String(length=300), nullable=False),
    sa.Column('other_partner_id', sa.Integer(), nullable=False),
    sa.Column('other_return_id', sa.Integer(), nullable=False),
    sa.Column('other_supplier_id', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('found_at', UTCDateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['other_partner_id'], ['partner.id'],
                            name=op.f('fk_supplier_review_other_partner_id_partner')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'],
                            name=op.f('fk_supplier_review_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_review')),
    sa.UniqueConstraint('partner_id', 'name_key', 'other_partner_id',
                        name=op.f('uq_supplier_review_partner_id'))
    )
    with op.batch_alter_table('supplier_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_review_partner_id'), ['partner_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('supplier_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_review_partner_id'))
    op.drop_table('supplier_review')
    with op.batch_alter_table('supplier_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_statement_partner_id'))
    op.drop_table('supplier_statement')
    with op.batch_alter_table('spend_line', schema=None) as batch_op:
        batch_op.alter_column('location_source', existing_type=sa.String(length=20),
                              type_=sa.String(length=10), existing_nullable=False)
