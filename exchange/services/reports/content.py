"""The parts of a report that are more than the partnership view: achievements against each aim
of the Social Value Policy, and the data-quality section."""

from collections import Counter
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from exchange.models import MeasureDefinition, ReturnIssue
from exchange.services.cycle import windows
from exchange.unit_of_work import UnitOfWork
from exchange.views import coverage
from schemas.issues import WARNING

# The four aims of the Social Value Policy (see the scrutiny board's minutes), in its order.
AIMS = (
    ("living_wage", "The real Living Wage",
     "Raising the living standards of residents, working towards the Living Wage Foundation's "
     "real Living Wage."),
    ("local_spend", "Spend with local businesses and providers",
     "Increasing the share of spend that goes to local businesses and providers."),
    ("social_value_contracts", "Social value built into contracts",
     "Building social value into all contracts and measuring the impact of every pound spent."),
    ("co_design", "Co-design",
     "Co-designing services with the people who use them wherever possible."),
)
REPORTED = ("achieved", "in_progress", "not_started")
WARNINGS_LISTED = 50


def aims(place_name: str, scoreboard: list[dict], measures: list[dict],
         definitions: dict[str, dict], headline: dict, previous: dict) -> list[dict]:
    """Each aim with the commitments and measures that evidence it, and the local share for the
    local-spend aim; ``has_data`` is False, and ``summary`` says so, when nothing was reported."""
    out = []
    for code, title, text in AIMS:
        commitments = [_commitment(c) for c in scoreboard if c["aim"] == code]
        evidence = [m for m in measures if definitions.get(m["code"], {}).get("aim") == code]
        kpis = _local_kpis(headline, previous) if code == "local_spend" else None
        reported = sum(c["reported"] for c in commitments)
        has_data = bool(reported or evidence or (kpis and (
            kpis["local_share"] is not None or kpis["withheld"])))
        out.append({
            "code": code, "title": title, "policy": text, "commitments": commitments,
            "measures": evidence, "kpis": kpis, "has_data": has_data,
            "summary": _summary(place_name, commitments, evidence, kpis, has_data),
        })
    return out


def _commitment(commitment: dict) -> dict:
    counts = Counter(p["status"] for p in commitment["partners"])
    return {"code": commitment["code"], "title": commitment["title"], "unit": commitment["unit"],
            "achieved": counts["achieved"], "in_progress": counts["in_progress"],
            "not_started": counts["not_started"], "not_reported": counts["not_reported"],
            "reported": sum(counts[s] for s in REPORTED),
            "partners": [p for p in commitment["partners"] if p["status"] != "not_reported"]}


def _local_kpis(headline: dict, previous: dict) -> dict:
    now, before = headline.get("local_share"), previous.get("local_share")
    change = None if now is None or before is None else round((now - before) * 100, 1)
    return {"local_share": now, "previous_local_share": before, "change_points": change,
            "withheld": coverage.withheld_text(headline, "local_share"),
            "located": coverage.located_text(headline, _percent),
            "local_spend": headline["local_spend"], "total_spend": headline["total_spend"],
            "local_suppliers": headline["local_suppliers"]}


def _summary(place: str, commitments: list[dict], measures: list[dict], kpis: dict | None,
             has_data: bool) -> str:
    if not has_data:
        return ("No data: no partner reported a commitment or measure for this aim in these "
                "periods.")
    parts = []
    if kpis and kpis["withheld"]:
        parts.append(f"Local share: {kpis['withheld']}")
    elif kpis and kpis["local_share"] is not None:
        parts.append(f"{kpis['local_share'] * 100:.1f}% of the partners' located spend went to "
                     f"suppliers in {place} ({kpis['located']})")
        if kpis["change_points"] is not None:
            parts[-1] += f" ({kpis['change_points']:+.1f} points on the year before)"
    reported = [c for c in commitments if c["reported"]]
    if reported:
        counts = {s: sum(c[s] for c in reported) for s in REPORTED}
        parts.append(f"partners reported on {len(reported)} of the {len(commitments)} charter "
                     f"commitments of this aim: {counts['achieved']} achieved, "
                     f"{counts['in_progress']} in progress, {counts['not_started']} not started")
    elif commitments:
        parts.append("no partner reported on the charter commitments of this aim")
    if measures:
        parts.append(f"{len(measures)} outcome "
                     f"{'measure' if len(measures) == 1 else 'measures'} reported")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def measure_definitions(uow: UnitOfWork) -> dict[str, dict]:
    """Every outcome measure's definition, with the proxy value used for social value."""
    with uow:
        found = uow.session.scalars(select(MeasureDefinition).order_by(MeasureDefinition.code))
        return {d.code: {"code": d.code, "name": d.name, "unit": d.unit, "aim": d.aim,
                         "toms_code": d.toms_code,
                         "proxy_value": None if d.proxy_value is None else str(d.proxy_value),
                         "proxy_per": d.proxy_per, "nature": d.nature,
                         "year_figure": d.year_figure,
                         "indicative": d.proxy_indicative} for d in found}


