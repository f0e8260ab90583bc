"""The normaliser: what partners type, turned into the standard's values."""

import re
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange import normalise as n

# --- postcodes -----------------------------------------------------------------------------

# The grammar of a valid postcode, written out in parts so that spellings can be built from it.
OUTWARD = st.from_regex(
    r"[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])",
    fullmatch=True,
)
INWARD = st.from_regex(r"[0-9][ABD-HJLNP-UW-Z]{2}", fullmatch=True)


@pytest.mark.parametrize("spelling", ["s602ud", " S60  2UD ", "S60 2UD", "s60 2ud", "S 6 0 2 U D",
                                      "S60\u00a02UD", "\tS602UD\n"])
def test_any_spelling_of_a_postcode_becomes_its_canonical_form(spelling):
    assert n.canonical_postcode(spelling) == "S60 2UD"


@pytest.mark.parametrize("text", ["", None, "S60", "S60 2U", "hello", "S60 2UDX", "123 456",
                                  "QS1 1AA", "S60 2CI", "Rotherham"])
def test_text_that_cannot_be_a_uk_postcode_gives_none(text):
    assert n.canonical_postcode(text) is None


@given(OUTWARD, INWARD, st.data())
def test_postcode_spellings_with_any_case_and_spacing_round_trip(outward, inward, data):
    canonical = f"{outward} {inward}"
    gap = st.sampled_from(["", " ", "  ", "\t"])
    spelled = "".join(
        data.draw(gap) + data.draw(st.sampled_from([c, c.lower()])) for c in outward + inward
    )
    assert n.canonical_postcode(spelled) == canonical
    assert n.canonical_postcode(canonical) == canonical


# Spellings a column may hold: postcodes typed any way, near misses, and any text at all.
SPACES = st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\u3000", "\x1c", "\x1f", "\n"])


@st.composite
def typed_postcodes(draw):
    outward, inward = draw(OUTWARD), draw(INWARD)
    text = "".join(draw(SPACES) + draw(st.sampled_from([c, c.lower()]))
                   for c in outward + inward)
    return draw(st.sampled_from([text, text[:-1], text + "X", "GIR0AA", "gir 0aa"]))


@given(st.lists(st.one_of(typed_postcodes(), st.text(), st.none()), max_size=30))
def test_postcodes_worked_out_a_column_at_a_time_are_those_worked_out_one_at_a_time(typed):
    column = pl.Series(typed, dtype=pl.String)
    canonical = column.to_frame("typed").select(n.canonical_postcodes(pl.col("typed")))
    assert canonical.to_series().to_list() == [n.canonical_postcode(t) for t in typed]
    areas = canonical.select(n.postcode_areas(pl.col("typed"))).to_series()
    assert areas.to_list() == [n.postcode_area(t) for t in typed]


def test_postcode_area_district_and_sector_come_from_the_canonical_form():
    assert n.postcode_area("s602ud") == "S"
    assert n.postcode_area("DN1 1AA") == "DN"
    assert n.postcode_district("dn11aa") == "DN1"
    assert n.postcode_district("S60 2UD") == "S60"
    assert n.postcode_sector("S60 2UD") == "S60 2"
    assert n.postcode_area("nonsense") is None


# --- amounts -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "pounds"), [
    ("1,234.56", "1234.56"), ("£1,234.56", "1234.56"), (" -4,774.00 ", "-4774.00"),
    ("(12.00)", "-12.00"), ("1234", "1234.00"), ("12.5", "12.50"), ("1.230", "1.23"),
    ("-£12", "-12.00"), ("£-12", "-12.00"), ("12.00-", "-12.00"), (".5", "0.50"),
    ("Nil", "0.00"), ("-0.00", "0.00"), ("2,142.73", "2142.73"), ("GBP 10", "10.00"),
])
def test_amounts_as_finance_systems_write_them_become_exact_pence(text, pounds):
    value = n.parse_amount(text)
    assert value == Decimal(pounds)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(("text", "reason"), [
    ("12,34.5x", None), ("1e5", None), ("abc", None), ("--1", None), ("()", None),
    ("1.234", "more than two decimal places"), ("12%", "% sign"),
    ("1234,56", "thousands separators"),
])
def test_garbage_amounts_are_rejected_with_the_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        n.parse_amount(text)


