"""Every model, imported so that Alembic and the app see the whole metadata."""

from exchange.models.audit import AuditEvent
from exchange.models.base import Base
from exchange.models.geography import CombinedAuthority, Lad, Postcode, PostcodeCoverage
from exchange.models.places import (
    CharterCommitment,
    MeasureDefinition,
    Partner,
    PartnerPlace,
    Place,
    PlaceLad,
)

__all__ = [
    "AuditEvent",
    "Base",
    "CharterCommitment",
    "CombinedAuthority",
    "Lad",
    "MeasureDefinition",
    "Partner",
    "PartnerPlace",
    "Place",
    "PlaceLad",
    "Postcode",
    "PostcodeCoverage",
]
