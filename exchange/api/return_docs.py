"""The bodies of the returns API as the OpenAPI document describes them: a return, its
receipt, its lines a page at a time and the change from the version it superseded."""

from marshmallow import Schema, fields

from exchange.api.docs import OpenSchema, count, money, record

KIND_DOC = "spend, suppliers, commitments, measures or contributions"


class ReturnCountsSchema(OpenSchema):
    rows = count("Data rows read from the file (the same whether accepted or not)")
    errors = count("Issues that stop the return being accepted")
    warnings = count("Issues worth a look that do not stop it")
    redacted = count("Payments whose supplier name is blank or withheld: kept in every total, "
                     "matched to no supplier (receipts only)")


class TotalsSchema(OpenSchema):
    amount = money("The sum of the return's amounts (spend, contributions); absent for kinds "
                   "without money")


class IssueSchema(OpenSchema):
    severity = fields.String(metadata={"enum": ["error", "warning"]})
    code = fields.String(metadata={"description": "A stable code, e.g. `amount.invalid`",
                                   "example": "amount.invalid"})
    message = fields.String(metadata={"description": "What is wrong and what to do, for the "
                                                     "person who keeps the file"})
    row = fields.Integer(allow_none=True, metadata={
        "description": "The row as numbered in your spreadsheet; null for the whole file or a "
                       "summary of many rows"})
    column = fields.String(allow_none=True, metadata={"description": "The column's heading"})
    column_letter = fields.String(allow_none=True, metadata={"example": "B"})
    value = fields.String(allow_none=True, metadata={"description": "The cell as sent"})
    count = count("How many rows share this issue")
    rows = fields.List(fields.Integer(), metadata={
        "description": "The first ten rows with this issue; issues.csv lists every one"})


class LocatedSchema(OpenSchema):
    """How much of an accepted spend return's money is located: its coverage."""

    share = fields.Float(allow_none=True, metadata={
        "description": "The located part of the return's payments by value, credits counted "
                       "by their size (a fraction from 0 to 1, to four places; null when the "
                       "return holds no money)", "example": 0.8846})
    by_source = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "The net amount placed by each source — line (the line's own "
                       "postcode), register, identifier, companies_register — and unknown "
                       "(GBP, decimal strings)"})


class ReceiptSchema(OpenSchema):
    """What the hub made of one file: accepted or rejected, with every issue."""

    id = fields.Integer(allow_none=True, metadata={"description": "The return's id; null for "
                                                                  "a dry run"})
    status = fields.String(metadata={"enum": ["accepted", "rejected"]})
    partner = fields.String(metadata={"example": "rmbc"})
    kind = fields.String(metadata={"description": KIND_DOC, "example": "spend"})
    period = fields.String(metadata={"example": "2025-26-Q1"})
    version = fields.Integer(allow_none=True, metadata={
        "description": "1 for the first accepted return of the partner, kind and period, then "
                       "2, 3…; null when rejected"})
    supersedes = fields.Integer(allow_none=True, metadata={
        "description": "The id of the version this one replaces"})
    sha256 = fields.String(metadata={"description": "SHA-256 of the bytes received"})
    dry_run = fields.Boolean(metadata={"description": "True when checked only: nothing stored"})
    counts = fields.Nested(ReturnCountsSchema)
    totals = fields.Nested(TotalsSchema)
    issues = fields.List(fields.Nested(IssueSchema), metadata={
        "description": "Every issue, a cause shared by four rows or more as one summary"})
    notes = fields.List(fields.String(), metadata={
        "description": "What the hub noticed about the file: its layout, which column fed "
                       "each field, rows left out and why"})
    located = fields.Nested(LocatedSchema, metadata={
        "description": "Accepted spend returns only: how much of the money is located"})


class LinesPageSchema(OpenSchema):
    items = fields.List(record("One normalised row: `row_number`, then the standard's fields "
                               "of the return's kind (money as decimal strings)"))
    next = fields.String(allow_none=True, metadata={
        "description": "The address of the next page; null on the last"})


class DiffCountsSchema(OpenSchema):
    added = count("Lines only in this version")
    removed = count("Lines only in the superseded version")
    changed = count("Lines matched in both with some field changed")
    unchanged = count("Lines the same in both")


class DiffSchema(OpenSchema):
    """What changed from the version a return superseded."""

    id = fields.Integer()
    version = fields.Integer(allow_none=True)
    kind = fields.String(metadata={"description": KIND_DOC})
    period = fields.String()
    supersedes = fields.Integer(allow_none=True, metadata={
        "description": "The superseded version's id; null for a first version (every line "
                       "is then added)"})
    matched_by = fields.String(metadata={
        "description": "The field lines are matched by (e.g. transaction_reference), or "
                       "`content`"})
    money_fields = fields.List(fields.String(), metadata={
        "description": "The fields holding GBP amounts"})
    counts = fields.Nested(DiffCountsSchema)
    totals = record("`rows` and, for kinds with money, `amount`: each with `before` and "
                    "`after` (and the amount's `change`, GBP as a decimal string)")
    added = fields.List(record("A line with its `row` in the file"), metadata={
        "description": "The first 1,000"})
    removed = fields.List(record("A line with its `row` in the superseded file"))
    changed = fields.List(record("`key`, `row_before`, `row_after`, `changes` (field, before, "
                                 "after) and both lines whole"))


class ReturnSchema(Schema):
    id = fields.Integer()
    partner = fields.Function(lambda r: r.partner.slug, metadata={"type": "string",
                                                                   "example": "rmbc"})
    kind = fields.String(metadata={"description": KIND_DOC, "example": "spend"})
    period = fields.String(metadata={"description": "The financial quarter",
                                     "example": "2025-26-Q1"})
    status = fields.String(metadata={"enum": ["accepted", "rejected"]})
    version = fields.Integer(allow_none=True, metadata={
        "description": "1, 2, 3… among accepted returns of the partner, kind and period"})
    current = fields.Boolean(attribute="is_current", metadata={
        "description": "True for the version the views count"})
    supersedes = fields.Integer(attribute="supersedes_id", allow_none=True)
    sha256 = fields.String(metadata={"description": "SHA-256 of the bytes received"})
    bytes = fields.Integer(attribute="byte_size", metadata={"description": "Size of the file "
                                                                           "received"})
    filename = fields.String(allow_none=True)
    format = fields.String(attribute="file_format", allow_none=True, metadata={
        "description": "csv, xlsx or json, as the hub read it"})
    profile = fields.String(allow_none=True, metadata={"description": "The layout the file "
                                                                      "was read with"})
    submitted_by = fields.String(metadata={"description": "user:EMAIL or client:ID"})
    submitted_at = fields.DateTime()
    counts = fields.Function(lambda r: {"rows": r.row_count, "errors": r.error_count,
                                        "warnings": r.warning_count},
                             metadata={"type": "object", "description": "rows, errors and "
                                                                        "warnings (integers)"})
    totals = fields.Function(lambda r: {"amount": f"{r.total_amount:.2f}"}
                             if r.total_amount is not None else {},
                             metadata={"type": "object", "description":
                                       "`amount`: the sum of the return's amounts, GBP as a "
                                       "decimal string; empty for kinds without money"})
    demo = fields.Boolean(attribute="is_demo", metadata={"description": "Demo data"})
    approved_by = fields.String(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
