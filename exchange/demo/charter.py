"""Demo charter returns in the hub's template: commitments progress, measures, contributions."""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from exchange.demo.plan import Plan
from exchange.demo.spend import _csv
from exchange.demo.world import ROTHERHAM, Supplier
from exchange.periods import Period
from partners.template.labels import LABELS

# What a partner the size of the borough council aims for, by the commitment's unit.
TARGETS = {"employees": 5200, "percent": 30, "people": 120, "starts": 80, "hours": 4000,
           "services": 6, "tCO2e": 1500}
# A quarter's figure for a partner the size of the borough council, by measure code.
MEASURES = {"living_wage_employees": 5100, "local_employees": 3600, "into_employment": 45,
            "apprenticeship_starts": 28, "training_weeks": 260, "volunteering_hours": 1400,
            "carbon_saved": 95}
BENEFICIARIES = ("Clifton Park Community Garden", "Rotherham Food Network", "Maltby Youth Club",
                 "Dearne Valley Men's Shed", "Eastwood Village Community Centre",
                 "Rawmarsh Junior Parkrun", "Kimberworth Park Foodbank",
                 "Thrybergh Country Park Friends", "Swinton Lock Activity Centre",
                 "Parkgate Digital Skills Club")
ROTHERHAM_WARDS = ("Boston Castle", "Keppel", "Rother Vale", "Maltby East", "Rawmarsh East",
                   "Swinton Rockingham", "Dinnington", "Wath", "Kilnhurst and Swinton East",
                   "Brinsworth")
SHEFFIELD_WARDS = ("Darnall", "Burngreave", "Firth Park", "Manor Castle", "Park and Arbourthorne",
                   "Southey", "Shiregreen and Brightside")


@dataclass(frozen=True)
class Commitment:
    code: str
    unit: str | None


def _template(kind: str, rows: list[list[str]]) -> bytes:
    return _csv([list(LABELS[kind].values()), *rows], "utf-8")


def commitments_file(plan: Plan, commitments: list[Commitment], period: Period) -> bytes:
    """Each charter commitment's status, moving from not started to achieved over the year."""
    rows = []
    for c in commitments:
        rng = random.Random(f"{plan.slug}:{c.code}:commitment")
        start = rng.choice((0, 0, 1, 1, 2, 3))
        achieve = rng.choice((2, 3, 4, 4, None, None))
        target = Decimal(TARGETS.get(c.unit or "", 50))
        if c.unit not in ("percent", "services"):
            target = max(Decimal(1), (target * Decimal(str(plan.size))).quantize(Decimal(1)))
        q = period.quarter
        if achieve is not None and q >= achieve:
            status, share = "achieved", 1.0 + rng.random() * 0.1
        elif q >= start:
            status, share = "in_progress", min(0.95, 0.25 + 0.18 * q + rng.random() * 0.1)
        else:
            status, share = "not_started", 0.0
        actual = (target * Decimal(f"{share:.3f}")).quantize(Decimal(1))
        achieved_on = ""
        if status == "achieved":
            first = Period(period.year, achieve)
            achieved_on = (first.start + timedelta(rng.randrange(80))).isoformat()
        evidence = {"achieved": f"Met in {Period(period.year, achieve or 1)}; reported to the "
                                "partnership board.",
                    "in_progress": f"{actual} of {target} {c.unit or ''} so far; plan agreed.",
                    "not_started": "Planned for later in the year."}[status]
        rows.append([c.code, status, str(target), str(actual), c.unit or "", evidence,
                     f"https://{plan.slug}.example/social-value/{c.code}", achieved_on])
    return _template("commitments", rows)


def measures_file(plan: Plan, units: dict[str, str], period: Period) -> bytes:
    """A quarter's outcome measures, scaled to the partner's size (small ones fall below 5)."""
    rng = random.Random(f"{plan.slug}:{period}:measures")
    rows = []
    for code, unit in units.items():
        base = MEASURES.get(code, 10) * plan.size * (0.85 + rng.random() * 0.3)
        base *= 1 + 0.04 * period.quarter
        value = Decimal(f"{base:.1f}") if unit == "tCO2e" else Decimal(round(base))
        rows.append([code, str(value), unit, ""])
    return _template("measures", rows)


def contributions_file(plan: Plan, businesses: list[Supplier], period: Period) -> bytes:
    """Businesses' volunteering, donations and gifts in kind that the partner brokered."""
    rng = random.Random(f"{plan.slug}:{period}:contributions")
    wards = SHEFFIELD_WARDS if ROTHERHAM not in plan.local else ROTHERHAM_WARDS
    rows = []
    for _ in range(rng.randint(18, 40)):
        who = rng.choice(businesses)
        org_id = (f"GB-COH-{who.company_number}" if who.company_number
                  else f"GB-CHC-{who.charity_number}" if who.charity_number else "")
        kind = rng.choices(("volunteering_hours", "cash_donation", "in_kind"), (5, 3, 2))[0]
        quantity, value = "", ""
        if kind == "volunteering_hours":
            quantity = str(rng.choice((4, 7, 8, 14, 16, 21, 24, 35, 40, 70, 120)))
        elif kind == "cash_donation":
            value = f"{rng.choice((100, 150, 250, 500, 750, 1000, 2500, 5000)):.2f}"
        else:
            quantity = str(rng.randint(1, 50))
            value = f"{rng.randint(50, 3000):.2f}"
        day = period.start + timedelta(rng.randrange((period.end - period.start).days + 1))
        rows.append([who.name, org_id, who.postcode or "", kind, quantity, value,
                     rng.choice(BENEFICIARIES), rng.choice(wards), day.isoformat()])
    return _template("contributions", rows)
