"""Every model, imported so that Alembic and the app see the whole metadata."""

from exchange.models.aggregates import SpendAggregate, SpendSupplierAggregate
from exchange.models.audit import AuditEvent
from exchange.models.base import Base
from exchange.models.geography import CombinedAuthority, Lad, Postcode, PostcodeCoverage
from exchange.models.lines import (
    CommitmentLine,
    ContributionLine,
    MeasureLine,
    SpendLine,
    SupplierLine,
)
from exchange.models.oauth import AuthorizationCode, OAuthClient, OAuthToken
from exchange.models.places import (
    CharterCommitment,
    MeasureDefinition,
    Partner,
    PartnerPlace,
    Place,
    PlaceLad,
)
from exchange.models.releases import Release, ReleaseDataset
from exchange.models.returns import PartnerReturn, ReturnIssue
from exchange.models.users import User

__all__ = [
    "AuditEvent",
    "AuthorizationCode",
    "Base",
    "CharterCommitment",
    "CombinedAuthority",
    "CommitmentLine",
    "ContributionLine",
    "Lad",
    "MeasureDefinition",
    "MeasureLine",
    "OAuthClient",
    "OAuthToken",
    "Partner",
    "PartnerPlace",
    "PartnerReturn",
    "Place",
    "PlaceLad",
    "Postcode",
    "PostcodeCoverage",
    "Release",
    "ReleaseDataset",
    "ReturnIssue",
    "SpendAggregate",
    "SpendLine",
    "SpendSupplierAggregate",
    "SupplierLine",
    "User",
]
