"""People's e-mail addresses in one canonical form, and look-alikes refused.

NFKC folds compatibility forms (fullwidth ``ａｄｍｉｎ`` is ``admin``), the domain is kept as
IDNA A-labels (``bücher.example`` is ``xn--bcher-kva.example``) and the whole address in lower
case, so one address has one spelling. An address that only looks like a Latin one is refused:
the part before the @ must be plain ASCII, no label of the domain may mix scripts, and a label
in another script may not be spelt only with letters that look Latin (``раураl`` in Cyrillic)."""

import re
import unicodedata

import idna

LOCAL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}")
NOT_AN_ADDRESS = "Enter an email address like name@example.org."
LOOKS_LIKE = ("This address uses letters that look like others ({detail}), as fake addresses "
              "do; type it in plain letters, or ask for it to be checked.")
# Letters of other scripts that look like Latin ones: a label made only of these is a disguise.
LATIN_LOOKALIKES = frozenset(
    "аеорсухіјѕԁһӏԛԝѵвкмнтьзэ"       # Cyrillic
    "αοριυνκτχεηωϲϳ"                 # Greek
    "ａｅｏ")


def normalise_email(text: str) -> str:
    """The canonical form of an address; ValueError with a message for a person if it is not
    an address, or only looks like one."""
    address = unicodedata.normalize("NFKC", text or "").strip()
    local, at, domain = address.rpartition("@")
    if not at or "@" in local or not domain:
        raise ValueError(NOT_AN_ADDRESS)
    if not local.isascii():
        raise ValueError(LOOKS_LIKE.format(detail="before the @"))
    local = local.lower()
    if not LOCAL.fullmatch(local) or local.startswith(".") or ".." in local:
        raise ValueError(NOT_AN_ADDRESS)
    return f"{local}@{_domain(domain)}"


def _domain(domain: str) -> str:
    labels = domain.lower().rstrip(".").split(".")
    if len(labels) < 2:
        raise ValueError(NOT_AN_ADDRESS)
    try:
        # A-labels typed or pasted are checked as what they decode to.
        unicode_labels = [idna.decode(label) if label.startswith("xn--") else label
                          for label in labels]
        for label in unicode_labels:
            _check_label(label)
        return idna.encode(".".join(unicode_labels), uts46=True).decode("ascii")
    except idna.IDNAError as err:
        raise ValueError(NOT_AN_ADDRESS) from err


def _check_label(label: str) -> None:
    if label.isascii():
        return
    scripts = {_script(c) for c in label if c.isalpha()}
    if len(scripts) > 1:
        raise ValueError(LOOKS_LIKE.format(detail="mixed " + " and ".join(sorted(scripts))
                                           .lower() + " letters"))
    letters = [c for c in label if c.isalpha()]
    if scripts != {"LATIN"} and letters and all(c in LATIN_LOOKALIKES for c in letters):
        raise ValueError(LOOKS_LIKE.format(detail=f"'{label}' is not in Latin letters"))


def _script(char: str) -> str:
    """The script of a letter, from its Unicode name (LATIN, CYRILLIC, GREEK …)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
