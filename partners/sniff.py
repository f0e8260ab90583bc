"""Tell CSV, XLSX and JSON apart by their first bytes, not by what the upload claims to be."""

from typing import BinaryIO

from partners.table import UnreadableFile, UnsupportedFormat

XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
}
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SAMPLE_SIZE = 65536

# Formats people upload by mistake, named so the message can say what the file is.
_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 (.xls) workbook or a password-protected workbook"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))


def peek(stream: BinaryIO, size: int = SAMPLE_SIZE) -> bytes:
    """The first bytes of the stream, leaving its position where it was."""
    start = stream.tell()
    sample = stream.read(size)
    stream.seek(start)
    return sample


def detect_format(sample: bytes, filename: str | None, media_type: str | None) -> str:
    """'xlsx', 'json' or 'csv' for this sample; raises for anything else."""
    if sample.startswith(b"PK\x03\x04"):
        return "xlsx"
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise UnsupportedFormat(
                f"This file is {what}, not a CSV, Excel (.xlsx) or JSON file. "
                "Please save it as CSV or Excel Workbook (.xlsx) and upload it again."
            )
    claims_xlsx = (media_type or "").split(";")[0].strip().lower() in XLSX_TYPES or (
        (filename or "").lower().endswith(XLSX_SUFFIXES)
    )
    if looks_binary(sample):
        if claims_xlsx:
            raise UnreadableFile(
                "This file is named as an Excel workbook but is damaged: it does not start the "
                "way an .xlsx file does. Please save it again from Excel and upload it again."
            )
        raise UnsupportedFormat(
            "This file is not a CSV, Excel (.xlsx) or JSON file: it holds binary data. "
            "Please save it as CSV or Excel Workbook (.xlsx) and upload it again."
        )
    text = sample.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def looks_binary(sample: bytes) -> bool:
    """NUL or other control bytes that no text file has (UTF-16 text, with its BOM, is fine)."""
    if sample.startswith(_BOMS[1:]):
        return False
    head = sample[:8192]
    if b"\0" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL)
    return controls > len(head) // 100
