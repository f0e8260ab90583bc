"""Rows can be read as tuples in the order of their fields, with the same content as the dicts."""

import io

from partners import read_table

CSV = (
    b"Council spending\n"
    b"Payment Date,Net Amount,Supplier Name,Supplier Postcode\n"
    b"01/10/2021, 12.50 ,  Acme Ltd ,S60 2UD\n"
    b",,,\n"
    b"02/10/2021,7.00,Beta plc\n"
    b"Total,19.50,,\n"
)


def rows_of(read):
    table = read_table(io.BytesIO(CSV), "spend", filename="spend.csv")
    return table, read(table)


def test_tuples_hold_the_same_stripped_cells_as_the_dict_rows():
    _, as_dicts = rows_of(lambda table: list(table.rows))
    table, as_tuples = rows_of(lambda table: list(table.rows.tuples()))

    fields = table.rows.fields
    assert [(n, dict(zip(fields, values, strict=True))) for n, values in as_tuples] == as_dicts
    assert as_tuples[0] == (3, tuple({"payment_date": "01/10/2021", "amount": "12.50",
                                      "supplier_name": "Acme Ltd",
                                      "supplier_postcode": "S60 2UD"}[f] for f in fields))
    assert [n for n, _ in as_tuples] == [3, 5]


def test_rows_read_as_tuples_set_aside_the_same_rows_as_dict_rows():
    table, _ = rows_of(lambda table: list(table.rows.tuples()))
    other, _ = rows_of(lambda table: list(table.rows))

    assert table.skipped == other.skipped
    assert [n for n, _ in table.skipped] == [4, 6]
    assert table.notes == other.notes


def test_rows_can_be_taken_one_at_a_time_with_next():
    table = read_table(io.BytesIO(CSV), "spend", filename="spend.csv")

    assert next(table.rows)[0] == 3
    assert [n for n, _ in table.rows] == [5]