def test_spreadsheet_numbers_become_pence_without_binary_noise():
    assert n.parse_amount(1234.5600000000002) == Decimal("1234.56")
    assert n.parse_amount(1240) == Decimal("1240.00")
    with pytest.raises(ValueError, match="decimal places"):
        n.parse_amount(0.125)


@given(st.integers(min_value=-10**12, max_value=10**12), st.booleans(), st.booleans())
def test_amounts_with_thousands_separators_round_trip(pence, pound_sign, brackets):
    value = Decimal(pence).scaleb(-2)
    text = f"{abs(value):,.2f}"
    text = ("£" if pound_sign else "") + text
    if value < 0:
        text = f"({text})" if brackets else f"-{text}"
    assert n.parse_amount(text) == value


def test_quantities_keep_every_decimal_place():
    assert n.parse_decimal("12.345") == Decimal("12.345")
    assert n.parse_decimal("1,500") == Decimal("1500")
    assert n.parse_decimal(2.5) == Decimal("2.5")


# --- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "20/06/2013", "20/6/13", "20-Jun-13", "20-JUN-2013", "20 June 2013", "2013-06-20",
    "2013-06-20T00:00:00", "20/06/2013 00:00", "20.06.2013", "20th June 2013", "20130620",
    "2013-06-20 00:00:00.000", "2013-06-20T10:30:00Z", "20 jun 2013",
])
def test_uk_and_iso_dates_are_read_day_first(text):
    assert n.parse_uk_date(text) == date(2013, 6, 20)


@pytest.mark.parametrize(("text", "reason"), [
    ("00:00:00", "has a time .* but no date"),  # Oxford's export lost every paid date
    ("06/20/2013", "no month 20: dates must be day first"),
    ("31/02/2013", "31 February 2013 does not exist"),
    ("41445", "Excel date serial number .*20/06/2013"),
    ("20/06/0213", "not plausible"),
    ("yesterday", None),
])
def test_dates_that_cannot_be_read_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        n.parse_uk_date(text)


def test_ambiguous_numeric_dates_are_never_read_month_first():
    assert n.parse_uk_date("03/04/2021") == date(2021, 4, 3)


def test_an_excel_serial_is_recognised_but_only_in_a_plausible_range():
    assert n.excel_serial_date("41445") == date(2013, 6, 20)
    assert n.excel_serial_date("41445.0") == date(2013, 6, 20)
    assert n.excel_serial_date("12345") is None
    assert n.excel_serial_date("1234.56") is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2068, 12, 31)))
def test_every_common_way_of_writing_a_date_reads_back_the_same_day(day):
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%d %B %Y",
                "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"):
        assert n.parse_uk_date(day.strftime(fmt)) == day


# --- identifiers ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "number"), [
    ("1234567", "01234567"), ("00178738", "00178738"), ("2227962", "02227962"),
    (" 0365 3277 ", "03653277"), ("SC123456", "SC123456"), ("sc 12345", "SC012345"),
    ("NI012345", "NI012345"), ("OC301234", "OC301234"), ("IP28687R", "IP28687R"),
    ("RS007530", "RS007530"),
])
def test_company_numbers_keep_leading_zeros_and_prefixes(text, number):
    assert n.company_number(text) == number


@pytest.mark.parametrize("text", ["", None, "N/A", "Awaiting", "EXEMPT", "Not yet available",
                                  "DETAILS REDACTED", "0", "-"])
def test_placeholders_in_an_identifier_column_mean_no_identifier(text):
    assert n.company_number(text) is None
    assert n.charity_number(text) is None
    assert n.vat_number(text) is None


@pytest.mark.parametrize("text", ["123456789", "GB123", "NIO32979", "00000000", "ACME"])
def test_text_that_is_not_a_company_number_is_rejected(text):
    with pytest.raises(ValueError):
        n.company_number(text)


def test_charity_numbers_of_each_uk_register_are_recognised():
    assert n.charity_number("1146304") == "1146304"
    assert n.charity_number("298149") == "298149"
    assert n.charity_number("1123456-1") == "1123456-1"
    assert n.charity_number("1123456-0") == "1123456"
    assert n.charity_number("SC012345") == "SC012345"
    assert n.charity_number("NIC100002") == "NIC100002"
    with pytest.raises(ValueError):
        n.charity_number("31192R")


