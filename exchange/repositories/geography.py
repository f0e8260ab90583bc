"""Postcode and district look-ups."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.models import CombinedAuthority, Lad, Postcode, PostcodeCoverage


class GeographyRepository:
    def __init__(self, session: Session):
        self.session = session

    def postcode(self, postcode: str) -> Postcode | None:
        return self.session.get(Postcode, postcode)

    def postcodes(self, postcodes: set[str]) -> dict[str, str]:
        """Canonical postcode -> LAD code, for those of ``postcodes`` that are in the table."""
        found: dict[str, str] = {}
        wanted = sorted(postcodes)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            stmt = select(Postcode.postcode, Postcode.lad_code).where(Postcode.postcode.in_(chunk))
            found.update((pc, lad) for pc, lad in self.session.execute(stmt))
        return found

    def lad(self, code: str) -> Lad | None:
        return self.session.get(Lad, code)

    def lads(self) -> dict[str, Lad]:
        return {lad.code: lad for lad in self.session.scalars(select(Lad))}

    def covered_areas(self) -> set[str]:
        return set(self.session.scalars(select(PostcodeCoverage.area)))

    def combined_authority(self, code: str) -> CombinedAuthority | None:
        return self.session.get(CombinedAuthority, code)

    def postcode_count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(Postcode)) or 0
