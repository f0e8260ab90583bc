"""How much of a figure's spend was located, and by which source; and the one method every share
is computed by. The glossary (``/glossary#shares``) says the same in words; views, feeds and
reports link to it.

The method, once:

- A **net** is a supplier's spend in one partner's quarterly return: its payments less its
  credit notes, among the lines a figure counts (its basis), for each location, source and
  SME/VCSE flag its lines carry. Redacted lines name no supplier: a return's redacted lines are
  netted together, as one payee.
- Shares are sums of **positive** nets. A supplier whose net is zero or negative (it was credited
  more than it was paid) is left out of the numerator and the denominator alike, and reported
  beside the shares as ``net_credit_suppliers`` and ``net_credit_spend``. So every share lies
  within [0, 1] whatever the mix of payments and credit notes.
- **Coverage** is the located part of those nets (a known LAD, or outside the hub's area) over
  all of them, split by how the location was known (`SOURCES`).
- The **local** and **sub-regional** shares are of located spend, and are given only when
  coverage reaches the minimum (setting ``LOCATED_SHARE_MINIMUM``, default 0.5); below it they
  are ``null`` with the reason "not enough spend located"."""

from decimal import ROUND_HALF_UP, Decimal

from config import default

# How a line's location was known: its own postcode, its partner's suppliers return, another
# partner's entry by organisation identifier, the companies register, or not at all.
SOURCES = ("line", "register", "identifier", "companies_register", "unknown")
NOT_ENOUGH = "not enough spend located"
METHOD_URL = "/glossary#shares"
METHOD = ("Shares are of spend netted per supplier in each partner's quarterly return; "
          "suppliers whose net is not positive are left out of both sides and counted "
          "separately. Local and sub-regional shares are of located spend, given only when "
          "enough of the spend is located.")
LOCATION_SHARES = ("local_share", "subregional_share")

_settings = {"minimum": Decimal(str(default.LOCATED_SHARE_MINIMUM))}


def configure(config) -> None:
    """Take ``LOCATED_SHARE_MINIMUM`` from the app's settings (create_app calls this)."""
    value = Decimal(str(config.get("LOCATED_SHARE_MINIMUM", default.LOCATED_SHARE_MINIMUM)))
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError(f"LOCATED_SHARE_MINIMUM must be between 0 and 1, not {value}")
    _settings["minimum"] = value


def minimum() -> Decimal:
    return _settings["minimum"]


def money(pence: int) -> str:
    return str((Decimal(pence) / 100).quantize(Decimal("0.01")))


def share(part: int, whole: int) -> float | None:
    if whole == 0:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


class ShareSums:
    """Positive nets in pence (``total``, and its ``local``, ``subregional``, ``unknown``,
    ``sme`` and ``vcse`` parts, ``sources``: by source) and the nets left out (``credit``,
    ``credit_suppliers``)."""

    __slots__ = ("total", "local", "subregional", "unknown", "sme", "vcse", "sources",
                 "credit", "credit_suppliers")

    def __init__(self):
        for name in self.__slots__:
            setattr(self, name, 0)
        self.sources = dict.fromkeys(SOURCES, 0)

    def add(self, location: str, source: str, counted: bool, amount: int, sme: int, vcse: int,
            suppliers: int, local: set[str], region: set[str], unknown: str) -> None:
        if not counted:
            self.credit += amount
            self.credit_suppliers += suppliers
            return
        self.total += amount
        self.local += amount if location in local else 0
        self.subregional += amount if location in region else 0
        self.unknown += amount if location == unknown else 0
        self.sme += sme
        self.vcse += vcse
        # a source the hub does not know yet still counts, under its own name
        self.sources[source] = self.sources.get(source, 0) + amount


def share_kpis(acc: ShareSums) -> dict:
    """The shares of one cell, with their coverage and the nets left out, JSON-ready."""
    located = acc.total - acc.unknown
    coverage = share(located, acc.total)
    enough = coverage is not None and Decimal(str(coverage)) >= minimum()
    withheld = {} if enough or coverage is None else dict.fromkeys(LOCATION_SHARES, NOT_ENOUGH)
    return {
        "local_share": share(acc.local, located) if enough else None,
        "subregional_share": share(acc.subregional, located) if enough else None,
        "sme_share": share(acc.sme, acc.total), "vcse_share": share(acc.vcse, acc.total),
        "withheld": withheld,
        "coverage": {
            "located_share": coverage, "located_spend": money(located),
            "counted_spend": money(acc.total), "minimum": float(minimum()),
            "by_source": {source: share(amount, acc.total)
                          for source, amount in acc.sources.items()},
        },
        "net_credit_suppliers": acc.credit_suppliers, "net_credit_spend": money(acc.credit),
        "method": METHOD_URL,
    }


def withheld_text(kpis: dict, key: str) -> str | None:
    """'not enough spend located (12.5% located)' when ``key`` is withheld in ``kpis``."""
    reason = (kpis or {}).get("withheld", {}).get(key)
    if reason is None:
        return None
    located = kpis["coverage"]["located_share"]
    return f"{reason} ({Decimal(str(located)) * 100:.1f}% located)"


SOURCE_WORDS = {"line": "the line's postcode", "register": "the partner's suppliers return",
                "identifier": "another partner's entry (by identifier)",
                "companies_register": "the companies register", "unknown": "not located"}


def located_text(kpis: dict | None, percent) -> str:
    """'98.3% located (the line's postcode 98.3%)': how much spend was located, and how;
    ``percent`` writes a share."""
    found = (kpis or {}).get("coverage") or {}
    if found.get("located_share") is None:
        return "–"
    parts = [f"{SOURCE_WORDS.get(source, source)} {percent(value)}"
             for source, value in found["by_source"].items() if value and source != "unknown"]
    return f"{percent(found['located_share'])} located" + (
        f" ({', '.join(parts)})" if parts else "")
