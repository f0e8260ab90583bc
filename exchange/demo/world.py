"""The demo's imaginary suppliers: names, identifiers and real postcodes from the shipped lookup.

Everything is drawn from one seeded random generator, so the same suppliers (and therefore the same
file bytes) come out on every run and every machine.
"""

import csv
import gzip
import io
import random
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from exchange.services.directory.geography import DEFAULT_POSTCODES

ROTHERHAM, SHEFFIELD, DONCASTER, BARNSLEY = "E08000018", "E08000019", "E08000017", "E08000016"
SOUTH_YORKSHIRE = (ROTHERHAM, SHEFFIELD, DONCASTER, BARNSLEY)
# In the S and DN areas but outside South Yorkshire: North Lincolnshire (DN15…), Bassetlaw,
# Chesterfield.
NEARBY = ("E06000013", "E07000171", "E07000034")
# Real postcodes in areas the shipped lookup does not cover: the hub says "outside".
FAR_AWAY = ("LS1 4AP", "M1 1AE", "B1 1BB", "LS11 5DJ", "HU1 2AA", "NG1 5FW", "WF1 2EB",
            "EC2V 7HH", "BD1 1HY", "YO1 7HH", "M60 2LA", "LE1 5WW", "SW1A 2AA", "L3 4AF")
# Well-formed postcodes inside the covered areas that the lookup does not hold: "unknown".
NOT_IN_LOOKUP = ("S60 9ZZ", "S1 9ZZ", "DN1 9ZZ")

_PLACES = ("Wentworth", "Don Valley", "Rother", "Clifton", "Maltby", "Wath", "Dearne", "Brinsworth",
           "Kiveton", "Aston", "Thrybergh", "Swinton", "Sheaf", "Hallam", "Pennine", "Northern",
           "Yorkshire", "Steel City", "Magna", "Canklow", "Rawmarsh", "Dinnington", "Hoyland",
           "Mexborough", "Conisbrough", "Stocksbridge", "Penistone", "Thorne", "Bawtry",
           "Kimberworth",
           "Greasbrough", "Wickersley", "Bramley", "Tinsley", "Attercliffe", "Handsworth")
_SURNAMES = ("Hartley", "Bramall", "Firth", "Cutler", "Holt", "Wragg", "Staniforth", "Turton",
             "Cawthorne", "Fretwell", "Hobson", "Marsden", "Senior", "Shaw", "Walker", "Beever",
             "Dyson", "Gledhill", "Hague", "Ibbotson", "Jessop", "Lodge", "Outram", "Pashley")
_TRADES = ("Joinery", "Electrical Services", "Catering", "Facilities Management", "Care Services",
           "Transport", "Print", "IT Solutions", "Consulting", "Plumbing and Heating",
           "Cleaning Services", "Landscapes", "Scaffolding", "Roofing", "Training", "Security",
           "Medical Supplies", "Laboratory Services", "Engineering", "Construction",
           "Waste Management", "Fleet Services", "Foods", "Office Supplies", "Fire Protection",
           "Surveying", "Glazing", "Signs", "Lifts", "Software", "Recruitment", "Home Care")
_SUFFIXES = ("Ltd", "Limited", "Ltd", "Limited", "LLP", "& Sons Ltd", "Group Ltd", "UK Ltd")
_CAUSES = ("Community", "Carers", "Youth", "Food Bank", "Credit Union", "Sports", "Arts",
           "Mental Health", "Women's Aid", "Disability", "Heritage", "Allotments", "Men's Shed")
_VCSE_FORMS = ("Trust", "CIC", "Association", "Foundation", "Partnership", "Network")


@dataclass(frozen=True)
class Supplier:
    """A supplier as the demo world knows it; partners each hold their own view of it."""

    number: int
    name: str
    company_number: str | None
    charity_number: str | None
    vat_number: str | None
    postcode: str | None  # of the site that works for the partners; None when nobody knows
    registered_postcode: str | None
    home: str  # a LAD code, "nearby", "far" or "unknown": where the draw placed it
    sme: str  # yes / no / unknown
    vcse: str
    national: bool  # a big firm every partner buys from


