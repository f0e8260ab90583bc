"""Client ids and secrets are typed into shells and config files: letters and digits only."""

import re

from exchange.oauth import hashing

LETTERS_AND_DIGITS = re.compile(r"[A-Za-z0-9]+")


def test_client_ids_are_24_letters_and_digits_and_never_start_with_a_dash():
    ids = {hashing.new_client_id() for _ in range(2000)}

    assert len(ids) == 2000
    assert all(len(i) == 24 and LETTERS_AND_DIGITS.fullmatch(i) for i in ids)


def test_client_secrets_are_43_letters_and_digits():
    secrets = {hashing.new_client_secret() for _ in range(2000)}

    assert len(secrets) == 2000
    assert all(len(s) == 43 and LETTERS_AND_DIGITS.fullmatch(s) for s in secrets)
