"""Submit a return: keep the bytes, read them with the partner's adapter, validate every row in
the shared path, and store the return with all its lines in one transaction — or nothing."""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from sqlalchemy.exc import IntegrityError

import partners
from exchange import ingest
from exchange.blobs import BlobStore
from exchange.errors import Conflict, NotFound, Unprocessable, UnsupportedMediaType
from exchange.filenames import download_name
from exchange.ingest import mappings, plausibility
from exchange.ingest.collector import collector_paused
from exchange.ingest.linewriters import line_writer
from exchange.ingest.located import located_of
from exchange.ingest.receipts import IssueLog, Receipt, receipt_of
from exchange.metrics import ingest_observed
from exchange.models.returns import ACCEPTED, REJECTED, PartnerReturn, ReturnIssue
from exchange.periods import Period
from exchange.repositories import transactions
from exchange.services.aggregates import spend_totals
from exchange.services.directory.geography import Locator
from exchange.services.directory.suppliers import SupplierRegister
from exchange.unit_of_work import UnitOfWork
from exchange.validate import REDACTED, RowValidator
from exchange.validate.totals import TotalLines
from partners.formats.columns import ColumnReader, Declined
from partners.limits import ReadLimits
from partners.rows import left_out_notes
from schemas import KINDS
from schemas.issues import ERROR, WARNING, Issue

log = logging.getLogger(__name__)
MEDIA_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+\-\"]*)*")


@dataclass(frozen=True)
class Submission:
    """Who submits what: the envelope of one return."""

    partner: str
    kind: str
    period: str
    actor: str
    profile: str | None = None
    dry_run: bool = False
    idempotency_key: str | None = None
    is_demo: bool = False
    columns: dict | None = None  # standard field -> the file's heading, sent with the upload


@dataclass(frozen=True)
class StoredFile:
    """Bytes already kept in the blob store."""

    sha256: str
    size: int
    filename: str | None = None
    media_type: str | None = None


def check_envelope(kind: str, period: str, profile: str | None = None) -> str:
    """The canonical period, or 422 naming what is wrong with kind, period or profile."""
    errors = {}
    if kind not in KINDS:
        errors["kind"] = [f"'{kind}' is not a kind of return; use one of {', '.join(KINDS)}."]
    elif profile is not None and not (
            profile in partners.PROFILES and partners.PROFILES[profile].supports(kind)):
        usable = [name for name, p in partners.PROFILES.items() if p.supports(kind)]
        errors["profile"] = [f"'{profile}' is not a profile for {kind} returns; leave it out to "
                             f"detect the layout, or use one of {', '.join(usable)}."]
    try:
        parsed = Period.parse(period)
        if parsed.is_year:
            errors["period"] = ["A return is for one quarter, e.g. 2021-22-Q3."]
    except ValueError as err:
        errors["period"] = [f"'{period}' is not a period like 2021-22-Q3: {err}."]
    if errors:
        raise Unprocessable("The return's kind or period is not valid.", errors=errors)
    return str(parsed)


