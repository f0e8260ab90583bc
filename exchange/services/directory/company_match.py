"""The companies register as the directory's last source: a batch of suppliers matched by
company number, then by exact normalised name where one active company has it.

SME from the accounts category (Companies House ``Accounts.AccountCategory``). A company is
taken to be an SME (fewer than 250 staff, the UK definition, which counts medium-sized) only
when the accounts it files are open to small or medium companies alone:

- MICRO ENTITY, SMALL, MEDIUM, TOTAL EXEMPTION SMALL, TOTAL EXEMPTION FULL (the audit exemption
  of section 477 is for small companies), PARTIAL EXEMPTION (its older form), UNAUDITED ABRIDGED
  and AUDITED ABRIDGED (abridged accounts are for the small companies regime).

Every other category tells nothing, and is left unknown (never "not an SME"): FULL and GROUP
(filed by companies of any size), AUDIT EXEMPTION SUBSIDIARY and FILING EXEMPTION SUBSIDIARY
(the exemption comes from a parent group, whose size counts under the SME definition), DORMANT,
INITIAL, NO ACCOUNTS FILED and ACCOUNTS TYPE NOT AVAILABLE."""

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

import polars as pl

from exchange.repositories.companies import CompanyRepository

SME_ACCOUNTS = frozenset({
    "MICRO ENTITY", "SMALL", "MEDIUM", "TOTAL EXEMPTION SMALL", "TOTAL EXEMPTION FULL",
    "PARTIAL EXEMPTION", "UNAUDITED ABRIDGED", "AUDITED ABRIDGED",
})
ACTIVE = "Active"
COMPANY_PREFIX = "GB-COH-"
_LIMIT = 200_000  # companies remembered per ingestion


class RegisteredCompany(NamedTuple):
    number: str
    postcode: str | None
    sme: bool | None  # True, or None when the accounts category tells nothing
    register_date: date


def sme_of(accounts_category: str | None) -> bool | None:
    """True for a category only small and medium companies file (see the module), else None."""
    return True if (accounts_category or "").strip().upper() in SME_ACCOUNTS else None


def company_number_of(org_id: str | None) -> str | None:
    return org_id[len(COMPANY_PREFIX):] if org_id and org_id.startswith(COMPANY_PREFIX) else None


class CompanyMatcher:
    """Look-ups in the companies register, one query per batch of suppliers, remembered."""

    def __init__(self, companies: CompanyRepository | None):
        self.companies = companies
        self.by_number: dict[str, RegisteredCompany | None] = {}
        self.by_name: dict[str, RegisteredCompany | None] = {}  # None: none, or not unique

    def fetch(self, numbers: Iterable[str], names: Iterable[str]) -> None:
        """Read the companies of these numbers and these name keys not read before."""
        if self.companies is None:
            return
        if len(self.by_number) + len(self.by_name) > _LIMIT:
            self.by_number.clear()
            self.by_name.clear()
        numbers = {n for n in numbers if n and n not in self.by_number}
        names = {k for k in names if k and k not in self.by_name}
        if not numbers and not names:
            return
        self.by_number.update(dict.fromkeys(numbers))
        self.by_name.update(dict.fromkeys(names))
        active_names: dict[str, list[RegisteredCompany]] = {}
        for row in self.companies.for_suppliers(numbers, names, ACTIVE):
            found = RegisteredCompany(row.number, row.postcode, sme_of(row.accounts_category),
                                      row.register_date)
            if row.number in numbers:
                self.by_number[row.number] = found
            if row.name_key in names and row.status == ACTIVE:
                active_names.setdefault(row.name_key, []).append(found)
        for key, found in active_names.items():
            self.by_name[key] = found[0] if len(found) == 1 else None

    def match_frame(self, numbers: pl.Series, names: pl.Series) -> pl.DataFrame:
        """The company (`COMPANY_SCHEMA`, nulls where none) of each supplier given by its
        company number (null where it has none) and its name key: by number when it has one
        (never by name then: a number not on the register is a company we cannot see, not
        another of the same name), else by name where one active company has it. Each
        distinct number and name is read once."""
        asked = pl.DataFrame({"number": numbers, "name": names},
                             schema={"number": pl.String, "name": pl.String})
        distinct_numbers = asked["number"].drop_nulls().unique().to_list()
        distinct_names = asked.filter(pl.col("number").is_null())["name"].drop_nulls() \
            .unique().to_list()
        self.fetch(distinct_numbers, distinct_names)
        by_number = _found(self.by_number, distinct_numbers, "number")
        by_name = _found(self.by_name, distinct_names, "name")
        return asked.join(by_number, on="number", how="left", maintain_order="left").join(
            by_name, on="name", how="left", suffix="_by_name",
            maintain_order="left").select(
            pl.when(pl.col("number").is_not_null()).then(pl.col(column))
            .otherwise(pl.col(f"{column}_by_name")).alias(column) for column in COMPANY_SCHEMA)


COMPANY_SCHEMA = {"company_number": pl.String, "company_postcode": pl.String,
                  "company_sme": pl.Boolean, "company_date": pl.Date}


def _found(memo: dict[str, RegisteredCompany | None], keys: list[str], key: str
           ) -> pl.DataFrame:
    """The companies found for ``keys``, as a frame keyed by ``key``."""
    rows = [(k, *company) for k in keys if (company := memo.get(k)) is not None]
    return pl.DataFrame(rows, schema={key: pl.String, **COMPANY_SCHEMA}, orient="row")
