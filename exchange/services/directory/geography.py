"""Load ONS geography and say where a postcode lies: a LAD, its combined authority, or unknown."""

import csv
import gzip
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import delete, insert

from exchange.errors import BadRequest
from exchange.models import CombinedAuthority, Lad, Postcode, PostcodeCoverage
from exchange.normalise import (
    canonical_postcode,
    canonical_postcodes,
    postcode_area,
    postcode_areas,
)
from exchange.normalise.memo import recall
from exchange.repositories.geography import GeographyRepository
from exchange.unit_of_work import UnitOfWork

DEFAULT_POSTCODES = "postcode_to_lad_ward_lsoa_S_DN_areas_aug2024.csv.gz"
DEFAULT_SOURCE = "ONS postcodes, S and DN areas, August 2024 (shipped)"
BATCH = 20_000

# Header spellings across ONS products (NSPL, ONSPD, NSPL 2021+ and our shipped extract).
POSTCODE_HEADERS = ("pcds", "pcd", "pcd7", "pcd8", "postcode")
LAD_HEADERS = ("laua", "oslaua", "lad23cd", "lad24cd", "lad_code", "ladcd")
WARD_HEADERS = ("ward", "osward", "ward_code", "wd24cd", "wd23cd")
LSOA_HEADERS = ("lsoa21", "lsoa21cd", "lsoa11", "lsoa11cd", "lsoa_code", "lsoa")

FOUND, OUTSIDE, UNKNOWN = "found", "outside", "unknown"
_CACHE_LIMIT = 1_000_000  # postcodes as typed remembered per ingestion (a frame of them)


@dataclass(frozen=True)
class Location:
    """Where a postcode lies. ``status``: found (LAD known), outside (no covered area), unknown."""

    postcode: str | None
    status: str
    lad_code: str | None = None
    mca_code: str | None = None


NOWHERE = Location(None, UNKNOWN)
LOCATED = {"postcode": pl.String, "status": pl.String, "lad_code": pl.String}
# What a Locator knows of a postcode as typed: also its canonical form, if it is a postcode.
_KNOWN = {"postcode": pl.String, "canonical": pl.String, "status": pl.String,
          "lad_code": pl.String}
_LOOKED_UP = {"canonical": pl.String, "lad_code": pl.String}  # none where not in the table


def _pick(header: list[str], names: Iterable[str], required: bool = True) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    if required:
        raise BadRequest(f"The postcode file has no column named any of: {', '.join(names)}. "
                         f"Its columns are: {', '.join(header[:20])}")
    return None


def _postcode_rows(reader: Iterator[list[str]], header: list[str]) -> Iterator[dict]:
    pc, lad = _pick(header, POSTCODE_HEADERS), _pick(header, LAD_HEADERS)
    ward, lsoa = _pick(header, WARD_HEADERS, False), _pick(header, LSOA_HEADERS, False)
    seen: set[str] = set()
    for row in reader:
        postcode = canonical_postcode(row[pc]) if len(row) > pc else None
        lad_code = row[lad].strip() if len(row) > lad else ""
        # Postcodes with no LAD (e.g. Channel Islands pseudo-codes) tell us nothing.
        if not postcode or not lad_code or postcode in seen or lad_code.endswith("99999999"):
            continue
        seen.add(postcode)
        yield {"postcode": postcode, "lad_code": lad_code,
               "ward_code": (row[ward].strip() or None) if ward is not None else None,
               "lsoa_code": (row[lsoa].strip() or None) if lsoa is not None else None}


def _insert_postcodes(uow: UnitOfWork, rows: Iterable[dict]) -> tuple[int, set[str]]:
    count, areas, batch = 0, set(), []
    for row in rows:
        batch.append(row)
        areas.add(postcode_area(row["postcode"]))
        if len(batch) >= BATCH:
            uow.session.execute(insert(Postcode), batch)
            count, batch = count + len(batch), []
    if batch:
        uow.session.execute(insert(Postcode), batch)
        count += len(batch)
    return count, areas


def _replace_postcodes(uow: UnitOfWork, rows: Iterable[dict], source: str) -> int:
    uow.session.execute(delete(Postcode))
    uow.session.execute(delete(PostcodeCoverage))
    count, areas = _insert_postcodes(uow, rows)
    uow.session.add_all(PostcodeCoverage(area=a, source=source[:200]) for a in sorted(areas))
    return count


