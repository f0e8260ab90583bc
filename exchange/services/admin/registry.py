"""Load places, partners, the charter and measures from config/ into the database (idempotent)."""

import tomllib
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from exchange.errors import ConfigError
from exchange.models import (
    CharterCommitment,
    MeasureDefinition,
    Partner,
    PartnerPlace,
    Place,
    PlaceLad,
)
from exchange.normalise import parse_code
from exchange.unit_of_work import UnitOfWork

PARTNER_KINDS = {"council", "police", "fire", "health", "education", "housing", "vcs",
                 "business", "other"}


def read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path.name}: {err}") from err


def load_registry(config_dir: str | Path, uow: UnitOfWork) -> dict[str, int]:
    """Create or update every place, partner, commitment and measure; returns counts loaded."""
    config_dir = Path(config_dir)
    with uow:
        places = _load_places(read_toml(config_dir / "places.toml"), uow)
        partners = _load_partners(read_toml(config_dir / "partners.toml"), uow)
        commitments = _load_charter(read_toml(config_dir / "charter.toml"), uow)
        measures = _load_measures(read_toml(config_dir / "measures.toml"), uow)
        uow.audit.add("cli", "registry.load", places=places, partners=partners,
                      commitments=commitments, measures=measures)
        uow.commit()
    return {"places": places, "partners": partners, "commitments": commitments,
            "measures": measures}


def _upsert_place(uow: UnitOfWork, entry: dict, kind: str, parent: Place | None) -> Place:
    place = uow.places.get(entry["slug"]) or Place(slug=entry["slug"])
    place.code = entry["code"]
    place.name = entry["name"]
    place.kind = kind
    place.partnership_name = entry.get("partnership_name")
    place.parent_id = parent.id if parent else None
    wanted = set(entry["lads"])
    place.lads = [lad for lad in place.lads if lad.lad_code in wanted]
    place.lads += [PlaceLad(lad_code=c) for c in sorted(wanted - set(place.lad_codes))]
    uow.session.add(place)
    uow.session.flush()
    return place


def _load_places(data: dict, uow: UnitOfWork) -> int:
    subregions = {e["slug"]: _upsert_place(uow, e, "subregion", None)
                  for e in data.get("subregion", [])}
    for entry in data.get("place", []):
        parent = subregions.get(entry.get("subregion"))
        if entry.get("subregion") and parent is None:
            raise ConfigError(f"place {entry['slug']}: unknown subregion {entry['subregion']}")
        _upsert_place(uow, entry, "place", parent)
    return len(subregions) + len(data.get("place", []))


def _load_partners(data: dict, uow: UnitOfWork) -> int:
    for entry in data.get("partner", []):
        slug = entry["slug"]
        if slug != slug.lower() or entry["kind"] not in PARTNER_KINDS:
            raise ConfigError(f"partner {slug}: slug must be lowercase and kind one of "
                              f"{', '.join(sorted(PARTNER_KINDS))}")
        partner = uow.partners.get(slug) or Partner(slug=slug)
        partner.name = entry["name"]
        partner.kind = entry["kind"]
        partner.org_id = entry["org_id"]
        threshold = entry.get("spend_threshold")
        partner.spend_threshold = Decimal(threshold) if threshold is not None else None
        partner.profile = entry.get("profile")
        partner.column_overrides = entry.get("columns", {})
        partner.requires_approval = entry.get("requires_approval", False)
        place_ids = []
        for place_slug in entry.get("places", []):
            place = uow.places.get(place_slug)
            if place is None:
                raise ConfigError(f"partner {slug}: unknown place {place_slug}")
            place_ids.append(place.id)
        partner.memberships = [m for m in partner.memberships if m.place_id in place_ids]
        have = set(partner.place_ids)
        partner.memberships += [PartnerPlace(place_id=p) for p in place_ids if p not in have]
        uow.session.add(partner)
    uow.session.flush()
    return len(data.get("partner", []))


def _check_code(what: str, code: str) -> None:
    """Codes are spelt once, as returns spell them (snake_case), so config and returns match."""
    if code != parse_code(code):
        raise ConfigError(f"{what} code '{code}' must be lowercase snake_case, e.g. "
                          f"'{parse_code(code)}'")


def _load_charter(data: dict, uow: UnitOfWork) -> int:
    for entry in data.get("commitment", []):
        _check_code("commitment", entry["code"])
        place = uow.places.get(entry["place"])
        if place is None:
            raise ConfigError(f"commitment {entry['code']}: unknown place {entry['place']}")
        stmt = select(CharterCommitment).where(CharterCommitment.place_id == place.id,
                                               CharterCommitment.code == entry["code"])
        commitment = uow.session.scalars(stmt).first() or CharterCommitment(
            place_id=place.id, code=entry["code"])
        commitment.title = entry["title"]
        commitment.aim = entry["aim"]
        commitment.description = entry.get("description", "")
        commitment.unit = entry.get("unit")
        uow.session.add(commitment)
    return len(data.get("commitment", []))


def _measure_nature(entry: dict) -> tuple[str, str, str | None]:
    """(nature, year_figure, proxy_per) of a measure, or ConfigError saying what to write: a
    stock is counted at a quarter's end and averaged (or its latest taken) over quarters, and its
    proxy value is per person-year (or other "-year"); a flow is summed."""
    code, nature = entry["code"], entry.get("nature")
    if nature not in ("stock", "flow"):
        raise ConfigError(f"measure {code}: nature must be \"stock\" (a count at the quarter's "
                          f"end, like people employed) or \"flow\" (what happened in the "
                          f"quarter, like starts or hours), not {nature!r}")
    year = entry.get("year", "average" if nature == "stock" else "sum")
    allowed = ("average", "latest") if nature == "stock" else ("sum",)
    if year not in allowed:
        raise ConfigError(f"measure {code}: a {nature}'s year is "
                          f"{' or '.join(repr(a) for a in allowed)}, not {year!r}")
    per = entry.get("proxy_per")
    if entry.get("proxy_value") is not None:
        if not per:
            raise ConfigError(f"measure {code}: say what its proxy value is per (proxy_per = "
                              f"\"person-year\", \"start\", \"hour\"…)")
        if nature == "stock" and not per.endswith("-year"):
            raise ConfigError(f"measure {code}: a stock's proxy value is per person-year (or "
                              f"another \"-year\"), not per {per!r}")
    return nature, year, per


def _load_measures(data: dict, uow: UnitOfWork) -> int:
    for entry in data.get("measure", []):
        _check_code("measure", entry["code"])
        measure = uow.session.get(MeasureDefinition, entry["code"]) or MeasureDefinition(
            code=entry["code"])
        measure.name = entry["name"]
        measure.unit = entry["unit"]
        measure.aim = entry.get("aim")
        measure.toms_code = entry.get("toms_code")
        proxy = entry.get("proxy_value")
        measure.proxy_value = Decimal(proxy) if proxy is not None else None
        measure.proxy_indicative = entry.get("proxy_indicative", True)
        measure.people_count = entry.get("people_count", False)
        measure.nature, measure.year_figure, measure.proxy_per = _measure_nature(entry)
        uow.session.add(measure)
    return len(data.get("measure", []))
