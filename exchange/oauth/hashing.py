"""Hashes for what the hub must recognise but never keep: tokens, codes, secrets, passwords.

Tokens, authorization codes and client secrets are all made here from 256 random bits, so a
single SHA-256 is enough: nobody can guess a preimage of a 256-bit random value, however fast the
hash, and an unsalted hash lets the database find a presented token by an indexed equality
lookup. Passwords are chosen by people and guessable, so they get argon2id, which is slow and
memory-hard on purpose and salted per user.
"""

import functools
import hashlib
import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_passwords = PasswordHasher()  # argon2id with the RFC 9106 "low memory" parameters


@functools.cache
def _dummy_hash() -> str:
    """Verified when the e-mail is unknown, so a wrong address costs as much time as a wrong
    password. Made when first needed: at import it cost every `hub` command 0.1 s."""
    return _passwords.hash(secrets.token_urlsafe(16))


def new_token() -> str:
    """A fresh bearer token, refresh token or authorization code: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


# Client ids and secrets are pasted into shells, config files and `hub clients revoke ID`: letters
# and digits only, so one never starts with "-" (read as an option) or needs quoting.
_ALPHANUMERIC = string.ascii_letters + string.digits


def _alphanumeric(length: int) -> str:
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def new_client_id() -> str:
    """24 letters and digits: 142 bits."""
    return _alphanumeric(24)


def new_client_secret() -> str:
    """43 letters and digits: 256 bits."""
    return _alphanumeric(43)


def hash_token(value: str) -> str:
    """The stored form of a token or code: hex SHA-256."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


hash_secret = hash_token  # client secrets are as random as tokens: see the module docstring


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; spends the same effort when there is no hash to check."""
    try:
        return _passwords.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _passwords.check_needs_rehash(password_hash)
