"""spend_partner_supplier: the supplier quarter masks kept once per partner, not per scope.

``spend_scope_supplier`` held a row per scope, supplier, destination and top threshold: a
partner's suppliers were written once for each scope holding it (its own, its place's, its
sub-region's), 600,000 rows for a return paying 200,000 suppliers. ``spend_partner_supplier``
holds them once per partner, by location as the supplier aggregates have it, and a scope's
counts are worked out from its partners' rows. The scopes are dropped here, as in 0024: until
a spend return is next accepted (which builds every row and scope) or ``hub aggregates
rebuild`` runs, the views count distinct suppliers from ``spend_supplier_aggregate`` instead —
the same figures, more slowly.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 00:10:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _drop_scopes()
    op.drop_table('spend_scope_supplier')
    op.create_table(
        'spend_partner_supplier',
        sa.Column('partner_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('threshold_pence', sa.BigInteger(), nullable=False),
        sa.Column('epoch', sa.Integer(), nullable=False),
        sa.Column('location', sa.String(length=9), nullable=False),
        sa.Column('supplier_key', sa.String(length=320), nullable=False),
        sa.Column('quarters', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('partner_id', 'threshold_pence', 'epoch', 'location',
                                'supplier_key', name=op.f('pk_spend_partner_supplier')))


def downgrade() -> None:
    _drop_scopes()
    op.drop_table('spend_partner_supplier')
    op.create_table(
        'spend_scope_supplier',
        sa.Column('scope_id', sa.Integer(), nullable=False),
        sa.Column('threshold_pence', sa.BigInteger(), nullable=False),
        sa.Column('epoch', sa.Integer(), nullable=False),
        sa.Column('cls', sa.String(length=9), nullable=False),
        sa.Column('supplier_key', sa.String(length=320), nullable=False),
        sa.Column('quarters', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('scope_id', 'threshold_pence', 'epoch', 'cls', 'supplier_key',
                                name=op.f('pk_spend_scope_supplier')))


def _drop_scopes() -> None:
    for table in ("spend_scope_mask_count", "spend_scope"):
        op.execute(sa.table(table).delete())
