"""Postcode and district look-ups."""

from collections.abc import Sequence

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.models import CombinedAuthority, Lad, Postcode, PostcodeCoverage
from exchange.repositories.frames import query_frame
from exchange.repositories.keys import matching

LADS_OF = {"postcode": pl.String, "lad_code": pl.String}


class GeographyRepository:
    def __init__(self, session: Session):
        self.session = session

    def postcode(self, postcode: str) -> Postcode | None:
        return self.session.get(Postcode, postcode)

    def lads_of(self, postcodes: Sequence[str]) -> pl.DataFrame:
        """The LAD code of each of the canonical ``postcodes`` that is in the table
        (`LADS_OF`): a query or a few, however many there are, read as frames (50,000 rows
        in a third of the time SQLAlchemy's rows took)."""
        return pl.concat([pl.DataFrame(schema=LADS_OF), *(
            query_frame(self.session, select(Postcode.postcode, Postcode.lad_code)
                        .where(condition), LADS_OF)
            for condition in matching(self.session, Postcode.postcode, postcodes))])

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
