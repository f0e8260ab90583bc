"""Small companies registers in Companies House's published format: the header line as published
(leading spaces and all), every value quoted, Windows line endings, zipped or not."""

import csv
import io
import zipfile
from pathlib import Path

from exchange.services.directory.companies import PUBLISHED_HEADER

HEADINGS = [h.strip() for h in PUBLISHED_HEADER.split(",")]


def company(number: str, name: str, postcode: str = "", *, status: str = "Active",
            category: str = "Private Limited Company", accounts: str = "MICRO ENTITY",
            sic: str = "62012 - Business and domestic software development",
            **others: str) -> list[str]:
    """One row of the register; ``others`` sets any other column by its heading."""
    values = {"CompanyName": name, "CompanyNumber": number, "RegAddress.PostCode": postcode,
              "RegAddress.AddressLine1": "1 HIGH STREET", "RegAddress.PostTown": "ROTHERHAM",
              "RegAddress.Country": "ENGLAND", "CompanyStatus": status,
              "CompanyCategory": category, "CountryOfOrigin": "United Kingdom",
              "IncorporationDate": "01/02/2010", "Accounts.AccountCategory": accounts,
              "SICCode.SicText_1": sic,
              "URI": f"http://business.data.gov.uk/id/company/{number}"} | others
    return [values.get(h, "") for h in HEADINGS]


def register_text(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    out.write(PUBLISHED_HEADER + "\r\n")
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes(register_text(rows).encode("utf-8"))
    return path


def write_zip(path: Path, parts: dict[str, list[list[str]]]) -> Path:
    """A zip holding one CSV per entry of ``parts`` (member name -> rows)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, rows in parts.items():
            archive.writestr(member, register_text(rows).encode("utf-8"))
    return path
