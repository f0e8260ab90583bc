"""Demo spend and supplier files, written the way each partner's finance system exports them."""

import csv
import io
import math
import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from exchange.demo.plan import HMT_COLUMNS, Plan, SpendLayout
from exchange.demo.world import Supplier
from exchange.periods import Period

REDACTED_NAMES = ("REDACTED PERSONAL DATA", "Redacted - Personal Data", "PERSONAL DATA REDACTED",
                  "Private Individual")
EXPENSES = {
    "council": ("Building Repairs & Maintenance", "Agency Staff", "Residential Care",
                "Home Care", "Highways Maintenance", "Waste Disposal", "IT Software Licences",
                "Consultancy Fees", "Grants to Voluntary Organisations", "Vehicle Hire",
                "Catering Provisions", "Printing & Stationery", "Legal Fees", "Energy Costs",
                "School Transport", "Supported Living"),
    "police": ("Vehicle Maintenance", "Forensic Services", "Uniforms & Protective Clothing",
               "IT Hardware", "Custody Healthcare", "Fuel", "Premises Repairs", "Training",
               "Interpreters", "Communications Equipment"),
    "health": ("Drugs", "Clinical Supplies & Services", "Purchase of Healthcare",
               "Premises - Maintenance", "Medical Equipment", "Agency Nursing",
               "IT Services", "Pathology Services", "Capital - Buildings", "Catering"),
    "other": ("Course Materials", "Premises Costs", "Subcontracted Provision", "IT Equipment",
              "Fire Appliances Maintenance", "Training Costs", "Professional Fees",
              "Grants Paid", "Room Hire", "Travel"),
}
SERVICES = {
    "council": ("Adult Care, Housing & Public Health", "Children & Young People's Services",
                "Regeneration & Environment", "Finance & Customer Services",
                "Assistant Chief Executive"),
    "police": ("Operational Support", "Estates", "Fleet", "ICT", "Criminal Justice"),
    "health": ("Surgery", "Medicine", "Estates & Facilities", "Clinical Support",
               "Community Services", "Corporate"),
    "other": ("Curriculum", "Estates", "Corporate Services", "Operations", "Community"),
}
PERSONAL_EXPENSES = ("Direct Payments", "Foster Care Allowances", "Special Guardianship",
                     "Travel Expenses")
KIND = {"rmbc": "council", "scc": "council", "dmbc": "council", "bmbc": "council",
        "syp": "police", "trft": "health", "rdash": "health", "sth": "health"}


def supplier_id(plan: Plan, supplier: Supplier) -> str:
    """The partner's own reference for a supplier: every finance system numbers its own way."""
    number = (supplier.number * 7919 + len(plan.slug) * 104729) % 900000 + 100000
    return f"{plan.supplier_prefix}{number}"


def display_name(plan: Plan, supplier: Supplier) -> str:
    """How this partner spells the supplier: capitals in some systems, 'Limited' in others."""
    name = supplier.name
    if plan.layout is not None and plan.layout.upper_names:
        return name.upper()
    if plan.slug in ("scc", "sth") and name.endswith(" Ltd"):
        return name[:-4] + " Limited"
    return name


def registered(plan: Plan, suppliers: list[Supplier]) -> list[tuple[Supplier, int]]:
    """The suppliers in the partner's own master data, each with the quarter it was added in:
    all but a few one-off suppliers, most of them there from the first quarter."""
    rng = random.Random(f"{plan.slug}:register")
    found = []
    for s in suppliers:
        if s.national or rng.random() >= 0.12:
            found.append((s, 1 if s.national or rng.random() < 0.75 else rng.randint(2, 4)))
    for quarter in (2, 3, 4):  # every quarter's return has at least one new supplier
        if not any(added == quarter for _, added in found):
            found[-quarter] = (found[-quarter][0], quarter)
    return found


