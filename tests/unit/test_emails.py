"""E-mail addresses of people: one canonical form (NFKC, lower case, IDNA domain), and addresses
that only look like another (mixed scripts, homoglyphs) refused with a message."""

import pytest

from exchange.emails import normalise_email


@pytest.mark.parametrize("typed, canonical", [
    ("Ann@RMBC.example", "ann@rmbc.example"),
    ("  ann@rmbc.example ", "ann@rmbc.example"),
    ("ａｎｎ@ｒｍｂｃ.example", "ann@rmbc.example"),          # fullwidth letters: NFKC
    ("ann@bücher.example", "ann@xn--bcher-kva.example"),      # a real IDN: its A-label
    ("ann@XN--BCHER-KVA.example", "ann@xn--bcher-kva.example"),
    ("ann.o'neil+hub@rmbc.example", "ann.o'neil+hub@rmbc.example"),
])
def test_addresses_are_kept_in_one_canonical_form(typed, canonical):
    assert normalise_email(typed) == canonical


@pytest.mark.parametrize("look_alike", [
    "admin@hub.exаmple",          # Cyrillic а inside a Latin label: mixed scripts
    "admin@раураl.example",       # all Cyrillic, every letter a Latin look-alike
    "аdmin@hub.example",          # Cyrillic а in the part before the @
    "admin@hub.ехample",          # Cyrillic е and х
    "admin@xn--hub-8cd.example",  # an A-label that decodes to a mixed-script label
])
def test_look_alike_addresses_are_refused(look_alike):
    with pytest.raises(ValueError, match="look"):
        normalise_email(look_alike)


@pytest.mark.parametrize("broken", ["", "ann", "ann@", "@rmbc.example", "ann@rmbc",
                                    "ann rmbc@x.example", "ann@rm bc.example", "a\x00b@x.example",
                                    "ann@-rmbc.example", "ann@@rmbc.example"])
def test_things_that_are_not_addresses_are_refused(broken):
    with pytest.raises(ValueError):
        normalise_email(broken)
