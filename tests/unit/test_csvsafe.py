"""CSV cells a spreadsheet would run as formulas are neutralised; numbers stay numbers."""

from exchange.csvsafe import safe_cell


def test_a_negative_amount_stays_a_number_and_a_formula_becomes_text():
    assert safe_cell("-12.50") == "-12.50"
    assert safe_cell("-1,234.50") == "-1,234.50"
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("-2+3") == "'-2+3"
