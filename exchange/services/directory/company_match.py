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

import polars as pl

from exchange.repositories.companies import CompanyRepository

SME_ACCOUNTS = frozenset({
    "MICRO ENTITY", "SMALL", "MEDIUM", "TOTAL EXEMPTION SMALL", "TOTAL EXEMPTION FULL",
    "PARTIAL EXEMPTION", "UNAUDITED ABRIDGED", "AUDITED ABRIDGED",
})
ACTIVE = "Active"
COMPANY_PREFIX = "GB-COH-"
_LIMIT = 200_000  # companies remembered per ingestion


def sme_of(accounts_category: str | None) -> bool | None:
    """True for a category only small and medium companies file (see the module), else None."""
    return True if (accounts_category or "").strip().upper() in SME_ACCOUNTS else None


# A company found, as the columns placing reads (``company_sme``: `sme_of` its accounts).
COMPANY_SCHEMA = {"company_number": pl.String, "company_postcode": pl.String,
                  "company_sme": pl.Boolean, "company_date": pl.Date}


class CompanyMatcher:
    """Look-ups in the companies register, one query per batch of suppliers, remembered:
    the numbers and names asked, and the companies found by number or by a name only one
    active company has (``number`` or ``name``, then `COMPANY_SCHEMA`)."""

    def __init__(self, companies: CompanyRepository | None):
        self.companies = companies
        self._empty: bool | None = None  # whether no register is loaded, once asked
        self._forget()

    def _forget(self) -> None:
        # Sets, not series: a frame's keys are looked up in them without hashing again every
        # key asked before (0.16 s for 100,000 names asked in six frames).
        self.asked_numbers: set[str] = set()
        self.asked_names: set[str] = set()
        self.by_number = pl.DataFrame(schema={"number": pl.String, **COMPANY_SCHEMA})
        self.by_name = pl.DataFrame(schema={"name": pl.String, **COMPANY_SCHEMA})

    def match_frame(self, numbers: pl.Series, names: pl.Series) -> pl.DataFrame:
        """The company (`COMPANY_SCHEMA`, nulls where none) of each supplier given by its
        company number (null where it has none) and its name key: by number when it has one
        (never by name then: a number not on the register is a company we cannot see, not
        another of the same name), else by name where one active company has it. Each
        distinct number and name is read once."""
        asked = pl.DataFrame({"number": numbers, "name": names},
                             schema={"number": pl.String, "name": pl.String})
        self._fetch(asked["number"], asked.filter(pl.col("number").is_null())["name"])
        return asked.join(self.by_number, on="number", how="left", maintain_order="left").join(
            self.by_name, on="name", how="left", suffix="_by_name",
            maintain_order="left").select(
            pl.when(pl.col("number").is_not_null()).then(pl.col(column))
            .otherwise(pl.col(f"{column}_by_name")).alias(column) for column in COMPANY_SCHEMA)

    def _fetch(self, numbers: pl.Series, names: pl.Series) -> None:
        """Read the companies of these numbers and name keys not asked before (none where
        no register is loaded: 200,000 names asked of an empty one cost 0.2 s)."""
        if self.companies is None:
            return
        if self._empty is None:
            self._empty = self.companies.is_empty()
        if self._empty:
            return
        if len(self.asked_numbers) + len(self.asked_names) > _LIMIT:
            self._forget()
        numbers, names = _new(numbers, self.asked_numbers), _new(names, self.asked_names)
        if not numbers and not names:
            return
        found = pl.DataFrame(
            [(row.number, row.name_key, row.status, row.postcode, sme_of(row.accounts_category),
              row.register_date)
             for row in self.companies.for_suppliers(numbers, names, ACTIVE)],
            schema={"number": pl.String, "name": pl.String, "status": pl.String,
                    "company_postcode": pl.String, "company_sme": pl.Boolean,
                    "company_date": pl.Date}, orient="row")
        company = found.with_columns(company_number="number").select("number", "name",
                                                                      "status", *COMPANY_SCHEMA)
        self.by_number = pl.concat([self.by_number, company.filter(
            pl.col("number").is_in(numbers)).select("number", *COMPANY_SCHEMA)])
        # A name one active company has; two make it nobody's.
        named = company.filter(pl.col("name").is_in(names), pl.col("status") == ACTIVE)
        self.by_name = pl.concat([self.by_name, named.filter(
            pl.len().over("name") == 1).select("name", *COMPANY_SCHEMA)])


def _new(keys: pl.Series, asked: set[str]) -> list[str]:
    """The distinct keys given (not null or empty) not asked before, now asked."""
    new = [key for key in keys.drop_nulls().unique().to_list() if key and key not in asked]
    asked.update(new)
    return new