def test_vat_numbers_lose_the_gb_prefix_and_spaces():
    assert n.vat_number("GB297280913") == "297280913"
    assert n.vat_number("GB 297 2809 13") == "297280913"
    assert n.vat_number("297280913000") == "297280913000"
    assert n.vat_number("GD123") == "GD123"
    with pytest.raises(ValueError, match="9 digits"):
        n.vat_number("GB12345")


def test_org_ids_follow_org_id_guide_prefixes():
    assert n.org_id(company="01234567") == "GB-COH-01234567"
    assert n.org_id(charity="1146304-1") == "GB-CHC-1146304"
    assert n.org_id(charity="SC012345") == "GB-SC-SC012345"
    assert n.org_id(charity="NIC100002") == "GB-NIC-100002"
    assert n.org_id(company="01234567", charity="1146304") == "GB-COH-01234567"
    assert n.org_id(lae="rot") == "GB-LAE-ROT"
    assert n.org_id(nhs="RFR") == "GB-NHS-RFR"
    assert n.org_id() is None


# Identifier-like text: digits, the letters of prefixes, and what partners put between them.
_IDENTIFIER_LIKE = st.text(alphabet="0123456789GBXISCOHARNPL -.", max_size=14)


def _plain_or_like(pattern: str):
    return st.one_of(st.from_regex(pattern, fullmatch=True), _IDENTIFIER_LIKE)


@given(st.one_of(st.sampled_from(["N/A", " n/a ", "Not Known", "redacted 12", "TBC", "0",
                                   "", "12", "GB1"]),
                 st.text(alphabet="0123456789NATBCREDXGLOW /.-", max_size=12)))
def test_an_identifier_is_a_placeholder_exactly_when_it_reads_as_no_number(text):
    try:
        no_number = n.vat_number(text) is None
    except ValueError:  # a number, but not a VAT number
        no_number = False

    assert n.is_placeholder_id(text) == no_number


@given(_plain_or_like(n.PLAIN_VAT_NUMBER))
def test_a_vat_number_written_plainly_is_its_digits(text):
    if re.fullmatch(n.PLAIN_VAT_NUMBER, text):
        assert n.vat_number(text) == text.removeprefix("GB").removeprefix("XI")


@given(_plain_or_like(n.PLAIN_COMPANY_NUMBER))
def test_a_company_number_written_plainly_is_itself_zero_filled(text):
    if re.fullmatch(n.PLAIN_COMPANY_NUMBER, text) and len(text) <= 8:
        assert n.company_number(text) == text.zfill(8)


@given(_plain_or_like(n.PLAIN_CHARITY_NUMBER))
def test_a_charity_number_written_plainly_is_itself(text):
    if re.fullmatch(n.PLAIN_CHARITY_NUMBER, text):
        assert n.charity_number(text) == text


# --- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "normalised"), [
    ("The A.B. Smith & Co Ltd", "AB SMITH"),
    ("A J H  Pump Supply & Repair Ltd", "AJH PUMP SUPPLY AND REPAIR"),
    ("P H S Group Plc", "PHS GROUP"),
    ("P.H.S. GROUP PLC", "PHS GROUP"),
    ("Veolia ES (UK) Ltd", "VEOLIA ES UK"),
    ("CAFÉ NERO LIMITED", "CAFE NERO"),
    ("O'Brien & Sons", "OBRIEN AND SONS"),
    ("Tom A Smith", "TOM A SMITH"),
    ("Rotherham Citizens Advice Bureau CIO", "ROTHERHAM CITIZENS ADVICE BUREAU"),
])
def test_supplier_names_are_reduced_to_a_form_that_matches_across_partners(name, normalised):
    assert n.normalise_supplier_name(name) == normalised


def test_the_same_supplier_spelled_by_different_partners_matches():
    spellings = ["TARMAC TRADING LIMITED", "Tarmac Trading Ltd", "Tarmac Trading Ltd."]
    assert len({n.normalise_supplier_name(s) for s in spellings}) == 1


@pytest.mark.parametrize("name", [
    "REDACTED PERSONAL DATA", "Redacted - personal data", "PERSONAL DATA REDACTED", "Redacted",
    "Personal Information", "Private individual", "*****", "DETAILS REDACTED",
    "Personal data - withheld", "Individual", "XXXX", "", "Name removed", "Redaction",
])
def test_placeholders_for_personal_data_are_recognised_as_redacted(name):
    assert n.is_redacted(name)


