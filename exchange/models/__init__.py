"""Every model, imported so that Alembic and the app see the whole metadata."""

from exchange.models.aggregates import SpendAggregate, SpendShareAggregate, SpendSupplierAggregate
from exchange.models.audit import AuditEvent
from exchange.models.base import Base
from exchange.models.blobs import BlobChunk, StoredBlob
from exchange.models.checks import CheckedUpload, CheckReport
from exchange.models.companies import Company
from exchange.models.directory import SupplierReview, SupplierStatement
from exchange.models.geography import CombinedAuthority, Lad, Postcode, PostcodeCoverage
from exchange.models.jobs import JobRun
from exchange.models.lines import (
    CommitmentLine,
    ContributionLine,
    MeasureLine,
    SpendLine,
    SupplierLine,
)
from exchange.models.locks import WriteLock
from exchange.models.mappings import ColumnMapping
from exchange.models.oauth import AuthorizationCode, OAuthClient, OAuthToken
from exchange.models.outbox import OutboxMessage
from exchange.models.places import (
    CharterCommitment,
    MeasureDefinition,
    Partner,
    PartnerPlace,
    Place,
    PlaceLad,
)
from exchange.models.releases import Release, ReleaseDataset
from exchange.models.reports import GeneratedReport
from exchange.models.returns import PartnerReturn, ReturnIssue
from exchange.models.sessions import WebSession
from exchange.models.users import User

__all__ = [
    "AuditEvent",
    "AuthorizationCode",
    "Base",
    "BlobChunk",
    "CharterCommitment",
    "CheckReport",
    "CheckedUpload",
    "CombinedAuthority",
    "Company",
    "ColumnMapping",
    "CommitmentLine",
    "ContributionLine",
    "GeneratedReport",
    "JobRun",
    "Lad",
    "MeasureDefinition",
    "MeasureLine",
    "OAuthClient",
    "OAuthToken",
    "OutboxMessage",
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
    "WebSession",
    "SpendAggregate",
    "SpendLine",
    "SpendShareAggregate",
    "SpendSupplierAggregate",
    "StoredBlob",
    "SupplierLine",
    "SupplierReview",
    "SupplierStatement",
    "User",
    "WriteLock",
]
