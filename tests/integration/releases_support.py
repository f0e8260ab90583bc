"""A quarter of South Yorkshire returns for the release tests, submitted through the service.

Suppliers (names are made up; postcodes are real units of each district):

| supplier | where | paid by |
| --- | --- | --- |
| Alpha, Bravo, Charlie, Delta | Sheffield | scc (Alpha also by syp and dmbc) |
| Echo | Rotherham | scc, syp |
| Foxtrot, Golf, Hotel | outside (Leeds) | scc |
| India | unknown (no postcode) | scc |
| Juliet, Kilo | Sheffield | syp |
| Lima | Rotherham | syp |
| Mike | Doncaster | syp |
| November | Barnsley | syp |
| Oscar | outside | syp |
| Papa, Quebec, Romeo | Doncaster | dmbc |

scc pays one Rotherham supplier (Echo): its flow to Rotherham must be suppressed, and so must
whatever would give it away."""

from exchange.context import get_blobs, get_uow
from exchange.ingest.submissions import StoredFile, Submission, submit_return

Q1 = "2021-22-Q1"
SHEFFIELD, ROTHERHAM, DONCASTER, BARNSLEY = "S1 2HH", "S62 5QT", "DN5 7WR", "S72 0BZ"
LEEDS = "LS1 4AP"
HEADER = "Payment Date,Amount,Supplier Name,Supplier Postcode\n"

SCC = HEADER + (
    f"03/05/2021,1000.00,Alpha Ltd,{SHEFFIELD}\n"
    "04/05/2021,2000.00,Bravo Ltd,S5 7QF\n"
    "05/05/2021,1500.00,Charlie Ltd,S9 4LJ\n"
    "06/05/2021,500.00,Delta Ltd,S17 4QB\n"
    f"07/05/2021,700.00,Echo Ltd,{ROTHERHAM}\n"
    f"10/05/2021,300.00,Foxtrot Ltd,{LEEDS}\n"
    f"11/05/2021,400.00,Golf Ltd,{LEEDS}\n"
    f"12/05/2021,250.00,Hotel Ltd,{LEEDS}\n"
    "13/05/2021,90.00,India Ltd,\n"
)
SYP = HEADER + (
    f"03/05/2021,800.00,Alpha Ltd,{SHEFFIELD}\n"
    f"04/05/2021,600.00,Juliet Ltd,{SHEFFIELD}\n"
    f"05/05/2021,450.00,Kilo Ltd,{SHEFFIELD}\n"
    f"06/05/2021,120.00,Echo Ltd,{ROTHERHAM}\n"
    f"07/05/2021,330.00,Lima Ltd,{ROTHERHAM}\n"
    f"10/05/2021,220.00,Mike Ltd,{DONCASTER}\n"
    f"11/05/2021,180.00,November Ltd,{BARNSLEY}\n"
    f"12/05/2021,900.00,Oscar Ltd,{LEEDS}\n"
    "13/05/2021,75.00,REDACTED PERSONAL DATA,\n"
)
DMBC = HEADER + (
    f"03/05/2021,100.00,Papa Ltd,{DONCASTER}\n"
    f"04/05/2021,200.00,Quebec Ltd,{DONCASTER}\n"
    f"05/05/2021,300.00,Romeo Ltd,{DONCASTER}\n"
    f"06/05/2021,50.00,Alpha Ltd,{SHEFFIELD}\n"
)
NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India",
         "Juliet", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo",
         "REDACTED", "Joinery", "Magna")


def submit(text: str, partner: str, kind: str = "spend", period: str = Q1):
    data = text.encode("utf-8")
    sha, size = get_blobs().save_bytes(data)
    receipt = submit_return(Submission(partner, kind, period, "test"),
                            StoredFile(sha, size, f"{kind}.csv", "text/csv"), get_uow(),
                            get_blobs())
    assert receipt.status == "accepted", [i.message for i in receipt.issues]
    return receipt


def build_quarter() -> dict[str, int]:
    """Spend of scc, syp and dmbc; measures, commitments and contributions: return ids."""
    ids = {"scc": submit(SCC, "scc").id, "syp": submit(SYP, "syp").id,
           "dmbc": submit(DMBC, "dmbc").id}
    ids["scc_measures"] = submit("Measure,Value,Unit\nliving_wage_employees,3,people\n"
                                 "local_employees,40,people\n", "scc", "measures").id
    ids["syp_measures"] = submit("Measure,Value,Unit\nliving_wage_employees,12,people\n"
                                 "carbon_saved,2.5,tCO2e\n", "syp", "measures").id
    ids["syp_commitments"] = submit("Commitment,Status\nliving_wage,achieved\n"
                                    "local_spend,in_progress\n", "syp", "commitments").id
    ids["scc_commitments"] = submit("Commitment,Status\nliving_wage,in_progress\n", "scc",
                                    "commitments").id
    ids["var_contributions"] = submit(
        "Contributor name,Contribution type,Quantity,Value (GBP)\n"
        "Don Valley Joinery Ltd,volunteering_hours,16,\n"
        "Magna Trust,volunteering_hours,10,\n"
        "Canklow Cafe,volunteering_hours,4,\n"
        "Don Valley Joinery Ltd,cash_donation,,250.00\n", "var", "contributions").id
    return ids
