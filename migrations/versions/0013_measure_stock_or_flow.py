"""Measures say what they are: a stock counted at a quarter's end or a flow summed over quarters,
how a year's figure of a stock is made (average of its quarters or the latest), and what the proxy
value is per (person-year, start, hour…).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 17:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('measure_definition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nature', sa.String(length=10), nullable=False,
                                      server_default='flow'))
        batch_op.add_column(sa.Column('year_figure', sa.String(length=10), nullable=False,
                                      server_default='sum'))
        batch_op.add_column(sa.Column('proxy_per', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('measure_definition', schema=None) as batch_op:
        batch_op.drop_column('proxy_per')
        batch_op.drop_column('year_figure')
        batch_op.drop_column('nature')
