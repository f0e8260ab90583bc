"""blob, blob_chunk: raw bytes in the database (BLOB_STORE=database), so several servers share them.

A blob row per content (SHA-256, size, chunk size, when last saved); its bytes in 1 MiB
chunks. On PostgreSQL the chunks are compressed with lz4 where the server has it (faster than
the default pglz for the same CSV, which is most of what is stored).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 22:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blob',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('chunk_size', sa.Integer(), nullable=False),
    sa.Column('saved_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blob')),
    sa.UniqueConstraint('sha256', name=op.f('uq_blob_sha256'))
    )
    op.create_table('blob_chunk',
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['blob.id'], name=op.f('fk_blob_chunk_blob_id_blob'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('blob_id', 'seq', name=op.f('pk_blob_chunk'))
    )
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql' and bind.exec_driver_sql(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)").scalar():
        op.execute("ALTER TABLE blob_chunk ALTER COLUMN data SET COMPRESSION lz4")


def downgrade() -> None:
    op.drop_table('blob_chunk')
    op.drop_table('blob')