def submissions(uow: UnitOfWork, partner_ids: list[int], quarters: list[str], now: datetime,
                rules: windows.WindowRules | None = None) -> dict:
    """Late and missing returns of the report's quarters at ``now``, from the return windows
    (exchange.services.cycle.windows): what each partner owes, its deadline and its status."""
    with uow:
        found = windows.states(uow, quarters, now, rules=rules, partner_ids=partner_ids)
    rows = [_state(s) for s in found]
    counts = Counter(s.status for s in found)
    late = [r for r in rows if r["late"]]
    missing = [r for r in rows if r["status"] == windows.MISSING]
    return {
        "late": late, "missing": missing,
        "open": [r for r in rows if r["status"] == windows.OPEN],
        "owed": len(rows), "counts": {status: counts[status] for status in windows.STATUSES},
        "missing_by_partner": by_partner(missing), "late_by_partner": by_partner(late),
    }


def by_partner(rows: list[dict]) -> list[dict]:
    """Returns grouped for reading: each partner with its kinds and their quarters."""
    grouped: dict[str, dict[str, list[str]]] = {}
    names = {}
    for r in rows:
        names[r["partner"]] = r["name"]
        grouped.setdefault(r["partner"], {}).setdefault(r["kind"], []).append(r["period"])
    return [{"partner": slug, "name": names[slug], "count": sum(map(len, kinds.values())),
             "kinds": [{"kind": kind, "periods": periods} for kind, periods in kinds.items()]}
            for slug, kinds in grouped.items()]


def _state(state: windows.ReturnState) -> dict:
    return {"partner": state.partner, "name": state.partner_name, "kind": state.kind,
            "period": state.period, "status": state.status, "late": state.late,
            "deadline": state.window.deadline.isoformat(),
            "submitted_on": state.first_submitted_at.date().isoformat()
            if state.first_submitted_at else None,
            "return_id": state.return_id, "version": state.version}


def warnings(uow: UnitOfWork, lineage: list[dict]) -> dict:
    """Warnings of validation still standing on the current returns the report counts."""
    ids = [r["id"] for r in lineage]
    if not ids:
        return {"total": 0, "by_return": [], "by_code": [], "listed": []}
    by_id = {r["id"]: r for r in lineage}
    with uow:
        base = select(ReturnIssue).where(ReturnIssue.return_id.in_(ids),
                                         ReturnIssue.severity == WARNING)
        issues = list(uow.session.scalars(base.order_by(ReturnIssue.return_id, ReturnIssue.id)))
    per_return = Counter(i.return_id for i in issues)
    per_code = Counter(i.code for i in issues)
    return {
        "total": len(issues),
        "by_return": [{**by_id[rid], "warnings": n} for rid, n in sorted(per_return.items())],
        "by_code": [{"code": code, "count": n} for code, n in per_code.most_common()],
        "listed": [{"return_id": i.return_id, "partner": by_id[i.return_id]["partner"],
                    "kind": by_id[i.return_id]["kind"], "period": by_id[i.return_id]["period"],
                    "code": i.code, "row": i.row, "column": i.column, "message": i.message}
                   for i in issues[:WARNINGS_LISTED]],
    }


def unknown_location(total_view: dict) -> dict:
    """Spend whose supplier could not be located, combined and per partner, with its share of
    the spend counted in shares (the glossary's method: never past 100%)."""
    [period] = total_view["periods"]
    combined = period["combined"]["kpis"]
    return {
        "amount": combined["unknown_location_spend"], "total": combined["total_spend"],
        "share": _unknown_share(combined), "minimum": float(coverage.minimum()),
        "partners": [{"slug": p["slug"], "name": p["name"],
                      "amount": p["kpis"]["unknown_location_spend"],
                      "total": p["kpis"]["total_spend"], "share": _unknown_share(p["kpis"])}
                     for p in period["partners"] if Decimal(p["kpis"]["total_spend"]) != 0],
    }


def _unknown_share(kpis: dict) -> float | None:
    return kpis["coverage"]["by_source"].get("unknown")


def _percent(value) -> str:
    return "–" if value is None else f"{Decimal(str(value)) * 100:.1f}%"
