"""Write a large, messy transparency-code spend file (and a matching suppliers file) to disk.

The mess copies what councils publish (see ../shared/data/real/spend/): a BOM, CRLF, a preamble
above the headings, quoted amounts with thousands separators, negatives written three ways,
day-first dates in several spellings, redacted names, company numbers that lost their leading
zeros, postcodes in and out of the hub's area (and some that are not postcodes), and a few lines
whose bytes are Windows-1252. Lines are written as they are made, so memory stays flat.
"""

import csv
import gzip
import random
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

POSTCODES = (Path(__file__).resolve().parent.parent / "data" / "geography"
             / "postcode_to_lad_ward_lsoa_S_DN_areas_aug2024.csv.gz")
PERIOD = "2021-22-Q3"
QUARTER_START, QUARTER_DAYS = date(2021, 10, 1), 92
# The quarter after it, for a partner's next return (bench/ingest.py --next-quarter).
NEXT_PERIOD = "2021-22-Q4"
NEXT_QUARTER_START, NEXT_QUARTER_DAYS = date(2022, 1, 1), 90
HEADER = ("Organisation Name", "Organisation Code", "Effective Date", "Service Area",
          "Expense Type", "Payment Date", "Transaction Number", "Net Amount",
          "Irrecoverable VAT", "Capital or Revenue", "Supplier Name", "Supplier ID",
          "Company Number", "Charity Number", "Supplier Postcode", "Procurement Card")
PREAMBLE = ("Rotherham Metropolitan Borough Council - Payments over £500",
            '"Period: October to December 2021",,,{run}')
SUPPLIERS_HEADER = ("Supplier ID", "Supplier Name", "Company Number", "Charity Number",
                    "Site Postcode", "SME", "VCSE")

_WORDS = ("Acorn", "Anchor", "Beacon", "Castle", "Dale", "Don", "Elm", "Forge", "Grange", "Hallam",
          "Iron", "Keppel", "Lime", "Moor", "Northern", "Oak", "Pennine", "Quarry", "Rother",
          "Steel", "Town", "Valley", "Wharncliffe", "York", "Dearne", "Maltby", "Wath", "Canklow")
_TRADES = ("Care", "Construction", "Catering", "Cleaning", "Consulting", "Transport", "Print",
           "Waste", "Security", "Plumbing", "Electrical", "Supplies", "Homes", "Legal", "Fleet")
_SUFFIXES = ("Ltd", "Limited", "LTD", "Ltd.", "PLC", "& Co", "LLP", "", "", "CIC")
_ACCENTED = ("Café", "Crème", "Brontë", "Señor", "O’Brien", "Renée")
_REDACTED = ("REDACTED PERSONAL DATA", "Redacted", "Personal Information Withheld",
             "PRIVATE INDIVIDUAL")
_OUTSIDE = ("LS1 4AP", "M1 1AE", "B1 1BB", "NG1 5FS", "SW1A 2AA", "HD1 2TA", "WF1 2SR")
_INVALID = ("S60", "NOT KNOWN", "S60 2U", "12345", "DN99 9999")
_SERVICES = ("Adult Social Care", "Children and Young People", "Regeneration & Environment",
             "Finance and Customer Services", "Housing, Revenue Account", "Public Health")
_EXPENSES = ("Third Party Payments", "Supplies and Services", "Premises", "Transport",
             "Professional Fees", "Grants, Contributions", "Equipment", "Catering Provisions")
_DATE_FORMATS = ("{d:%d/%m/%Y}", "{d.day}/{d.month}/{d.year}", "{d:%d-%b-%Y}", "{d:%Y-%m-%d}",
                 "{d:%d.%m.%y}", "{d.day} {d:%B %Y}", "{d:%d/%m/%Y} 00:00:00")