def _load_districts(geo_dir: Path, uow: UnitOfWork) -> None:
    """LAD names (Dec 2023) and their combined authorities (Dec 2019 lookup)."""
    with (geo_dir / "CAUTH19_Dec2019_names_codes_EN.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            uow.session.merge(CombinedAuthority(code=row["CAUTH19CD"], name=row["CAUTH19NM"]))
    with (geo_dir / "LAD19_to_CAUTH19_Dec2019_lookup_EN.csv").open(encoding="utf-8-sig") as f:
        mca_of = {row["LAD19CD"]: row["CAUTH19CD"] for row in csv.DictReader(f)}
    with (geo_dir / "LAD23_Dec2023_UK_codes_names_centroids.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            code = row["LAD23CD"]
            uow.session.merge(Lad(code=code, name=row["LAD23NM"], mca_code=mca_of.get(code)))
    uow.session.flush()


def load_default_geography(geo_dir: str | Path, uow: UnitOfWork, force: bool = False) -> int:
    """Load the shipped S/DN postcodes and district names once; returns how many were loaded."""
    geo_dir = Path(geo_dir)
    with uow:
        _load_districts(geo_dir, uow)
        if uow.geography.covered_areas() and not force:
            uow.commit()
            return 0
        with gzip.open(geo_dir / DEFAULT_POSTCODES, "rt", encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            count = _replace_postcodes(uow, _postcode_rows(reader, next(reader)), DEFAULT_SOURCE)
        uow.audit.add("cli", "geography.load", source=DEFAULT_SOURCE, postcodes=count)
        uow.commit()
    return count


def load_postcode_lookup(path: str | Path, uow: UnitOfWork,
                         progress: Callable[[int], None] | None = None) -> int:
    """Replace the postcode table with a full ONS postcode lookup (NSPL or ONSPD), atomically."""
    path = Path(path)
    with path.open("rb") as raw, uow:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text)
        header = next(reader, None)
        if not header:
            raise BadRequest(f"{path.name} is empty.")

        def counted(rows: Iterable[dict]) -> Iterator[dict]:
            last = 0
            for n, row in enumerate(rows, 1):
                yield row
                if progress and n % BATCH == 0:
                    position = raw.tell()
                    progress(position - last)
                    last = position

        count = _replace_postcodes(uow, counted(_postcode_rows(reader, header)), path.name)
        uow.audit.add("cli", "geography.load", source=path.name, postcodes=count)
        uow.commit()
    return count


class Locator:
    """Answers "where is this postcode?" for many postcodes in one transaction, a column at a
    time: each postcode as typed is worked out once (`normalise.canonical_postcodes`), and each
    canonical one looked up once, with the rest of its frame (`GeographyRepository.lads_of`).

    ``geography`` (the table of postcodes) defaults to the unit of work's; an ingestion passes
    one on another connection, as its own is busy copying lines."""

    def __init__(self, uow: UnitOfWork, geography: GeographyRepository | None = None):
        self.geography = geography or uow.geography
        self.areas = sorted(uow.geography.covered_areas())
        self.mca_of = {code: lad.mca_code for code, lad in uow.geography.lads().items()}
        self.known = pl.DataFrame(schema=_KNOWN)  # postcodes as typed, and where they are
        self.looked_up = pl.DataFrame(schema=_LOOKED_UP)  # canonical ones, and their LAD

    def locate(self, postcode: str | None) -> Location:
        return self.locate_many([postcode])[0]

    def locate_many(self, postcodes: Iterable[str | None]) -> list[Location]:
        postcodes = list(postcodes)
        where = {typed: Location(canonical, status, lad, self.mca_of.get(lad))
                 for typed, canonical, status, lad in self._located(
                     pl.Series(postcodes, dtype=pl.String)).iter_rows()}
        return [where[p] if p is not None else NOWHERE for p in postcodes]

    def locate_frame(self, postcodes: pl.Series) -> pl.DataFrame:
        """Where each distinct postcode of ``postcodes`` (as typed) is: ``postcode``,
        ``status`` and ``lad_code`` (`LOCATED`), to be joined to the rows that name it."""
        return self._located(postcodes).select(list(LOCATED))

    def _located(self, postcodes: pl.Series) -> pl.DataFrame:
        """`_KNOWN` of each distinct postcode of ``postcodes`` (as typed)."""
        typed = postcodes.drop_nulls().unique()
        if self.known.height > _CACHE_LIMIT:
            self.known, self.looked_up = self.known.clear(), self.looked_up.clear()
        known, new = recall(self.known, "postcode", typed)
        if new.is_empty():
            return known
        located = self._locate(new)
        self.known = pl.concat([self.known, located])
        return pl.concat([known, located])

    def _locate(self, typed: pl.Series) -> pl.DataFrame:
        """`_KNOWN` of postcodes as typed not met before: a LAD where the table has the
        canonical postcode (found); else outside where its area is not covered, unknown where
        it is or where it is no postcode."""
        canonical = pl.col("canonical")
        new = typed.to_frame("postcode").with_columns(
            canonical_postcodes(pl.col("postcode")).alias("canonical"))
        lads, wanted = recall(self.looked_up, "canonical",
                              new["canonical"].drop_nulls().unique())
        if not wanted.is_empty():
            found = wanted.to_frame("canonical").join(self.geography.lads_of(
                wanted.to_list()).rename({"postcode": "canonical"}), on="canonical", how="left")
            self.looked_up = pl.concat([self.looked_up, found])
            lads = pl.concat([lads, found])
        return new.join(lads, on="canonical", how="left", maintain_order="left").select(
            "postcode", "canonical",
            status=pl.when(pl.col("lad_code").is_not_null()).then(pl.lit(FOUND))
            .when(postcode_areas(canonical).is_in(self.areas) | canonical.is_null())
            .then(pl.lit(UNKNOWN)).otherwise(pl.lit(OUTSIDE)),
            lad_code="lad_code")
