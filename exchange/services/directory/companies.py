"""Load Companies House's Basic Company Data (the companies register) in place of the last one.

The product is published monthly as one zip of one CSV (BasicCompanyDataAsOneFile-YYYY-MM-DD.zip)
or as several zips of one part each (BasicCompanyData-YYYY-MM-DD-part1_7.zip …); every CSV
starts with the same 55 headings, some with a leading space (`` CompanyNumber``)."""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

from exchange.errors import BadRequest
from exchange.normalise import canonical_postcode, company_number, normalise_supplier_name
from exchange.repositories import transactions
from exchange.repositories.companies import DuplicateCompany
from exchange.unit_of_work import UnitOfWork

# The headings we keep, as published (stripped of their spaces), in the table's column order.
NUMBER, NAME, POSTCODE = "CompanyNumber", "CompanyName", "RegAddress.PostCode"
STATUS, CATEGORY = "CompanyStatus", "CompanyCategory"
ACCOUNTS, SIC = "Accounts.AccountCategory", "SICCode.SicText_1"
HEADINGS = (NUMBER, NAME, POSTCODE, STATUS, CATEGORY, ACCOUNTS, SIC)
# The first line of every CSV of the product, exactly as published (55 columns).
PUBLISHED_HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,"
    " RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,"
    "RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,"
    "IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,Accounts.NextDueDate,"
    "Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,"
    "Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,"
    "Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,"
    "SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,"
    "LimitedPartnerships.NumLimPartners,URI,"
    + ",".join(f"PreviousName_{i}.CONDATE, PreviousName_{i}.CompanyName" for i in range(1, 11))
    + ",ConfStmtNextDueDate, ConfStmtLastMadeUpDate"
)
SOURCE = "Companies House Basic Company Data (Open Government Licence v3.0)"
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PROGRESS_EVERY = 20_000
# Every name on the register is different: the normaliser's memo would only be churned.
_name_key = normalise_supplier_name.__wrapped__


@dataclass(frozen=True)
class LoadedRegister:
    register_date: date
    companies: int
    skipped: int  # rows whose company number is not one (the first of them in ``first_skipped``)
    first_skipped: str | None
    files: tuple[str, ...]


def input_size(paths: Sequence[str | Path]) -> int:
    """Bytes of CSV the paths hold (uncompressed, for zips): the length of a progress bar."""
    total = 0
    for path in paths:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                total += sum(i.file_size for i in _csv_members(archive))
        else:
            total += Path(path).stat().st_size
    return total


def register_date_of(paths: Sequence[str | Path]) -> date | None:
    """The register's date from its file names (…-2026-11-01.zip), if they all give the same."""
    names = [Path(p).name for p in paths]
    for path in paths:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names += [i.filename for i in _csv_members(archive)]
    found = {m.group(0) for name in names if (m := _DATE.search(name))}
    if len(found) > 1:
        raise BadRequest(f"The files are of different dates ({', '.join(sorted(found))}): "
                         "load the parts of one register together.")
    return date.fromisoformat(found.pop()) if found else None


def load_register(paths: Sequence[str | Path], uow: UnitOfWork, *,
                  register_date: date | None = None, force: bool = False,
                  progress: Callable[[int], None] | None = None) -> LoadedRegister:
    """Replace the companies table with the register in ``paths`` (its CSVs, zipped or not, all
    parts of one month), in one transaction; refuses a register older than the one loaded
    unless ``force``. Streams: memory does not grow with the file."""
    paths = [Path(p) for p in paths]
    register_date = register_date or register_date_of(paths)
    if register_date is None:
        raise BadRequest("The file names carry no date (like BasicCompanyDataAsOneFile-"
                         "2026-11-01.zip): give the register's date with --date YYYY-MM-DD.")
    skipped: list[str] = []
    with uow:
        transactions.bulk(uow.session)  # the whole register is one long COPY
        current = uow.companies.register_date()
        if current and register_date < current and not force:
            raise BadRequest(f"The register loaded is of {current:%d %B %Y}, newer than this one "
                             f"({register_date:%d %B %Y}); use --force to load it anyway.")
        rows = _rows(paths, register_date, skipped, progress)
        try:
            count = uow.companies.replace(rows)
        except DuplicateCompany as err:
            which = f"company {err.number}" if err.number else "a company number"
            raise BadRequest(f"The register lists {which} twice; nothing was loaded. "
                             "Load each part of a month once.") from err
        uow.audit.add("cli", "companies.load", source=SOURCE, files=[p.name for p in paths],
                      register_date=register_date.isoformat(), companies=count,
                      skipped=len(skipped))
        uow.commit()
    return LoadedRegister(register_date, count, len(skipped), skipped[0] if skipped else None,
                          tuple(p.name for p in paths))


def _csv_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return sorted((i for i in archive.infolist() if i.filename.lower().endswith(".csv")),
                  key=lambda i: i.filename)


def _open_csvs(path: Path) -> Iterator[tuple[str, BinaryIO]]:
    """(name, binary stream) of each CSV the path holds, read as it is decompressed."""
    if not zipfile.is_zipfile(path):
        with path.open("rb") as f:
            yield path.name, f
        return
    with zipfile.ZipFile(path) as archive:
        members = _csv_members(archive)
        if not members:
            raise BadRequest(f"{path.name} holds no CSV file.")
        for member in members:
            with archive.open(member) as f:
                yield f"{path.name}/{member.filename}", f


def _rows(paths: Sequence[Path], register_date: date, skipped: list[str],
          progress: Callable[[int], None] | None) -> Iterator[tuple]:
    for path in paths:
        for name, raw in _open_csvs(path):
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
            yield from _csv_rows(name, raw, csv.reader(text), register_date, skipped, progress)


def _columns(name: str, header: list[str] | None) -> list[int]:
    stripped = [h.strip() for h in header or []]
    missing = [h for h in HEADINGS if h not in stripped]
    if missing:
        raise BadRequest(f"{name} is not Companies House Basic Company Data: it has no "
                         f"column {', '.join(missing)}. Its columns are: "
                         f"{', '.join(stripped[:12]) or 'none'}.")
    return [stripped.index(h) for h in HEADINGS]


def _number(text: str) -> str | None:
    """The company number in 8 characters, or None if it is not one. The register's own are
    mostly 8 digits already: those skip the normaliser."""
    if len(text) == 8 and text.isdigit() and text != "00000000":
        return text
    try:
        return company_number(text)
    except ValueError:
        return None


def _csv_rows(name: str, raw: BinaryIO, reader, register_date: date, skipped: list[str],
              progress: Callable[[int], None] | None) -> Iterator[tuple]:
    try:
        header = next(reader, None)
        at = _columns(name, header)
        width, last, pick = max(at) + 1, 0, itemgetter(*at)
        for line, row in enumerate(reader, 2):
            if len(row) < width:
                if not any(row):
                    continue  # a blank line
                row = row + [""] * (width - len(row))
            number, company, postcode, status, category, accounts, sic = pick(row)
            number = _number(number)
            if not number:
                skipped.append(f"{name} row {line}")
                continue
            company = company.strip()
            yield (number, company, _name_key(company), canonical_postcode(postcode),
                   status.strip() or None, category.strip() or None,
                   accounts.strip() or None, sic.strip() or None, register_date)
            if progress and line % _PROGRESS_EVERY == 0:
                position = raw.tell()
                progress(position - last)
                last = position
        if progress:
            progress(raw.tell() - last)
    except csv.Error as err:
        raise BadRequest(f"{name}, line {reader.line_num}: this is not CSV as Companies House "
                         f"publishes it ({err}); nothing was loaded.") from err
