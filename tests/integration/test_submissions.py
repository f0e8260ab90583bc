"""Submitting returns through the service: all or nothing, versions, replays and locations."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from exchange.context import get_blobs, get_uow
from exchange.ingest import rows as ingest_rows
from exchange.ingest import submissions
from exchange.ingest.submissions import StoredFile, Submission, submit_return
from exchange.models import PartnerReturn, SpendLine
from exchange.repositories.lines import LineRepository
from partners.formats import columns as columns_module
from tests.api.returns_support import table_counts

SPEND = (
    "Payment Date,Amount,Supplier Name,Supplier Postcode,Company Number,Supplier ID\n"
    "01/10/2021,\"1,000.00\",Rotherham Widgets Ltd,s602ud,1234567,R1\n"      # line: Rotherham
    "02/10/2021,250.50,Sheffield Steel plc,S1 2HH,,S2\n"                     # line: Sheffield
    "03/10/2021,100.00,Leeds Lamps Ltd,LS1 4AP,,S3\n"                        # line: outside
    "04/10/2021,-40.00,Rotherham Widgets Ltd,,1234567,R1\n"                  # credit note
    "05/10/2021,75.25,REDACTED PERSONAL DATA,,,\n"                           # redacted
    "06/10/2021,60.00,Nowhere Known Ltd,,,N1\n"                              # unknown
)


def submit(text: str, *, partner="rmbc", kind="spend", period="2021-22-Q3", key=None,
           dry_run=False, filename="spend.csv", columns=True) -> submissions.Receipt:
    data = text.encode("utf-8")
    sha, size = get_blobs().save_bytes(data)
    sub = Submission(partner, kind, period, "test", dry_run=dry_run, idempotency_key=key)
    return submit_return(sub, StoredFile(sha, size, filename, "text/csv"), get_uow(), get_blobs(),
                         columns=columns)


def spend_lines(return_id: int) -> list[SpendLine]:
    with get_uow() as uow:
        return list(uow.session.scalars(select(SpendLine).where(SpendLine.return_id == return_id)
                                         .order_by(SpendLine.row_number)))


def test_an_accepted_spend_return_stores_every_line_with_its_location(app):
    receipt = submit(SPEND)

    assert (receipt.status, receipt.version, receipt.rows) == ("accepted", 1, 6)
    assert receipt.amount == Decimal("1445.75")
    lines = spend_lines(receipt.id)
    assert [x.row_number for x in lines] == [2, 3, 4, 5, 6, 7]
    assert [(x.location_status, x.lad_code, x.location_source) for x in lines] == [
        ("found", "E08000018", "line"),
        ("found", "E08000019", "line"),
        ("outside", None, "line"),
        ("unknown", None, "unknown"),
        ("unknown", None, "unknown"),
        ("unknown", None, "unknown"),
    ]
    assert lines[0].company_number == "01234567"
    assert lines[0].org_id == "GB-COH-01234567"
    assert lines[0].supplier_key == lines[3].supplier_key == "GB-COH-01234567"
    assert lines[4].redacted and lines[4].supplier_key is None


def test_spend_lines_without_a_postcode_are_placed_through_the_supplier_register(app):
    suppliers = ("Supplier ID,Supplier Name,Company Number,Site Postcode,SME,VCSE\n"
                 "N1,Nowhere Known Ltd,,S60 2UD,yes,no\n")
    assert submit(suppliers, kind="suppliers").status == "accepted"

    receipt = submit(SPEND)

    unknown_before = spend_lines(receipt.id)[5]
    assert (unknown_before.location_status, unknown_before.lad_code,
            unknown_before.location_source, unknown_before.sme) == (
        "found", "E08000018", "register", True)


def test_a_return_with_errors_is_rejected_whole_and_keeps_only_its_record_and_issues(app):
    before = table_counts()
    bad = SPEND + "31/02/2021,12.00,Bad Date Ltd,,,\n07/10/2021,lots,Bad Amount Ltd,,,\n"

    receipt = submit(bad)

    assert receipt.status == "rejected"
    codes = {(i.row, i.column, i.code) for i in receipt.issues if i.severity == "error"}
    assert (8, "Payment Date", "payment_date.invalid") in codes
    assert (9, "Amount", "amount.invalid") in codes
    after = table_counts()
    changed = {t: after[t] - before[t] for t in after if after[t] != before[t]}
    # Only the record of the rejected submission, its issues and the audit entry are new.
    assert set(changed) <= {"partner_return", "return_issue", "audit_event"}
    assert changed["partner_return"] == 1
    with get_uow() as uow:
        assert uow.returns.get(receipt.id).status == "rejected"


def test_a_resubmission_supersedes_the_current_return_and_keeps_it_as_history(app):
    first = submit(SPEND)
    second = submit(SPEND + "07/10/2021,10.00,Another Ltd,,,\n")

    assert (second.version, second.supersedes) == (2, first.id)
    with get_uow() as uow:
        assert not uow.returns.get(first.id).is_current
        assert uow.returns.current(uow.partners.get("rmbc").id, "spend", "2021-22-Q3").id == \
            second.id
    assert len(spend_lines(first.id)) == 6


def test_submitting_the_same_bytes_again_replays_the_receipt_and_stores_nothing(app):
    first = submit(SPEND)
    before = table_counts()

    again = submit(SPEND)

    assert again.replayed and again.id == first.id and again.version == 1
    assert table_counts() == before


def test_an_idempotency_key_reused_for_other_content_is_refused(app):
    submit(SPEND, key="k-1")
    with pytest.raises(submissions.Unprocessable):
        submit(SPEND + "07/10/2021,10.00,Another Ltd,,,\n", key="k-1")


def test_a_dry_run_reports_without_storing_anything(app):
    before = table_counts()

    receipt = submit(SPEND, dry_run=True)

    assert (receipt.status, receipt.rows, receipt.id) == ("accepted", 6, None)
    assert table_counts() == before


@pytest.mark.parametrize("columns", [True, False], ids=["read as columns", "read by rows"])
def test_a_crash_in_the_middle_of_an_ingestion_leaves_no_partial_return(app, monkeypatch,
                                                                        columns):
    monkeypatch.setattr(ingest_rows, "BATCH", 2)
    monkeypatch.setattr(columns_module, "CHUNK", 60)  # two or three lines a chunk
    real_write, real_write_text, calls = LineRepository.write, LineRepository.write_text, []

    def fail_the_second_batch(rows: int) -> None:
        calls.append(rows)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    def write_then_fail(self, kind, rows):
        fail_the_second_batch(len(rows))
        return real_write(self, kind, rows)

    def write_text_then_fail(self, text):  # spend lines on PostgreSQL, as COPY text
        lines = text.encode() if isinstance(text, str) else bytes(text)
        fail_the_second_batch(lines.count(b"\n"))
        return real_write_text(self, text)

    monkeypatch.setattr(LineRepository, "write", write_then_fail)
    monkeypatch.setattr(LineRepository, "write_text", write_text_then_fail)
    before = table_counts()

    with pytest.raises(RuntimeError):
        submit(SPEND, columns=columns)

    assert len(calls) == 2 and all(calls)  # the first batch was written, the second failed
    assert table_counts() == before
    with get_uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PartnerReturn)) == 0


def test_spend_lines_keep_tabs_backslashes_and_line_breaks_in_their_text(app):
    # On PostgreSQL spend lines go to the server as COPY text built by the hub itself.
    text = ("Payment Date,Amount,Supplier Name,Supplier ID,Expense Type,Transaction Number\n"
            '01/10/2021,12.5,"Tab\tand C:\\Back\\slash Ltd",T1,"Two\nlines",\\N\n'
            '02/10/2021,"1,000",Plain Ltd,,\\,"cr\rhere"\n')

    receipt = submit(text)

    assert (receipt.status, receipt.rows) == ("accepted", 2)
    first, second = spend_lines(receipt.id)
    assert (first.supplier_name, first.supplier_id, first.expense_type,
            first.transaction_reference, first.amount) == (
        "Tab\tand C:\\Back\\slash Ltd", "T1", "Two\nlines", "\\N", Decimal("12.50"))
    assert first.supplier_name_normalised == "TAB AND C BACK SLASH"
    assert (second.row_number, second.expense_type, second.transaction_reference,
            second.supplier_id, second.amount) == (3, "\\", "cr\rhere", None, Decimal("1000.00"))


def test_every_column_of_a_spend_line_is_stored_as_validated(app):
    receipt = submit(
        "Payment Date,Net Amount,Supplier Name,Supplier ID,Company Number,Charity Number,"
        "VAT Registration Number,Supplier Postcode,Expense Type,Service Area,"
        "Transaction Number,Irrecoverable VAT,Capital or Revenue,Procurement Card\n"
        "1 Oct 2021,(20.00),The Widget Co Ltd,W1,SC123456,,GB123456789,s60 2ud,Premises,"
        "Housing,T-1,0.5,C,Yes\n", filename="spend.csv")

    assert receipt.status == "accepted", receipt.issues
    (line,) = spend_lines(receipt.id)
    columns = {c.name: getattr(line, c.name) for c in SpendLine.__table__.columns}
    assert columns == {
        "return_id": receipt.id, "row_number": 2, "payment_date": date(2021, 10, 1),
        "amount": Decimal("-20.00"), "supplier_name": "The Widget Co Ltd",
        "supplier_name_normalised": "WIDGET", "supplier_id": "W1",
        "company_number": "SC123456", "charity_number": None, "vat_number": "123456789",
        "supplier_postcode": "S60 2UD", "expense_type": "Premises", "service_area": "Housing",
        "transaction_reference": "T-1", "irrecoverable_vat": Decimal("0.50"),
        "capital_revenue": "capital", "procurement_card": True, "redacted": False,
        "org_id": "GB-COH-SC123456", "supplier_key": "GB-COH-SC123456",
        "location_status": "found", "lad_code": "E08000018", "location_source": "line",
        "sme": None, "vcse": None,
    }
