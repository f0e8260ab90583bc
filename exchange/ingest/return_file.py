"""A stored return's own file read again as far as its headings: the format, the sheet the hub
read and the headings as written, so its issues can be placed where the partner will look."""

from dataclasses import dataclass, field

import partners
from exchange.blobs import BlobStore
from exchange.ingest.mappings import read_options
from exchange.models.returns import PartnerReturn
from exchange.unit_of_work import UnitOfWork
from partners import sniff


@dataclass(frozen=True)
class FileLayout:
    """``format`` is 'csv', 'xlsx' or 'json', or None for bytes that are none of them; ``sheet``
    the worksheet read (a workbook's); ``labels`` the heading row as written ('' for a blank
    heading): the likeliest one when the file lacked columns, none when it could not be read."""

    format: str | None
    sheet: str | None = None
    labels: list[str] = field(default_factory=list)


def file_layout(ret: PartnerReturn, uow: UnitOfWork, blobs: BlobStore) -> FileLayout:
    """Find the headings the way a submission does (same kind, profile, column settings and
    saved column mappings); ``uow`` must be entered."""
    options = read_options(uow, ret.partner, ret.kind, ret, {})
    if ret.profile in partners.PROFILES:
        options["profile"] = ret.profile
    with blobs.open(ret.sha256) as stream:
        try:
            fmt = sniff.detect_format(sniff.peek(stream), ret.filename, ret.media_type)
        except (partners.UnsupportedFormat, partners.UnreadableFile):
            return FileLayout(None)
        try:
            table = partners.read_table(stream, ret.kind, **options)
        except partners.MissingColumns as missing:
            return FileLayout(fmt, labels=list(missing.headings))
        except (partners.UnsupportedFormat, partners.UnreadableFile, ValueError):
            return FileLayout(fmt)
    found = {column.index: column.header for column in
             [*table.columns.values(), *table.ignored]}
    width = max(found, default=-1) + 1
    return FileLayout(table.format, table.sheet, [found.get(i, "") for i in range(width)])
