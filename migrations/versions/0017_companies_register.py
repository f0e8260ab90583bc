"""company: the companies register (Companies House Basic Company Data), as last loaded.

`hub companies load` replaces the whole table in one transaction; a later session matches
spend lines against it by company number, then by normalised name (``name_key``).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 18:15:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('company',
    sa.Column('number', sa.String(length=8), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=8), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('category', sa.Text(), nullable=True),
    sa.Column('accounts_category', sa.Text(), nullable=True),
    sa.Column('sic_text', sa.Text(), nullable=True),
    sa.Column('register_date', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_company'))
    )
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_name_key'), ['name_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_name_key'))
    op.drop_table('company')
