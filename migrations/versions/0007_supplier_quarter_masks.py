"""supplier quarter masks: distinct supplier counts for the views without count(DISTINCT).

``spend_scope`` names each set of partners the views count suppliers over (one partner of a
place, a place's partners combined, a sub-region's), with its local and sub-region LADs;
``spend_scope_supplier`` holds, per scope, threshold band, location class and supplier, a
bitmask of the quarters in which the scope's current returns paid that supplier, and
``spend_scope_mask_count`` how many suppliers share each mask (what the views read). All start
empty: the views compute from ``spend_supplier_aggregate`` until a scope exists, and the next
acceptance or ``hub aggregates rebuild`` fills them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 11:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('spend_scope',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('partners', sa.Text(), nullable=False),
    sa.Column('local_lads', sa.Text(), nullable=False),
    sa.Column('region_lads', sa.Text(), nullable=False),
    sa.Column('thresholds', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'],
                            name=op.f('fk_spend_scope_place_id_place'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spend_scope')),
    sa.UniqueConstraint('signature', name=op.f('uq_spend_scope_signature'))
    )
    op.create_table('spend_scope_supplier',
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('threshold_pence', sa.BigInteger(), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('cls', sa.String(length=9), nullable=False),
    sa.Column('supplier_key', sa.String(length=320), nullable=False),
    sa.Column('quarters', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['scope_id'], ['spend_scope.id'],
                            name=op.f('fk_spend_scope_supplier_scope_id_spend_scope'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('scope_id', 'threshold_pence', 'epoch', 'cls', 'supplier_key',
                            name=op.f('pk_spend_scope_supplier'))
    )
    op.create_table('spend_scope_mask_count',
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('threshold_pence', sa.BigInteger(), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('cls', sa.String(length=9), nullable=False),
    sa.Column('quarters', sa.BigInteger(), nullable=False),
    sa.Column('suppliers', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scope_id'], ['spend_scope.id'],
                            name=op.f('fk_spend_scope_mask_count_scope_id_spend_scope'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('scope_id', 'threshold_pence', 'epoch', 'cls', 'quarters',
                            name=op.f('pk_spend_scope_mask_count'))
    )


def downgrade() -> None:
    op.drop_table('spend_scope_mask_count')
    op.drop_table('spend_scope_supplier')
    op.drop_table('spend_scope')