@ingest_observed
@collector_paused
def submit_return(sub: Submission, stored: StoredFile, uow: UnitOfWork, blobs: BlobStore,
                  progress: Callable[[int], None] | None = None, columns: bool = True,
                  limits: ReadLimits = ReadLimits()) -> Receipt:
    """Parse, validate, normalise and store one partner return; replay earlier answers.
    ``progress`` is told how many bytes of the file have been read, now and then. ``columns``
    False reads every file record by record, even one the columnar reader could take.
    ``limits``: how big the file's parts may be (a file past one is rejected)."""
    period = check_envelope(sub.kind, sub.period, sub.profile)
    sent = mappings.check_columns(sub.kind, sub.columns)
    with uow:
        partner = uow.partners.get(sub.partner)
        if partner is None:
            raise NotFound(f"There is no partner '{sub.partner}'.")
        replay = _replay(uow, partner.id, sub, period, stored)
        if replay is not None:
            return replay
        partner_id = partner.id
        options = mappings.read_options(uow, partner, sub.kind, stored, sent)
        options["profile"] = sub.profile or options["profile"]

    with blobs.open(stored.sha256) as stream:
        try:
            table = partners.read_table(stream, sub.kind, limits=limits, **options)
        except partners.UnsupportedFormat as err:
            receipt = _reject(uow, partner_id, sub, period, stored, None, _file_log(
                "file.unsupported", err.message))
            raise UnsupportedMediaType(err.message, errors={"receipt": receipt.to_dict()}) from err
        except partners.UnreadableFile as err:
            issues = _file_log(err.code, err.message, err.row, err.column)
            return _reject(uow, partner_id, sub, period, stored, None, issues)
        said = _note_mapping(uow, partner_id, sub, table, sent)
        table.notes.extend(said)
        tell = (lambda: progress(stream.tell())) if progress else (lambda: None)
        choice = ingest.choose(sub.kind, table, uow.lines, allow_columns=columns)
        if choice.columns:
            try:
                return _ingest(uow, partner_id, sub, period, stored, table, tell, choice,
                               ingest.ColumnPath(ColumnReader(stream, table, sub.kind)))
            except Declined as declined:  # nothing was kept: read it again, record by record
                log.info("Reading %s record by record: %s", stored.sha256[:12], declined)
                stream.seek(0)
                table = partners.read_table(stream, sub.kind, limits=limits, **options)
                table.notes.extend(said)
                choice = choice.by_rows()
        return _ingest(uow, partner_id, sub, period, stored, table, tell, choice,
                       ingest.RowPath(table))


def _note_mapping(uow: UnitOfWork, partner_id: int, sub: Submission, table, sent) -> list[str]:
    """Remember a sent mapping that read the file; the notes saying which mapping chose the
    columns and which column fed each field."""
    if table.mapping is None:
        return []
    read = "; ".join(f"{name.replace('_', ' ')} from '{c.header}' (column {c.letter})"
                     for name, c in table.columns.items())
    notes = [f"Columns read: {read}."]
    if table.mapping == partners.SENT:
        if not sub.dry_run:
            mappings.remember(uow, partner_id, sub.partner, sub.kind, table, sent, sub.actor)
            notes.append("The column mapping sent with this file was saved: the next "
                         f"{sub.kind} file with the same headings will be read with it.")
    else:
        saved = mappings.mark_used(uow, partner_id, sub.kind, table.headings_key)
        notes.append(f"The columns were read with the column mapping you saved on {saved} for "
                     "files with these headings; delete it under column mappings to have the "
                     "headings recognised again.")
    return notes


def _replay(uow: UnitOfWork, partner_id: int, sub: Submission, period: str,
            stored: StoredFile) -> Receipt | None:
    """The earlier answer to the same request: same Idempotency-Key, or the same bytes again."""
    if sub.dry_run:
        return None
    earlier = None
    if sub.idempotency_key:
        earlier = uow.returns.by_idempotency_key(partner_id, sub.idempotency_key)
        if earlier is not None and (earlier.sha256, earlier.kind, earlier.period) != (
                stored.sha256, sub.kind, period):
            raise Unprocessable("This Idempotency-Key was already used for a different request; "
                                "use a new key for new content.",
                                errors={"Idempotency-Key": ["already used for other content"]})
    if earlier is None:
        current = uow.returns.current(partner_id, sub.kind, period)
        if current is not None and current.sha256 == stored.sha256:
            earlier = current
    if earlier is None:
        return None
    receipt = receipt_of(earlier, uow.returns.issues(earlier.id), located_of(uow.session, earlier))
    receipt.replayed = True
    return receipt


def _hold_and_replay(uow: UnitOfWork, partner_id: int, sub: Submission, period: str,
                     stored: StoredFile) -> Receipt | None:
    """Wait until no other request is storing a return of this partner, kind and period, then
    hold that lock for this transaction; the earlier answer if that request was this one.

    Concurrent requests are so answered one after the other: the same key or bytes get the
    first one's receipt, different bytes become the next version."""
    if sub.dry_run:
        return None
    transactions.hold(uow.session, transactions.submission_key(partner_id, sub.kind, period),
                      wait_seconds=transactions.SUBMISSION_WAIT_SECONDS)
    return _replay(uow, partner_id, sub, period, stored)


def _file_log(code: str, message: str, row=None, column=None) -> IssueLog:
    issues = IssueLog()
    issues.add(Issue(ERROR, code, message, row=row, column=column))
    return issues