@pytest.mark.parametrize("name", ["Tarmac Ltd", "PENDERELS TRUST DP ONLY", "Xerox Ltd",
                                  "Individual Care Services Ltd", "Personal Touch Catering",
                                  # real suppliers in Oxford's Oct-Dec 2017 file
                                  "REDACTIVE MEDIA SALES LIMITED", "REDACTIVE PUBLISHING LIMITED"])
def test_real_supplier_names_are_not_taken_for_redactions(name):
    assert not n.is_redacted(name)


# Names built from the pieces the rules act on: legal suffixes, THE, single letters, the words
# of a name withheld, the characters that are dropped, joined or folded, and any text at all.
_NAME_PIECES = st.sampled_from([
    "Ltd", "LIMITED", "co", "Company", "and", "&", "+", "The", "THE", "A", "b", "P", "H.", "S.",
    "O'Brien", "Café", "ÉCOLE", "straße", "Redacted", "personal", "data", "X", "xx", "Individual",
    "GDPR", "withheld", "Removed", "PRIVATE", "individuals", "protection", "-", "(UK)", "1st",
    "42", "Smith", "\u00a0", "\t", "ﬁne", ""])
_NAMES = st.lists(st.one_of(_NAME_PIECES, st.text(max_size=6)), max_size=8).flatmap(
    lambda words: st.sampled_from([" ", "", "  ", "-"]).map(lambda sep: sep.join(words)))


@given(st.lists(_NAMES, max_size=20))
def test_names_worked_out_a_column_at_a_time_match_the_rules_one_at_a_time(names):
    keys = n.supplier_name_keys(pl.Series(names, dtype=pl.String))
    assert keys["normalised"].to_list() == [n.normalise_supplier_name(s) for s in names]
    assert keys["redacted"].to_list() == [n.is_redacted(s) for s in names]
    assert n.names_redacted(pl.Series(names, dtype=pl.String)).to_list() == keys["redacted"] \
        .to_list()


@pytest.mark.parametrize(("name", "normalised", "redacted"), [
    ("The A.B. Smith & Co Ltd", "AB SMITH", False), ("P H S Group Plc", "PHS GROUP", False),
    ("CAFÉ NERO LIMITED", "CAFE NERO", False), ("THE LTD", "THE", False), ("AND", "", False),
    ("Redacted - personal data", "REDACTED PERSONAL DATA", True), ("", "", True),
])
def test_names_a_column_at_a_time_hand_worked(name, normalised, redacted):
    keys = n.supplier_name_keys(pl.Series([name]))
    assert keys.row(0) == (normalised, redacted)

# --- flags and choices ---------------------------------------------------------------------

def test_yes_no_flags_in_their_usual_spellings():
    assert [n.parse_bool(s) for s in ("Yes", "y", "TRUE", "1", "No", "n", "false", "0")] == [
        True] * 4 + [False] * 4
    assert n.parse_yes_no_unknown("Not known") == "unknown"
    assert n.parse_yes_no_unknown("Y") == "yes"
    with pytest.raises(ValueError, match="Yes or No"):
        n.parse_bool("maybe")


def test_capital_or_revenue_accepts_letters_abbreviations_and_words():
    assert [n.parse_capital_revenue(s) for s in ("C", "r", "CAP", "Rev", "Capital", "REVENUE")] == [
        "capital", "revenue", "capital", "revenue", "capital", "revenue"]
    with pytest.raises(ValueError, match="Capital or Revenue"):
        n.parse_capital_revenue("X")


def test_choices_and_codes_forgive_case_spaces_and_hyphens():
    assert n.parse_choice("In progress", ("not_started", "in_progress")) == "in_progress"
    assert n.parse_choice("in-kind", ("in_kind",)) == "in_kind"
    assert n.parse_code(" Living Wage ") == "living_wage"
    with pytest.raises(ValueError, match="one of"):
        n.parse_choice("done", ("not_started", "in_progress"))


def test_web_addresses_must_be_http_or_https():
    assert n.parse_url(" https://example.org/evidence ") == "https://example.org/evidence"
    with pytest.raises(ValueError):
        n.parse_url("example.org")


def test_excel_serial_36526_is_the_first_of_january_2000():
    # Guards the epoch: Excel counts 29 February 1900, which never was, so its day 0 is
    # 30 December 1899, and serial 36526 is 1 January 2000 (as Excel shows it).
    assert n.excel_serial_date("36526") == date(2000, 1, 1)
    assert n.excel_serial_date("36526.0") == date(2000, 1, 1)
