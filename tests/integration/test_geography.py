"""Postcodes of any spelling are found in the shipped lookup; others are outside or unknown."""

import pytest

from exchange.services.directory.geography import (
    FOUND,
    OUTSIDE,
    UNKNOWN,
    Locator,
    load_postcode_lookup,
)

ROTHERHAM, SHEFFIELD, SYMCA = "E08000018", "E08000019", "E47000002"


@pytest.mark.parametrize("spelling", ["S60 2UD", "s602ud", " S60  2UD ", "s60 2ud"])
def test_any_spelling_of_a_rotherham_postcode_lies_in_rotherham_and_the_mca(uow, spelling):
    with uow:
        where = Locator(uow).locate(spelling)
    assert (where.postcode, where.status, where.lad_code, where.mca_code) == (
        "S60 2UD", FOUND, ROTHERHAM, SYMCA)


def test_a_postcode_of_a_covered_area_missing_from_the_table_is_unknown(uow):
    with uow:
        where = Locator(uow).locate("S99 9ZZ")
    assert (where.status, where.lad_code) == (UNKNOWN, None)


def test_a_postcode_in_another_area_is_outside_the_combined_authority(uow):
    with uow:
        where = Locator(uow).locate("LS1 4AP")
    assert (where.status, where.mca_code) == (OUTSIDE, None)


def test_a_dn_postcode_outside_south_yorkshire_has_its_own_district_and_no_mca(uow):
    # DN15 is Scunthorpe: North Lincolnshire, in no combined authority.
    with uow:
        where = Locator(uow).locate("DN15 6NL")
    assert where.status == FOUND
    assert where.lad_code == "E06000013"
    assert where.mca_code is None


def test_a_string_that_is_no_postcode_is_unknown(uow):
    with uow:
        assert Locator(uow).locate("not a postcode").status == UNKNOWN
        assert Locator(uow).locate(None).status == UNKNOWN


def test_loading_a_full_ons_lookup_replaces_the_table_and_covers_every_area(app, uow, tmp_path):
    nspl = tmp_path / "NSPL_TEST.csv"
    nspl.write_text(
        "pcd,pcd2,pcds,dointr,doterm,laua,ward,lsoa21\n"
        "S1  2HH,S1   2HH,S1 2HH,198001,,E08000019,E05010863,E01033264\n"
        "LS1 4AP,LS1  4AP,LS1 4AP,198001,,E08000035,E05011414,E01033010\n"
        "GY1 1AA,GY1  1AA,GY1 1AA,198001,,L99999999,,\n",
        encoding="utf-8")
    progressed = []
    try:
        assert load_postcode_lookup(nspl, uow, progress=progressed.append) == 2
        with uow:
            locator = Locator(uow)
            assert locator.locate("s12hh").lad_code == SHEFFIELD
            assert locator.locate("LS1 4AP").lad_code == "E08000035"
            # Every area is now covered: a postcode missing from the table is unknown.
            assert locator.locate("S60 2UD").status == UNKNOWN
    finally:
        from config.default import GEOGRAPHY_DIR
        from exchange.context import get_uow
        from exchange.services.directory.geography import load_default_geography

        load_default_geography(GEOGRAPHY_DIR, get_uow(), force=True)
