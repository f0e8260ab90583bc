"""What a partner is told about a submission: the receipt, accepted or rejected."""

from dataclasses import dataclass, field
from decimal import Decimal

from exchange.models.returns import PartnerReturn, ReturnIssue
from exchange.validate import REDACTED
from schemas.issues import ERROR, WARNING, Issue

# All issues are reported; past this many, further ones of the same code are counted, not listed,
# so a million-row file full of one mistake cannot exhaust memory.
MAX_LISTED_PER_CODE = 50_000


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

    def room(self, code: str) -> int:
        """How many more issues of ``code`` would be listed."""
        return max(MAX_LISTED_PER_CODE - self.per_code.get(code, 0), 0)

    def count_warnings(self, code: str, count: int) -> None:
        """``count`` more warnings of ``code``, past those listed (see ``room``)."""
        if count:
            self.warnings += count
            self.per_code[code] = self.per_code.get(code, 0) + count

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
    """``issues`` lists every issue (as ``issues.csv`` does); ``summary()`` is what a person
    reads: each cause shared by many rows as one issue with the count and the first rows."""

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
    redacted: int = 0  # payments counted as redacted (supplier name blank or withheld)
    amount: Decimal | None = None
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    replayed: bool = False
    located: dict | None = None  # spend accepted: share of the money located, by source


    def to_dict(self) -> dict:
        return {
            "id": self.id, "status": self.status, "partner": self.partner, "kind": self.kind,
            "period": self.period, "version": self.version, "supersedes": self.supersedes,
            "sha256": self.sha256, "dry_run": self.dry_run,
            "counts": {"rows": self.rows, "errors": self.errors, "warnings": self.warnings,
                       "redacted": self.redacted},
            "totals": {"amount": f"{self.amount:.2f}"} if self.amount is not None else {},
            "issues": [issue.to_dict() for issue in self.summary()],
            "notes": self.notes,
        } | ({"located": self.located} if self.located is not None else {})

    def summary(self) -> list["Summary"]:
        return summarise(self.issues)


def receipt_of(ret: PartnerReturn, issues: list[ReturnIssue],
               located: dict | None = None) -> Receipt:
    """The receipt of a stored return: warnings if accepted, every issue if rejected;
    ``located``: see ``exchange.ingest.located``."""
    shown = [Issue(i.severity, i.code, i.message, i.row, i.column, i.column_letter, i.value)
             for i in issues if ret.status != "accepted" or i.severity == WARNING]
    redacted = sum(1 for i in issues if i.code == REDACTED and i.row is not None)
    return Receipt(status=ret.status, partner=ret.partner.slug, kind=ret.kind, period=ret.period,
                   sha256=ret.sha256, id=ret.id, version=ret.version,
                   supersedes=ret.supersedes_id, rows=ret.row_count, errors=ret.error_count,
                   warnings=ret.warning_count, redacted=redacted, amount=ret.total_amount,
                   issues=shown, located=located)


SUMMARISED_FROM = 4  # rows sharing one cause, from which they are shown as one issue
FIRST_ROWS = 10  # rows a summary names


@dataclass(frozen=True)
class Summary:
    """Issues of one cause (severity, code and column) as a person reads them: one issue alone
    as it is, or many as one message with their ``count`` and the first ``rows``."""

    severity: str
    code: str
    message: str
    row: int | None
    column: str | None
    column_letter: str | None
    value: str | None
    count: int
    rows: tuple[int, ...]

    def to_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "message": self.message,
                "row": self.row, "column": self.column, "column_letter": self.column_letter,
                "value": self.value, "count": self.count, "rows": list(self.rows)}


def summarise(issues: list[Issue]) -> list[Summary]:
    """Each cause in the order it was first found: listed issue by issue while few rows share
    it, else one summary. Issues of the whole file (no row) are never grouped."""
    groups: dict[tuple, list[Issue]] = {}
    for issue in issues:
        key = (issue.severity, issue.code, issue.column) if issue.row is not None else id(issue)
        groups.setdefault(key, []).append(issue)
    out: list[Summary] = []
    for group in groups.values():
        if len(group) < SUMMARISED_FROM:
            out.extend(Summary(i.severity, i.code, i.message, i.row, i.column, i.column_letter,
                               i.value, 1, () if i.row is None else (i.row,)) for i in group)
            continue
        first = group[0]
        rows = tuple(i.row for i in group[:FIRST_ROWS])
        out.append(Summary(first.severity, first.code, _summary_message(group, rows), None,
                           first.column, first.column_letter, None, len(group), rows))
    return out


def _summary_message(group: list[Issue], rows: tuple[int, ...]) -> str:
    first, count = group[0], len(group)
    named = ", ".join(f"{row:,}" for row in rows)
    more = f" and {count - len(rows):,} more" if count > len(rows) else ""
    return (f"{_cause(first, count)} Rows {named}{more}; issues.csv lists every one. "
            f"Row {first.row:,}: {first.message}")


def _cause(first: Issue, count: int) -> str:
    """What the rows of a summary share, in a sentence."""
    column = f"'{first.column}'" if first.column else "the file"
    if first.code == REDACTED:
        return (f"{count:,} payments are counted as redacted: the supplier name is blank or says "
                "it is withheld. They stay in every total and are never matched to a supplier.")
    if first.code.endswith(".outside_period"):
        return f"{count:,} rows have a date in {column} outside the return's period."
    if first.code.endswith(".missing"):
        return f"{count:,} rows have nothing in {column}."
    if first.code.startswith("row."):
        return f"{count:,} rows were left out: they are not payments."
    return f"{count:,} rows have the same {first.severity} in {column}."