def load_postcodes(geography_dir: str | Path) -> dict[str, list[str]]:
    """Postcodes of the shipped lookup by LAD code, in file order."""
    by_lad: dict[str, list[str]] = {}
    with gzip.open(Path(geography_dir) / DEFAULT_POSTCODES, "rb") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            if row["lad_code"]:
                by_lad.setdefault(row["lad_code"], []).append(row["pcds"])
    return by_lad


class World:
    """The pool of suppliers the demo partners buy from."""

    def __init__(self, postcodes: dict[str, list[str]], seed: str, size: int = 1600):
        rng = random.Random(f"{seed}:world")
        self.postcodes = postcodes
        self.suppliers: list[Supplier] = []
        names: set[str] = set()
        companies: set[str] = set()
        homes = [(ROTHERHAM, 30), (SHEFFIELD, 22), (DONCASTER, 12), (BARNSLEY, 10),
                 ("nearby", 6), ("far", 8), ("unknown", 6)]
        for number in range(size):
            national = number < 60
            home = "far" if national and number % 3 else rng.choices(
                [h for h, _ in homes], [w for _, w in homes])[0]
            vcse = not national and rng.random() < 0.09
            name = self._name(rng, names, vcse)
            company = None if vcse and rng.random() < 0.6 else self._company(rng, companies)
            postcode = self._postcode(rng, home)
            registered = postcode if rng.random() < 0.7 else self._postcode(rng, "far")
            self.suppliers.append(Supplier(
                number=number, name=name, company_number=company,
                charity_number=f"{rng.randint(1000000, 1199999)}" if vcse else None,
                vat_number=None if vcse else f"GB{rng.randint(100000000, 999999999)}",
                postcode=postcode, registered_postcode=None if home == "unknown" else registered,
                home=home, sme="no" if national else rng.choices(("yes", "no", "unknown"),
                                                                 (70, 18, 12))[0],
                vcse="yes" if vcse else rng.choices(("no", "unknown"), (85, 15))[0],
                national=national))

    def _name(self, rng: random.Random, taken: set[str], vcse: bool) -> str:
        while True:
            if vcse:
                name = f"{rng.choice(_PLACES)} {rng.choice(_CAUSES)} {rng.choice(_VCSE_FORMS)}"
            elif rng.random() < 0.5:
                name = f"{rng.choice(_PLACES)} {rng.choice(_TRADES)} {rng.choice(_SUFFIXES)}"
            else:
                name = f"{rng.choice(_SURNAMES)} {rng.choice(_TRADES)} {rng.choice(_SUFFIXES)}"
            key = name.upper().replace("LIMITED", "LTD")
            if key not in taken:
                taken.add(key)
                return name

    @staticmethod
    def _company(rng: random.Random, taken: set[str]) -> str:
        while True:
            number = (f"SC{rng.randint(100000, 799999)}" if rng.random() < 0.03
                      else f"{rng.randint(100000, 14999999):08d}")
            if number not in taken:
                taken.add(number)
                return number

    def _postcode(self, rng: random.Random, home: str) -> str | None:
        if home == "unknown":
            return rng.choice(NOT_IN_LOOKUP) if rng.random() < 0.3 else None
        if home == "far":
            return rng.choice(FAR_AWAY)
        if home == "nearby":
            return rng.choice(self.postcodes[rng.choice(NEARBY)])
        return rng.choice(self.postcodes[home])

    def suppliers_of(self, slug: str, local: tuple[str, ...], count: int,
                     seed: str) -> list[Supplier]:
        """The suppliers a partner buys from: every national firm, then a draw that favours its
        own districts, then the rest of South Yorkshire."""
        rng = random.Random(f"{seed}:{slug}:suppliers")
        chosen = [s for s in self.suppliers if s.national][:count // 4]
        weights = []
        for supplier in self.suppliers:
            if supplier.national:
                weights.append(0.0 if supplier in chosen else 0.5)
            elif supplier.home in local:
                weights.append(9.0)
            elif supplier.home in SOUTH_YORKSHIRE:
                weights.append(1.5)
            else:
                weights.append(1.0)
        cumulative = list(accumulate(weights))
        picked: set[int] = set()
        while len(picked) < count - len(chosen):
            picked.add(rng.choices(range(len(self.suppliers)), cum_weights=cumulative)[0])
        return chosen + [self.suppliers[i] for i in sorted(picked)]
