"""releases: the MCA's locked releases and their frozen, disclosure-controlled datasets.

``release`` is one version of a sub-region's release for a period, with its lineage (the returns
it was built from) and revision notes; ``release_dataset`` holds each dataset's published rows as
JSON with their SHA-256. Neither is ever updated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 08:12:10.901808
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subregion_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('published_at', exchange.models.base.UTCDateTime(timezone=True),
              nullable=False),
    sa.Column('published_by', sa.String(length=200), nullable=False),
    sa.Column('returns', sa.JSON(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['subregion_id'], ['place.id'],
                            name=op.f('fk_release_subregion_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release')),
    sa.UniqueConstraint('subregion_id', 'period', 'version',
                        name=op.f('uq_release_subregion_id'))
    )
    op.create_table('release_dataset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('suppressed_cells', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'],
                            name=op.f('fk_release_dataset_release_id_release')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_dataset')),
    sa.UniqueConstraint('release_id', 'name', name=op.f('uq_release_dataset_release_id'))
    )


def downgrade() -> None:
    op.drop_table('release_dataset')
    op.drop_table('release')
