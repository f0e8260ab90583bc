"""The columnar reader gives the rows, row numbers, skipped rows and notes the row-by-row reader
gives, or declines; chunk boundaries anywhere change nothing."""

import csv
import io

import pytest

import partners
from partners.formats import columns
from partners.formats.columns import ColumnReader, Declined
from tests.ingest.cases import crafted, real_csvs, spendfile


def by_rows(data: bytes) -> tuple[list, list, list]:
    table = partners.read_table(io.BytesIO(data), "spend", filename="spend.csv")
    rows = list(table.rows.tuples())
    return rows, list(table.notes), list(table.skipped)


def by_columns(data: bytes) -> tuple[list, list, list]:
    stream = io.BytesIO(data)
    table = partners.read_table(stream, "spend", filename="spend.csv")
    reader = ColumnReader(stream, table, "spend")
    rows = [(row[0], tuple(row[1:])) for frame in reader for row in frame.iter_rows()]
    return rows, list(table.notes) + reader.notes, reader.skipped


def text_table(data: bytes) -> bool:
    """Whether the row reader reads the file and it is plain CSV text (no profile rewrites
    its records): the files the columnar reader is for."""
    try:
        return partners.read_table(io.BytesIO(data), "spend", filename="spend.csv").text \
            is not None
    except partners.UnreadableFile:
        return False


REAL = {path.name: path.read_bytes() for path in real_csvs()}
CRAFTED = crafted()
DECLINED = {"a summary table below the payments", "a lone carriage return",
            "a quote left open"}


@pytest.mark.parametrize("name", sorted(name for name, data in REAL.items() if text_table(data)))
def test_the_columnar_reader_reads_a_real_file_as_the_row_reader_does(name, monkeypatch):
    monkeypatch.setattr(columns, "CHUNK", 1 << 16)  # several chunks a file

    assert by_columns(REAL[name]) == by_rows(REAL[name])


@pytest.mark.parametrize("chunk", [columns.CHUNK, 40, 300])
@pytest.mark.parametrize("name", sorted(set(CRAFTED) - DECLINED))
def test_the_columnar_reader_reads_a_made_up_file_as_the_row_reader_does_in_any_chunks(
        name, chunk, monkeypatch):
    monkeypatch.setattr(columns, "CHUNK", chunk)

    assert by_columns(CRAFTED[name]) == by_rows(CRAFTED[name])


@pytest.mark.parametrize("name", sorted(DECLINED))
def test_files_the_columnar_reader_cannot_promise_to_read_like_csv_are_declined(name):
    stream = io.BytesIO(CRAFTED[name])
    table = partners.read_table(stream, "spend", filename="spend.csv")

    with pytest.raises(Declined):
        list(ColumnReader(stream, table, "spend"))


def test_a_file_a_profile_rewrites_is_left_to_the_row_reader():
    lambeth = [data for name, data in REAL.items() if name.startswith("2012-06")]
    if not lambeth:
        pytest.skip("real spend data not checked out")
    stream = io.BytesIO(lambeth[0])
    table = partners.read_table(stream, "spend", filename="spend.csv")

    with pytest.raises(Declined):
        ColumnReader(stream, table, "spend")


def test_a_generated_messy_file_reads_the_same_in_chunks(tmp_path, monkeypatch):
    path = tmp_path / "spend.csv"
    spendfile().write_spend(path, 3000, run="chunks")
    data = path.read_bytes()
    monkeypatch.setattr(columns, "CHUNK", 20_000)

    rows, notes, skipped = by_columns(data)

    assert (rows, notes, skipped) == by_rows(data)
    assert len(rows) == 3000
    assert any("Windows-1252" in note for note in notes)


@pytest.fixture
def small_csv_cells():
    """csv's longest cell made 2,000 characters for the test."""
    before = csv.field_size_limit(2000)
    yield 2000
    csv.field_size_limit(before)


@pytest.mark.parametrize("ending", [b"\r\n", b"\n"])
def test_a_cell_longer_than_csv_reads_is_declined_in_a_column_no_field_reads(
        small_csv_cells, ending):
    data = (b"Payment Date,Amount,Supplier Name,Notes" + ending
            + b"01/10/2021,10.00,Acme Ltd,short" + ending
            + b"02/10/2021,20.00,Beta Ltd," + b"x" * 3000 + ending)
    stream = io.BytesIO(data)
    table = partners.read_table(stream, "spend", filename="spend.csv")

    with pytest.raises(Declined, match="longer than csv"):
        list(ColumnReader(stream, table, "spend"))


def test_cells_as_long_as_csv_reads_in_a_column_no_field_reads_are_read_as_rows(
        small_csv_cells):
    data = (b"Payment Date,Amount,Supplier Name,Notes\r\n"
            + b"".join(b"0%d/10/2021,10.00,Acme Ltd,%s\r\n" % (day, b"x" * 1990)
                       for day in range(1, 10)))

    assert by_columns(data) == by_rows(data)
    assert len(by_columns(data)[0]) == 9


@pytest.mark.parametrize("limit", [10, 11, 64])
def test_lines_are_only_called_shorter_than_a_limit_when_each_one_is(limit):
    for length in range(3 * limit):
        for offset in range(limit):
            data = b"ab\n" * offset + b"x" * length + b"\n" + b"cd\n" * 3
            if columns._lines_shorter_than(data, limit):
                assert length < limit, (length, offset)
    assert columns._lines_shorter_than(b"abc\n" * 100, limit)


def test_a_frame_is_called_plain_text_only_when_its_chunk_holds_nothing_copy_escapes(
        monkeypatch):
    monkeypatch.setattr(columns, "CHUNK", 40)  # a chunk a record
    data = (b"Payment Date,Amount,Supplier Name\r\n"
            b"01/10/2021,10.00,Acme Ltd\r\n"
            b"02/10/2021,20.00,Back\\slash Ltd\r\n"
            b"03/10/2021,30.00,Tab\tLtd\r\n"
            b'04/10/2021,40.00,"Two\r\nLines Ltd"\r\n'
            b"05/10/2021,50.00,Beta Ltd\r\n")
    stream = io.BytesIO(data)
    reader = ColumnReader(stream, partners.read_table(stream, "spend", filename="spend.csv"),
                          "spend")

    seen = [(frame["supplier_name"].to_list(), reader.plain_text) for frame in reader]

    assert [names for names, _ in seen][:4] == [
        ["Acme Ltd"], ["Back\\slash Ltd"], ["Tab\tLtd"], ["Two\r\nLines Ltd", "Beta Ltd"]]
    assert [plain for _, plain in seen] == [True, False, False, False]
