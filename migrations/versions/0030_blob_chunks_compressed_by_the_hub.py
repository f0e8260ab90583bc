"""blob.compression: chunks compressed by the hub (one LZ4 block each), stored as they come.

PostgreSQL compressed each chunk itself (lz4, 0022). A million-line upload (248 MB) took
0.70 s to save, 0.43 s of it the server's own work while `hub ingest` waited; compressed by
the hub on two threads while it reads and hashes the next chunks, and stored as they come
(STORAGE EXTERNAL: the server does not try again), the same save takes about 0.5 s, and the
shared database does less of the work. Blobs saved before keep NULL and read as they were.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 04:10:00.000000
"""
import lz4.block
import sqlalchemy as sa
from alembic import op

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('blob', sa.Column('compression', sa.String(length=8), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE blob_chunk ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    """Chunks back to their bytes as they were sent, then the column goes."""
    bind = op.get_bind()
    chunks = bind.execute(sa.text(
        "SELECT c.blob_id, c.seq FROM blob_chunk c JOIN blob b ON b.id = c.blob_id "
        "WHERE b.compression = 'lz4'")).all()
    for blob_id, seq in chunks:
        key = {"blob_id": blob_id, "seq": seq}
        data = bind.execute(sa.text("SELECT data FROM blob_chunk WHERE blob_id = :blob_id "
                                    "AND seq = :seq"), key).scalar_one()
        bind.execute(sa.text("UPDATE blob_chunk SET data = :data WHERE blob_id = :blob_id "
                             "AND seq = :seq"), {**key, "data": lz4.block.decompress(data)})
    if bind.dialect.name == 'postgresql':
        op.execute("ALTER TABLE blob_chunk ALTER COLUMN data SET STORAGE EXTENDED")
    # Not a batch: on SQLite that copies `blob` to a new table and drops the old one, and the
    # drop deletes every chunk (ON DELETE CASCADE). SQLite drops a plain column in place.
    op.drop_column('blob', 'compression')