def sample_postcodes(rng: random.Random, k: int = 3000) -> list[str]:
    """k real S/DN postcodes from the shipped lookup, by reservoir sampling (streams the file)."""
    chosen: list[str] = []
    with gzip.open(POSTCODES, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for i, row in enumerate(reader):
            if i < k:
                chosen.append(row[0])
            elif (j := rng.randrange(i + 1)) < k:
                chosen[j] = row[0]
    return chosen


def _spell_postcode(rng: random.Random, pc: str) -> str:
    """As typed: mostly canonical, sometimes lower case or without the space."""
    roll = rng.random()
    return pc.lower() if roll < 0.1 else pc.replace(" ", "") if roll < 0.2 else pc


def make_suppliers(rng: random.Random, count: int = 5000) -> list[tuple]:
    """(id, name, company, charity, postcode, cp1252) for each supplier, most frequent first:
    their postcodes drawn from 3,000 real ones, or a quarter as many as there are suppliers."""
    postcodes = sample_postcodes(rng, max(3000, count // 4))
    suppliers = []
    for i in range(count):
        words = [rng.choice(_WORDS), rng.choice(_TRADES)]
        # The most frequent suppliers are well kept; the mess is in the long tail.
        tail = i >= 100
        cp1252 = tail and i % 97 == 5  # names the finance system wrote in Windows-1252
        if cp1252 or i % 53 == 0:
            words.insert(0, rng.choice(_ACCENTED))
        name = " ".join(words + [rng.choice(_SUFFIXES), str(i)]).replace("  ", " ")
        company = str(rng.randrange(10_000, 13_999_999)) if rng.random() < 0.55 else ""
        charity = str(rng.randrange(200_000, 1_199_999)) if not company and rng.random() < 0.1 \
            else ""
        roll = rng.random()
        postcode = (_spell_postcode(rng, rng.choice(postcodes)) if roll < 0.45
                    else rng.choice(_OUTSIDE) if roll < 0.55
                    else rng.choice(_INVALID) if roll < 0.57 and tail else "")
        suppliers.append((f"V{100000 + i}", name, company, charity, postcode, cp1252))
    return suppliers


def _amount(rng: random.Random, extra: int = 0) -> str:
    pounds = round(rng.lognormvariate(7.0, 1.6), 2) + 500 + extra
    roll = rng.random()
    if roll < 0.60:
        return f"{pounds:.2f}"
    if roll < 0.85:
        return f'"{pounds:,.2f}"'
    if roll < 0.92:
        return f"-{pounds:.2f}"
    if roll < 0.96:
        return f'"({pounds:,.2f})"'
    return f'"£{pounds:,.2f}"'


def _quoted(text: str) -> str:
    return f'"{text}"' if "," in text else text


def write_spend(path: Path, lines: int, seed: int = 2021, run: str = "",
                suppliers: int | None = None, corrected: bool = False) -> list[tuple]:
    """Write ``lines`` payment lines to ``path``; returns the supplier pool it drew on.
    ``run`` goes in the preamble, so a rerun on the same database is not a replay. About 5,000
    suppliers repeating Zipf-like; or ``suppliers`` of them, every one paid (line n pays
    supplier n × 7919 mod N, as `write_trafford`). ``corrected``: the amount of one line in
    `CORRECTED_EVERY` a pound higher (the same seed gives the same file otherwise)."""
    rng = random.Random(seed)
    pool = make_suppliers(rng, suppliers or 5000)
    # Zipf-like: the supplier of rank r appears about 1/r as often as the most frequent one.
    weights = None if suppliers else list(accumulate(1 / (rank + 1) ** 1.05
                                                     for rank in range(len(pool))))
    with path.open("wb") as out:
        preamble = "\r\n".join(PREAMBLE).format(run=run)
        out.write(b"\xef\xbb\xbf" + preamble.encode("utf-8") + b"\r\n")
        out.write((",".join(HEADER) + "\r\n").encode("utf-8"))
        done = 0
        while done < lines:
            chunk = min(10_000, lines - done)
            picks = (rng.choices(pool, cum_weights=weights, k=chunk) if weights else
                     [pool[(n * 7919) % suppliers] for n in range(done, done + chunk)])
            out.write(b"".join(_line(rng, done + k, s, corrected)
                               for k, s in enumerate(picks)))
            done += chunk
    return pool


def _line(rng: random.Random, n: int, supplier: tuple, corrected: bool = False) -> bytes:
    sid, name, company, charity, postcode, cp1252 = supplier
    if rng.random() < 0.04:  # a payment to a person: name withheld, no identifiers
        sid, name, company, charity, postcode, cp1252 = "", rng.choice(_REDACTED), "", "", "", 0
    day = QUARTER_START + timedelta(days=rng.randrange(QUARTER_DAYS))
    if n % 5000 == 17:  # now and then a payment dated outside the quarter (a warning)
        day -= timedelta(days=40)
    paid = rng.choice(_DATE_FORMATS).format(d=day)
    text = ",".join((
        "Rotherham MBC", "E08000018", "31/12/2021", _quoted(rng.choice(_SERVICES)),
        _quoted(rng.choice(_EXPENSES)), paid, f"RMBC{7_000_000 + n}",
        _amount(rng, 1 if corrected and n % CORRECTED_EVERY == 0 else 0),
        "0.00", "R" if rng.random() < 0.9 else "Capital", _quoted(name), sid, company, charity,
        postcode, "No" if rng.random() < 0.97 else "Yes",
    )) + "\r\n"
    return text.encode("cp1252" if cp1252 else "utf-8")


def write_suppliers(path: Path, suppliers: list[tuple], every: int = 2, run: str = "") -> None:
    """A suppliers return naming every ``every``-th supplier, for the hub's register."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        out.write(f"Supplier register {run}\r\n")
        writer.writerow(SUPPLIERS_HEADER)
        for i, (sid, name, company, charity, postcode, _) in enumerate(suppliers):
            if i % every == 0:
                writer.writerow((sid, name, company, charity, postcode,
                                 "Yes" if i % 3 else "No", "No"))


# The Trafford layout (../shared/data/real/spend/trafford/): ISO dates, plain amounts, the
# supplier's own number in BeneficiaryOtherID, no postcodes or company numbers.
TRAFFORD_HEADER = ("OrganisationLabel", "OrganisationURI", "EffectiveDate", "OrganisationalUnit",
                   "BeneficiaryName", "BeneficiaryOtherID", "PaymentDate", "TransactionNumber",
                   "Amount", "IrrecoverableVATAmount", "Purpose", "ProclassLabel",
                   "ProclassCode", "InvoiceNumber", "ProfitCentre", "VATRegistrationNumber")
_URI = "https://opendatacommunities.org/id/metropolitan-district-council/trafford"
_UNITS = ("LIFT REPAIRS & MTCE", "Capital Schemes", "REGISTRATION TEAM", "PP:CEMETERIES GENERA",
          "Adult Social Care", "Highways Maintenance", "Schools Catering", "Waste Collection")
_PROCLASS = (("FACILITIES MGT : Lifts", "191400"), ("Not Classified", "NA"),
             ("MAIL SERVICES", "300000"), ("CONSTRUCTION : Open Spaces", "391300"),
             ("SOCIAL CARE : Residential", "510000"), ("FOOD : Catering", "220000"))
CORRECTED_EVERY = 100  # a corrected version changes one line in this many
# The narrow layout: the payment and supplier columns a partner must send, and two it usually
# does; nothing else (a quick COPY, so the hub's own work shows most).
NARROW_HEADER = ("Payment Date", "Supplier Name", "Supplier ID", "Amount", "Expense Type",
                 "Service Area")


def trafford_suppliers(count: int) -> list[tuple]:
    """``count`` distinct suppliers, each with its own stable number (BeneficiaryOtherID), in
    the shape of `make_suppliers` (id, name, company, charity, postcode, cp1252)."""
    return [(str(3000 + i), f"{_WORDS[i % len(_WORDS)]} {_TRADES[(i // 7) % len(_TRADES)]} "
             f"{i} {_SUFFIXES[i % 5]}".replace("  ", " ").strip(), "", "", "", 0)
            for i in range(count)]


def write_trafford(path: Path, lines: int, suppliers: int, seed: int = 2026, run: str = "",
                   corrected: bool = False, next_quarter: bool = False,
                   narrow: bool = False) -> list[tuple]:
    """``lines`` payment lines in the Trafford layout to ``suppliers`` distinct suppliers, every
    one of them paid (line n pays supplier n × 7919 mod N). ``corrected``: the same file with the
    amount of one line in `CORRECTED_EVERY` changed, as a partner's corrected version would be.
    ``next_quarter``: paid in `NEXT_PERIOD` rather than `PERIOD`. ``narrow``: the same payments
    in `NARROW_HEADER`'s six columns only. Returns the suppliers."""
    rng = random.Random(seed)
    pool = trafford_suppliers(suppliers)
    quarter = ((NEXT_QUARTER_START, NEXT_QUARTER_DAYS) if next_quarter
               else (QUARTER_START, QUARTER_DAYS))
    header, line = (NARROW_HEADER, _narrow_line) if narrow else (TRAFFORD_HEADER, _trafford_line)
    with path.open("wb") as out:
        out.write((",".join(header) + "\r\n").encode("utf-8"))
        done = 0
        while done < lines:
            chunk = min(10_000, lines - done)
            out.write("".join(line(rng, n, pool[(n * 7919) % suppliers], run, corrected, quarter)
                              for n in range(done, done + chunk)).encode("utf-8"))
            done += chunk
    return pool


def _paid(rng: random.Random, n: int, corrected: bool, quarter: tuple[date, int]
          ) -> tuple[int, date]:
    """A line's amount in pence and its day."""
    start, days = quarter
    pence = int(rng.lognormvariate(10.5, 1.5)) + 100
    if rng.random() < 0.05:
        pence = -pence
    if corrected and n % CORRECTED_EVERY == 0:
        pence += 100  # the correction: a pound more
    return pence, start + timedelta(days=rng.randrange(days))


def _narrow_line(rng: random.Random, n: int, supplier: tuple, run: str,
                 corrected: bool, quarter: tuple[date, int]) -> str:
    pence, day = _paid(rng, n, corrected, quarter)
    rng.randrange(len(_PROCLASS))  # drawn as the Trafford line draws it: the same payments
    purpose = f"Invoice {run}" if n == 0 else "Services"  # new bytes each run
    return (f"{day:%d/%m/%Y},{_quoted(supplier[1])},{supplier[0]},{pence / 100:.2f},{purpose},"
            f"{_quoted(_UNITS[n % len(_UNITS)])}\r\n")


def _trafford_line(rng: random.Random, n: int, supplier: tuple, run: str,
                   corrected: bool, quarter: tuple[date, int]) -> str:
    start, days = quarter
    sid, name = supplier[0], supplier[1]
    pence, day = _paid(rng, n, corrected, quarter)
    label, code = _PROCLASS[rng.randrange(len(_PROCLASS))]
    purpose = f"Invoice {run}" if n == 0 else "Services"  # new bytes each run
    return (f"Trafford Council,{_URI},{start + timedelta(days=days - 1)},"
            f"{_quoted(_UNITS[n % len(_UNITS)])},{_quoted(name)},{sid},{day},{5100500000 + n},"
            f"{pence / 100:.2f},0.00,{purpose},{_quoted(label)},{code},{68000 + n},"
            f"{250000 + n % 900},GB{812311285 + int(sid)}\r\n")
