"""What a partner is told about a submission: the receipt, accepted or rejected."""

from dataclasses import dataclass, field
from decimal import Decimal

from exchange.models.returns import PartnerReturn, ReturnIssue
from schemas.issues import ERROR, WARNING, Issue

# All issues are reported; past this many, further ones of the same code are counted, not listed,
# so a million-row file full of one mistake cannot exhaust memory.
MAX_LISTED_PER_CODE = 1000


class IssueLog:
    """Collects issues, counting every one and listing up to MAX_LISTED_PER_CODE per code."""

    def __init__(self):
        self.listed: list[Issue] = []
        self.per_code: dict[str, int] = {}
        self.errors = 0
        self.warnings = 0

    def add(self, issue: Issue) -> None:
        if issue.severity == ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        seen = self.per_code.get(issue.code, 0) + 1
        self.per_code[issue.code] = seen
        if seen <= MAX_LISTED_PER_CODE:
            self.listed.append(issue)

    def extend(self, issues) -> None:
        for issue in issues:
            self.add(issue)

    def all(self) -> list[Issue]:
        """Listed issues plus one summary line for each code that had more than were listed."""
        summaries = []
        for code, seen in self.per_code.items():
            if seen > MAX_LISTED_PER_CODE:
                severity = next(i.severity for i in self.listed if i.code == code)
                summaries.append(Issue(severity, code, (
                    f"… and {seen - MAX_LISTED_PER_CODE} more rows with the same problem "
                    f"({seen} in all); fix the ones listed and check the rest the same way.")))
        return self.listed + summaries


@dataclass
class Receipt:
    status: str
    partner: str
    kind: str
    period: str
    sha256: str
    id: int | None = None
    version: int | None = None
    supersedes: int | None = None
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    amount: Decimal | None = None
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    replayed: bool = False

    def to_dict(self) -> dict:
        return {
            "id": self.id, "status": self.status, "partner": self.partner, "kind": self.kind,
            "period": self.period, "version": self.version, "supersedes": self.supersedes,
            "sha256": self.sha256, "dry_run": self.dry_run,
            "counts": {"rows": self.rows, "errors": self.errors, "warnings": self.warnings},
            "totals": {"amount": f"{self.amount:.2f}"} if self.amount is not None else {},
            "issues": [i.to_dict() for i in self.issues],
            "notes": self.notes,
        }


def receipt_of(ret: PartnerReturn, issues: list[ReturnIssue]) -> Receipt:
    """The receipt of a stored return: warnings if accepted, every issue if rejected."""
    shown = [Issue(i.severity, i.code, i.message, i.row, i.column, i.column_letter, i.value)
             for i in issues if ret.status != "accepted" or i.severity == WARNING]
    return Receipt(status=ret.status, partner=ret.partner.slug, kind=ret.kind, period=ret.period,
                   sha256=ret.sha256, id=ret.id, version=ret.version,
                   supersedes=ret.supersedes_id, rows=ret.row_count, errors=ret.error_count,
                   warnings=ret.warning_count, amount=ret.total_amount, issues=shown)
