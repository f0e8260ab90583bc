"""Fixtures of the report tests: a small, fully known world of returns over two years."""

import pytest

from exchange.context import get_uow
from exchange.ingest.submissions import StoredFile, Submission, submit_return
from tests.integration.views_support import build_world, spend_csv, submit

YEAR, PREVIOUS = "2021-22", "2020-21"
Q1, Q2, Q3 = "2021-22-Q1", "2021-22-Q2", "2021-22-Q3"
BEFORE_Q1 = "2020-21-Q1"
A = "Rother Widgets Ltd,A,1111111,S60 2UD"
B = "Sheaf Steel plc,B,2222222,S1 2HH"
COMMITMENTS = ("Commitment,Status,Target,Actual,Unit\n"
               "living_wage,achieved,100,100,employees\n"
               "local_spend,in_progress,60,55,percent\n"
               "apprenticeships,not_started,10,0,starts\n")
MEASURES = ("Measure,Value,Unit\napprenticeship_starts,4,starts\n"
            "volunteering_hours,120,hours\nliving_wage_employees,350,people\n")
CONTRIBUTIONS = ("Contributor name,Contribution type,Quantity,Value (GBP)\n"
                 "Don Valley Joinery Ltd,volunteering_hours,16,\n"
                 "Magna Trust,cash_donation,,100.00\n")


def submit_demo(text: str, partner: str, kind: str, period: str):
    """A return marked as demo data, as ``hub demo`` marks its returns."""
    from exchange.context import get_blobs

    data = text.encode()
    sha, size = get_blobs().save_bytes(data)
    receipt = submit_return(Submission(partner, kind, period, "test", profile="template",
                                       is_demo=True),
                            StoredFile(sha, size, f"{kind}.csv", "text/csv"), get_uow(),
                            get_blobs())
    assert receipt.status == "accepted", [i.message for i in receipt.issues]
    return receipt


@pytest.fixture
def world(app) -> dict:
    """views_support's world (2021-22 Q1 and Q2 spend), plus a year-earlier quarter for the
    comparison, charter, measures and contributions returns, and one line dated outside its
    quarter (a warning)."""
    ids = build_world()
    ids["before_q1"] = submit(spend_csv([("06/04/2020", "4000.00", A),
                                         ("07/04/2020", "6000.00", B)]), "rmbc",
                              period=BEFORE_Q1).id
    ids["syp_q2"] = submit(spend_csv([("06/06/2021", "800.00", A)]), "syp", period=Q2)
    ids["syp_q2"] = ids["syp_q2"].id
    ids["commitments"] = submit(COMMITMENTS, "rmbc", "commitments", Q2).id
    ids["measures"] = submit(MEASURES, "rmbc", "measures", Q1).id
    ids["contributions"] = submit(CONTRIBUTIONS, "var", "contributions", Q1).id
    return ids