def _new_return(partner_id: int, sub: Submission, period: str, stored: StoredFile,
                status: str, table=None) -> PartnerReturn:
    return PartnerReturn(
        partner_id=partner_id, kind=sub.kind, period=period, status=status, is_current=False,
        sha256=stored.sha256, byte_size=stored.size,
        # As the uploader named and typed it, less what no database column may hold (NUL,
        # control characters) and what no download should carry (folders).
        filename=download_name(stored.filename, "")[:255] or None,
        media_type=_media_type(stored.media_type), file_format=getattr(table, "format", None),
        profile=getattr(table, "profile", None), submitted_by=sub.actor[:200],
        idempotency_key=sub.idempotency_key, is_demo=sub.is_demo)


def _media_type(claimed: str | None) -> str | None:
    """The uploader's Content-Type when it looks like one (type/subtype and parameters)."""
    return claimed[:100] if claimed and MEDIA_TYPE.fullmatch(claimed) else None


def _storable(text: str | None, limit: int) -> str | None:
    """Issue text quotes the file, which may hold what no database text can (NUL)."""
    return None if text is None else str(text)[:limit].replace("\x00", "\ufffd")


def _issue_frame(return_id: int, issues: list[Issue]) -> pl.DataFrame:
    """Every listed issue, in order, as one frame: a file with a warning on every line lists
    50,000 of each code, which the ORM's bulk insert took 20 µs each to write."""
    return pl.DataFrame({
        "return_id": [return_id] * len(issues),
        "severity": [i.severity for i in issues],
        "code": [i.code for i in issues],
        "message": [_storable(i.message, 1000) for i in issues],
        "row": [i.row for i in issues],
        "column": [_storable(i.column, 200) for i in issues],
        "column_letter": [i.column_letter for i in issues],
        "value": [_storable(i.value, 500) for i in issues],
    }, schema=_ISSUE_FRAME)


_ISSUE_FRAME = {"return_id": pl.Int64, "severity": pl.String, "code": pl.String,
                "message": pl.String, "row": pl.Int64, "column": pl.String,
                "column_letter": pl.String, "value": pl.String}


def _reject(uow: UnitOfWork, partner_id: int, sub: Submission, period: str,
            stored: StoredFile, table, issues: IssueLog, rows: int = 0) -> Receipt:
    """Keep the bytes' record and every issue; store no line."""
    listed = issues.all()
    receipt = Receipt(status=REJECTED, partner=sub.partner, kind=sub.kind, period=period,
                      sha256=stored.sha256, rows=rows, errors=issues.errors,
                      warnings=issues.warnings, redacted=issues.per_code.get(REDACTED, 0),
                      issues=listed, dry_run=sub.dry_run,
                      notes=list(getattr(table, "notes", [])))
    if sub.dry_run:
        return receipt
    with uow:
        replay = _hold_and_replay(uow, partner_id, sub, period, stored)
        if replay is not None:
            return replay
        try:
            ret = uow.returns.add(_new_return(partner_id, sub, period, stored, REJECTED, table))
        except IntegrityError as err:
            # Only the Idempotency-Key is unique here: the same request is being answered already.
            raise Conflict("Another request with the same Idempotency-Key is being handled right "
                           "now. Wait a moment and retry it to get its answer.") from err
        ret.row_count, ret.error_count, ret.warning_count = rows, issues.errors, issues.warnings
        uow.lines.insert_frame(ReturnIssue.__table__, _issue_frame(ret.id, listed))
        uow.audit.add(sub.actor, "return.reject", partner_slug=sub.partner,
                      subject=f"return:{ret.id}", kind=sub.kind, period=period,
                      sha256=stored.sha256, errors=issues.errors)
        uow.commit()
        receipt.id = ret.id
    return receipt


