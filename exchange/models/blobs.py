"""Raw bytes kept in the database (BLOB_STORE=database): one ``blob`` row per content, addressed
by SHA-256, its bytes in ``blob_chunk`` rows of ``chunk_size`` bytes (the last one shorter), so
that every server of the hub reads the same bytes and none holds a whole file in memory."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base, UTCDateTime


class StoredBlob(Base):
    """One stored content. ``sha256`` is empty only while its chunks are being written, inside
    the transaction that names it; ``saved_at`` is refreshed when the same bytes are saved again
    (the blob collector's grace period counts from it)."""

    __tablename__ = "blob"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunk_size: Mapped[int] = mapped_column(Integer)
    # How each chunk is kept: None, as the bytes; "lz4", one LZ4 block starting with its size.
    compression: Mapped[str | None] = mapped_column(String(8))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))


class BlobChunk(Base):
    """Bytes ``seq * chunk_size`` onwards of one blob."""

    __tablename__ = "blob_chunk"
    blob_id: Mapped[int] = mapped_column(ForeignKey("blob.id", ondelete="CASCADE"),
                                         primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
