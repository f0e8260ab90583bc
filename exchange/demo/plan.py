"""Which demo partner sends what, and in which native layout.

Councils, police, fire and the college publish Local Government Transparency Code files, each with
its own headings, date style and encoding; NHS trusts publish the HM Treasury "spend over £25,000"
layout; the VCS partner uses the hub's own template.
"""

from dataclasses import dataclass

from exchange.demo.world import BARNSLEY, DONCASTER, ROTHERHAM, SHEFFIELD

YEAR = "2025-26"  # the last complete financial year; fixed so the bytes never change
PREVIOUS_YEAR = "2024-25"


@dataclass(frozen=True)
class SpendLayout:
    """A spend file's headings (heading, what goes in it), date style, encoding and quirks."""

    columns: tuple[tuple[str, str], ...]
    date_format: str = "%d/%m/%Y"
    encoding: str = "utf-8"
    thousands: bool = False  # "1,234.56", which CSV then quotes
    preamble: tuple[str, ...] = ()
    upper_names: bool = False  # finance systems that hold names in capitals


@dataclass(frozen=True)
class Plan:
    slug: str
    layout: SpendLayout | None  # None: HM Treasury £25k layout
    lines: int  # spend lines per quarter
    local: tuple[str, ...]
    suppliers: int  # how many suppliers it buys from
    size: float  # staff and activity relative to the borough council
    supplier_prefix: str
    threshold: int = 500
    commitments: bool = False  # the Rotherham charter's signatories
    contributions: bool = False
    previous_year: bool = False  # the same quarters of the year before, for trends


RMBC = SpendLayout((
    ("Body Name", "body"), ("Body", "body_code"), ("Date Paid", "date"),
    ("Transaction Number", "ref"), ("Net Amount", "amount"), ("Supplier Name", "supplier"),
    ("Supplier ID", "supplier_id"), ("Company Number", "company"), ("Expense Type", "expense"),
    ("Service Area", "service"), ("Supplier Postcode", "postcode"),
    ("Capital/Revenue", "caprev")), encoding="utf-8-sig", thousands=True)
SCC = SpendLayout((
    ("Organisation Name", "body"), ("Payment Date", "date"), ("Transaction No", "ref"),
    ("Amount", "amount"), ("Beneficiary Name", "supplier"), ("Supplier Code", "supplier_id"),
    ("Company No", "company"), ("Expenditure Category", "expense"), ("Directorate", "service"),
    ("Post Code", "postcode")), date_format="%d-%b-%y", encoding="cp1252",
    preamble=("Sheffield City Council - payments over £250",))
DMBC = SpendLayout((
    ("Body Name", "body"), ("Date", "date"), ("Transaction Reference", "ref"),
    ("Amount", "amount"), ("Supplier Name", "supplier"), ("Supplier Number", "supplier_id"),
    ("Expense Type", "expense"), ("Service Label", "service"),
    ("Supplier Post Code", "postcode")), date_format="%Y-%m-%d")
BMBC = SpendLayout((
    ("Organisation", "body"), ("Payment Date", "date"), ("Reference", "ref"),
    ("Net Amount", "amount"), ("Vendor Name", "supplier"), ("Vendor ID", "supplier_id"),
    ("Company Registration Number", "company"), ("Expenditure Type", "expense"),
    ("Department", "service"), ("Postcode", "postcode")), thousands=True, upper_names=True)
SYP = SpendLayout((
    ("Body Name", "body"), ("Date Paid", "date"), ("Transaction No", "ref"),
    ("Amount Excl VAT", "amount"), ("Irrecoverable VAT", "irrecoverable"),
    ("Supplier Name", "supplier"), ("Supplier Number", "supplier_id"),
    ("Expense Description", "expense"), ("Department", "service"),
    ("Purchase Card", "card")), encoding="utf-8-sig", upper_names=True)
SYFR = SpendLayout((
    ("Body Name", "body"), ("GL Date", "date"), ("Document Number", "ref"),
    ("Invoiced Value", "amount"), ("Supplier", "supplier"), ("Creditor Number", "supplier_id"),
    ("Account Description", "expense"), ("Cost Centre Name", "service"),
    ("Postcode", "postcode")), date_format="%d-%b-%Y", thousands=True)
RNN = SpendLayout((
    ("Body Name", "body"), ("Payment Date", "date"), ("Transaction Ref", "ref"),
    ("NetAmount", "amount"), ("Supplier Name", "supplier"), ("Supplier Ref", "supplier_id"),
    ("Company Reg No", "company"), ("Purpose of Spend", "expense"), ("Service", "service")))
TEMPLATE = SpendLayout((
    ("Payment date", "date"), ("Amount (GBP)", "amount"), ("Supplier name", "supplier"),
    ("Supplier ID", "supplier_id"), ("Company number", "company"),
    ("Charity number", "charity"), ("Supplier postcode", "postcode"),
    ("Expense type", "expense"), ("Service area", "service"),
    ("Transaction reference", "ref")), date_format="%Y-%m-%d")
HMT_COLUMNS = (
    ("Department Family", "family"), ("Entity", "body"), ("Date", "date"),
    ("Expense Type", "expense"), ("Expense Area", "service"), ("Supplier", "supplier"),
    ("Transaction Number", "ref"), ("Amount", "amount"), ("Description", "description"),
    ("Supplier Postcode", "postcode"))

PLANS: tuple[Plan, ...] = (
    Plan("rmbc", RMBC, 1500, (ROTHERHAM,), 420, 1.0, "1", commitments=True,
         contributions=True, previous_year=True),
    Plan("syp", SYP, 800, (ROTHERHAM, SHEFFIELD, DONCASTER, BARNSLEY), 320, 0.9, "V",
         commitments=True),
    Plan("trft", None, 180, (ROTHERHAM,), 110, 0.8, "", 25000, commitments=True,
         contributions=True, previous_year=True),
    Plan("rnn", RNN, 420, (ROTHERHAM,), 180, 0.25, "RNN", commitments=True),
    Plan("rdash", None, 130, (ROTHERHAM, DONCASTER), 90, 0.5, "", 25000, commitments=True),
    Plan("syfr", SYFR, 450, (ROTHERHAM, SHEFFIELD, DONCASTER, BARNSLEY), 200, 0.2, "C",
         commitments=True),
    Plan("var", TEMPLATE, 120, (ROTHERHAM,), 60, 0.02, "VAR", commitments=True,
         contributions=True),
    Plan("scc", SCC, 2000, (SHEFFIELD,), 480, 1.6, "S", 250, contributions=True),
    Plan("sth", None, 260, (SHEFFIELD,), 130, 1.4, "", 25000),
    Plan("dmbc", DMBC, 1100, (DONCASTER,), 360, 0.9, "D"),
    Plan("bmbc", BMBC, 900, (BARNSLEY,), 320, 0.7, "B"),
)