def _ingest(uow: UnitOfWork, partner_id: int, sub: Submission, period: str, stored: StoredFile,
            table, tell: Callable[[], None], choice: ingest.Choice, path: ingest.LinePath
            ) -> Receipt:
    issues = IssueLog()
    fields = path.fields
    validator = RowValidator(sub.kind, table.columns, period, fields)
    spend = sub.kind == "spend"
    # Postcodes are looked up on a second connection: the first streams lines by COPY, so the
    # database stores one batch while this process reads the next.
    with uow, UnitOfWork(uow.session_factory) as reads:
        replay = _hold_and_replay(uow, partner_id, sub, period, stored)
        if replay is not None:
            return replay
        transactions.bulk(uow.session)
        ret = uow.returns.add(_new_return(partner_id, sub, period, stored, ACCEPTED, table))
        locator = Locator(uow, reads.geography if choice.streams else None)
        register = SupplierRegister(uow, partner_id, reads.companies if choice.streams
                                    else uow.companies) if spend else None
        writer = line_writer(uow, sub.kind, validator.columns, ret.id, partner_id, locator,
                             register, text=choice.streams or choice.columns)
        totals = TotalLines(validator, fields) if spend else None
        with uow.lines.stream(sub.kind, writer.columns):
            rows, total = path.run(validator, writer, issues, tell, sub.dry_run, totals)
        if register is not None:
            register.record_reviews(uow)
        path.finish(table)
        if totals is not None and totals.found:
            table.skipped = sorted(table.skipped + totals.found)
        table.notes.extend(left_out_notes(table.skipped))
        for row_number, reason in table.skipped:
            issues.add(Issue(WARNING, "row.skipped", reason, row=row_number))
        if rows == 0 and issues.errors == 0:
            issues.add(Issue(ERROR, "file.no_rows", "The file has a header but no rows of data.",
                             row=table.header_row + 1))
        if issues.errors or sub.dry_run:
            uow.rollback()
        else:
            amount = total if spend else None
            line_totals = path.line_totals(writer)
            return _accept(uow, ret, sub, period, table, issues, rows, amount, line_totals)
    if issues.errors:
        return _reject(uow, partner_id, sub, period, stored, table, issues, rows)
    return Receipt(status=ACCEPTED, partner=sub.partner, kind=sub.kind, period=period,
                   sha256=stored.sha256, rows=rows, errors=0, warnings=issues.warnings,
                   redacted=issues.per_code.get(REDACTED, 0),
                   amount=total if spend else None, issues=issues.all(),
                   notes=list(table.notes), dry_run=True)


def _accept(uow: UnitOfWork, ret: PartnerReturn, sub: Submission, period: str, table,
            issues: IssueLog, rows: int, amount: Decimal | None,
            totals: spend_totals.LineTotals | None = None) -> Receipt:
    """Supersede the current return and make this one current, in the same transaction."""
    transactions.hold(uow.session, transactions.AGGREGATES)
    previous = uow.returns.current(ret.partner_id, sub.kind, period)
    if previous is not None:
        previous.is_current = False
        uow.session.flush()
    if amount is not None:
        issues.extend(plausibility.check_total(uow, ret.partner_id, sub.kind, period, amount))
    ret.version = uow.returns.latest_version(ret.partner_id, sub.kind, period) + 1
    ret.supersedes_id = previous.id if previous else None
    ret.is_current = True
    ret.row_count, ret.warning_count, ret.total_amount = rows, issues.warnings, amount
    listed = issues.all()
    aggregates = None
    with uow.lines.inserting(ReturnIssue.__table__, _issue_frame(ret.id, listed)):
        if totals is not None:  # worked out while the server stores the issues
            aggregates = totals.rows(ret.id)
    spend_totals.on_accept(uow, ret, previous, aggregates)
    located = located_of(uow.session, ret)
    uow.audit.add(sub.actor, "return.accept", partner_slug=sub.partner, subject=f"return:{ret.id}",
                  kind=sub.kind, period=period, version=ret.version, sha256=ret.sha256, rows=rows)
    try:
        uow.commit()
    except IntegrityError as err:
        raise Conflict("Another return for the same partner, kind and period was accepted at the "
                       "same moment. Check your returns, then submit again if needed.") from err
    return Receipt(status=ACCEPTED, partner=sub.partner, kind=sub.kind, period=period,
                   sha256=ret.sha256, id=ret.id, version=ret.version,
                   supersedes=ret.supersedes_id, rows=rows, errors=0, warnings=issues.warnings,
                   redacted=issues.per_code.get(REDACTED, 0), amount=amount, issues=listed,
                   notes=list(table.notes), located=located)