def suppliers_file(plan: Plan, suppliers: list[Supplier], quarter: int) -> bytes:
    """Supplier master data: the whole register in Q1, then the suppliers added each quarter.
    Councils use their export's headings; others the hub template."""
    council_style = plan.layout is not None and plan.slug != "var"
    header = (["Supplier Number", "Supplier Name", "Company Registration Number",
               "Charity Number", "VAT Registration Number", "Site Postcode",
               "Registered Office Postcode", "SME Status", "VCSE"] if council_style else
              ["Supplier ID", "Supplier name", "Company number", "Charity number", "VAT number",
               "Trading site postcode", "Registered office postcode", "SME (yes/no/unknown)",
               "VCSE (yes/no/unknown)"])
    rows = [header]
    for s, added in registered(plan, suppliers):
        if added != quarter:
            continue
        rows.append([supplier_id(plan, s), display_name(plan, s), s.company_number or "",
                     s.charity_number or "", s.vat_number or "", s.postcode or "",
                     s.registered_postcode or "", s.sme.capitalize() if council_style else s.sme,
                     s.vcse.capitalize() if council_style else s.vcse])
    return _csv(rows, "utf-8")


def spend_file(plan: Plan, partner_name: str, suppliers: list[Supplier], period: Period,
               lines: int, growth: float = 1.0) -> bytes:
    """One quarter's payments at or above the partner's threshold, in its native layout."""
    rng = random.Random(f"{plan.slug}:{period}:spend")
    layout = plan.layout or SpendLayout(HMT_COLUMNS, encoding="utf-8")
    kind = KIND.get(plan.slug, "other")
    weights = [2.5 if s.national else 1.0 for s in suppliers]
    cumulative = list(accumulate(weights))
    days = [period.start + timedelta(n) for n in range((period.end - period.start).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    records = []
    for number in range(lines):
        supplier = rng.choices(suppliers, cum_weights=cumulative)[0]
        records.append(_line(rng, plan, layout, kind, supplier, rng.choice(days), number,
                             period, growth))
    records.sort(key=lambda r: (r["sort"], r["ref"]))
    rows = [list(layout.preamble)] if layout.preamble else []
    rows.append([heading for heading, _ in layout.columns])
    for record in records:
        record.update(body=partner_name, body_code=plan.slug.upper(),
                      family="Department of Health and Social Care")
        rows.append([record.get(what, "") for _, what in layout.columns])
    return _csv(rows, layout.encoding)


def _line(rng: random.Random, plan: Plan, layout: SpendLayout, kind: str, supplier: Supplier,
          day: date, number: int, period: Period, growth: float) -> dict:
    nhs = plan.layout is None
    if nhs:
        amount = plan.threshold + rng.lognormvariate(math.log(30000), 1.1)
    else:
        amount = max(plan.threshold + rng.random() * 40,
                     rng.lognormvariate(math.log(3500), 1.5))
    amount = Decimal(f"{amount * growth:.2f}")
    record = {"sort": day, "date": day.strftime(layout.date_format),
              "ref": f"{plan.slug.upper()}{period.year % 100:02d}{period.quarter}{number:06d}",
              "expense": rng.choice(EXPENSES[kind]), "service": rng.choice(SERVICES[kind]),
              "caprev": "Capital" if rng.random() < 0.08 else "Revenue",
              "card": "Yes" if rng.random() < 0.05 else "No", "irrecoverable": "0.00",
              "description": ""}
    if not nhs and rng.random() < 0.03:
        record.update(supplier=rng.choice(REDACTED_NAMES), expense=rng.choice(PERSONAL_EXPENSES))
        amount = min(amount, Decimal(plan.threshold) + amount % 5000)  # allowances, not contracts
    else:
        company = supplier.company_number or ""
        if company.startswith("0") and rng.random() < 0.3:
            company = company.lstrip("0")  # spreadsheets drop leading zeros
        record.update(supplier=display_name(plan, supplier),
                      supplier_id=supplier_id(plan, supplier), company=company,
                      charity=supplier.charity_number or "")
        if supplier.postcode and rng.random() < (0.2 if nhs else 0.35):
            record["postcode"] = supplier.postcode
        if not nhs and rng.random() < 0.015:
            amount = -amount  # a credit note
            record["expense"] = "Credit Note"
    record["amount"] = f"{amount:,.2f}" if layout.thousands else f"{amount:.2f}"
    return record


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)
