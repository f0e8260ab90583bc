"""A small, fully known world of returns for the view tests, submitted through the service.

Suppliers (company number -> key GB-COH-0xxxxxxx) and where they are:
  A Rother Widgets Ltd    1111111  S60 2UD  Rotherham  E08000018   SME (from the register)
  B Sheaf Steel plc       2222222  S1 2HH   Sheffield  E08000019
  C Donny Doors CIC       3333333  DN1 1AA  Doncaster  E08000017   VCSE (from the register)
  D Leeds Lamps Ltd       4444444  LS1 4AP  outside the postcode areas the hub covers
  E Scunthorpe Scaffolds  5555555  DN15 6AA North Lincolnshire E06000013: located, outside the MCA
  F Nowhere Known Ltd     (ID N1)  none     unknown
  G Barnsley Bricks Ltd   6666666  DN5 7HP  Barnsley   E08000016
  R REDACTED PERSONAL DATA         none     unknown, no supplier key
"""

from exchange.context import get_blobs, get_uow
from exchange.ingest.submissions import StoredFile, Submission, submit_return

Q1, Q2 = "2021-22-Q1", "2021-22-Q2"
BARNSLEY, DONCASTER, ROTHERHAM, SHEFFIELD = "E08000016", "E08000017", "E08000018", "E08000019"

SPEND_HEADER = ("Payment date,Amount (GBP),Supplier name,Supplier ID,Company number,"
                "Supplier postcode\n")
SUPPLIERS = (
    "Supplier ID,Supplier name,Company number,Trading site postcode,SME (yes/no/unknown),"
    "VCSE (yes/no/unknown)\n"
    "A,Rother Widgets Ltd,1111111,S60 2UD,yes,no\n"
    "C,Donny Doors CIC,3333333,DN1 1AA,no,yes\n"
)
A = "Rother Widgets Ltd,A,1111111,S60 2UD"
B = "Sheaf Steel plc,B,2222222,S1 2HH"
C = "Donny Doors CIC,C,3333333,DN1 1AA"
D = "Leeds Lamps Ltd,D,4444444,LS1 4AP"
E = "Scunthorpe Scaffolds Ltd,E,5555555,DN15 6AA"
F = "Nowhere Known Ltd,N1,,"
G = "Barnsley Bricks Ltd,G,6666666,DN5 7HP"
R = "REDACTED PERSONAL DATA,,,"

RMBC_Q1_V1 = [("05/04/2021", "999.00", A)]
RMBC_Q1 = [
    ("06/04/2021", "1000.00", A),
    ("07/04/2021", "30000.00", A),
    ("08/04/2021", "2000.00", B),
    ("09/04/2021", "500.00", D),
    ("10/04/2021", "-100.00", A),       # credit note
    ("11/04/2021", "300.00", R),        # redacted
    ("12/04/2021", "700.00", F),
    ("13/04/2021", "26000.00", E),
]
TRFT_Q1 = [
    ("06/05/2021", "40000.00", A),      # A is shared with rmbc
    ("07/05/2021", "25000.00", C),
    ("08/05/2021", "-25000.00", B),     # a credit note at the threshold
]
SYP_Q1 = [
    ("06/06/2021", "5000.00", B),
    ("07/06/2021", "600.00", G),
]
RMBC_Q2 = [("06/07/2021", "200.00", A)]


def spend_csv(lines) -> str:
    return SPEND_HEADER + "".join(f"{day},{amount},{who}\n" for day, amount, who in lines)


def submit(text: str, partner: str, kind: str = "spend", period: str = Q1,
           profile: str | None = "template"):
    data = text.encode("utf-8")
    sha, size = get_blobs().save_bytes(data)
    sub = Submission(partner, kind, period, "test", profile=profile)
    receipt = submit_return(sub, StoredFile(sha, size, f"{kind}.csv", "text/csv"), get_uow(),
                            get_blobs())
    assert receipt.status == "accepted", [i.message for i in receipt.issues]
    return receipt


def build_world() -> dict:
    """Submit the returns above; rmbc's Q1 spend is submitted twice (v1 is superseded)."""
    ids = {"suppliers": submit(SUPPLIERS, "rmbc", "suppliers").id}
    ids["rmbc_q1_v1"] = submit(spend_csv(RMBC_Q1_V1), "rmbc").id
    ids["rmbc_q1"] = submit(spend_csv(RMBC_Q1), "rmbc").id
    ids["trft_q1"] = submit(spend_csv(TRFT_Q1), "trft").id
    ids["syp_q1"] = submit(spend_csv(SYP_Q1), "syp").id
    ids["rmbc_q2"] = submit(spend_csv(RMBC_Q2), "rmbc", period=Q2).id
    return ids
