"""The annual Social Value report and the mid-year position report of a place partnership.

Every figure comes from the partnership view (exchange.views.partnership) for the same periods,
so the report says exactly what the dashboard and the API say. A generated report is stored —
HTML, PDF and the figures as JSON, by SHA-256 in the blob store — with the periods, the releases
and the returns (id and version) it was built from, so it can be reproduced."""

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from exchange.blobs import BlobStore
from exchange.errors import BadRequest
from exchange.models import PartnerReturn, Place, Release
from exchange.models.base import utcnow
from exchange.models.reports import GeneratedReport
from exchange.periods import Period
from exchange.services.cycle.windows import WindowRules
from exchange.services.reports import content, documents
from exchange.unit_of_work import UnitOfWork
from exchange.views.comparison import compare_with_year_before
from exchange.views.partnership import find_place, partnership_view

KINDS = {"annual": ("Annual Social Value report", 4),
         "mid-year": ("Mid-year position report", 2)}


def report_periods(kind: str, year: str) -> tuple[str, str, Period]:
    """(first quarter, last quarter, the financial year) or 400 saying what is wrong."""
    if kind not in KINDS:
        raise BadRequest(f"There is no '{kind}' report: there are annual and mid-year reports.")
    wrong = BadRequest(f"'{year}' is not a financial year: write it like 2025-26 (April 2025 "
                       "to March 2026).")
    try:
        period = Period.parse(year)
        period.previous  # noqa: B018 (the comparison year must exist too)
    except ValueError as err:
        raise wrong from err
    if not period.is_year or str(period) != year:
        raise wrong
    return f"{period}-Q1", f"{period}-Q{KINDS[kind][1]}", period


def build_report(uow: UnitOfWork, place_slug: str, kind: str, year: str,
                 now: datetime | None = None, rules: WindowRules | None = None) -> dict:
    """Everything a report shows, as JSON-ready data: headline and per-partner figures, trends
    over quarters and against the previous year, the policy's aims, the charter, measures and
    social value, contributions, data quality and the lineage of every figure."""
    now = now or utcnow()
    first, last, period = report_periods(kind, year)
    before = period.previous
    prev_first, prev_last = f"{before}-Q1", f"{before}-Q{KINDS[kind][1]}"
    total = partnership_view(uow, place_slug, first, last, by="total")
    views = {
        "total": total,
        "quarters": partnership_view(uow, place_slug, first, last, by="quarter"),
        "previous_total": partnership_view(uow, place_slug, prev_first, prev_last, by="total"),
        "previous_quarters": partnership_view(uow, place_slug, prev_first, prev_last,
                                              by="quarter"),
    }
    place, partner_ids, releases = _place_and_releases(uow, place_slug, views["quarters"])
    [current], [previous] = total["periods"], views["previous_total"]["periods"]
    headline, before_kpis = current["combined"]["kpis"], previous["combined"]["kpis"]
    comparison = compare_with_year_before(uow, place_slug, first, last, "as_submitted", now,
                                          rules or WindowRules.from_config())
    definitions = content.measure_definitions(uow)
    lineage = _lineage(uow, current, previous)
    partners = _partners(current, previous)
    report = {
        "title": f"{place['partnership_name']}: {KINDS[kind][0]} {year}",
        "kind": kind, "kind_name": KINDS[kind][0], "year": year, "from": first, "to": last,
        "describe": f"{Period.parse(first).start:%B %Y} to {Period.parse(last).end:%B %Y}",
        "previous": {"year": str(before), "from": prev_first, "to": prev_last},
        "place": place, "generated_at": now.isoformat(timespec="seconds"),
        "generated_on": f"{now.astimezone(UTC):%-d %B %Y, %H:%M} UTC",
        "headline": {"current": headline, "previous": before_kpis,
                     "change": _change(headline, before_kpis),
                     "like_for_like": {**comparison["kpis"], "change": _change(
                         comparison["kpis"]["now"], comparison["kpis"]["before"])}
                     if comparison["kpis"] else None,
                     "comparison": comparison["text"], "partial": comparison["partial"]},
        "partners": partners,
        "aims": content.aims(place["name"], total["commitments"], total["measures"],
                                    definitions, headline, before_kpis),
        "scoreboard": total["commitments"],
        "scoreboard_matrix": _matrix(total["commitments"], partners),
        "measures": _measures(total["measures"], definitions),
        "contributions": _contributions(total["contributions"]),
        "data_quality": {
            "unknown_location": content.unknown_location(total),
            "submissions": content.submissions(
                uow, partner_ids, [p["period"] for p in views["quarters"]["periods"]], now,
                rules),
            "warnings": content.warnings(uow, lineage["returns"]),
        },
        "lineage": {**lineage, "releases": releases},
        "views": views,
    }
    report["is_demo"] = any(r["is_demo"] for r in lineage["returns"] + lineage["previous"])
    report["coverage"] = {name: sorted({r["partner"] for r in rows if r["kind"] == "spend"})
                          for name, rows in lineage.items()}
    report["lineage_by_partner"] = _lineage_by_partner(lineage["returns"] + lineage["previous"],
                                                       partners)
    report["fingerprint"] = fingerprint(report)
    return report


def _place_and_releases(uow: UnitOfWork, slug: str,
                        view: dict) -> tuple[dict, list[int], list[dict]]:
    quarters = [p["period"] for p in view["periods"]]
    with uow:
        place = find_place(uow, slug, "place")
        partner_ids = [p.id for p in uow.partners.for_place(place.id)]
        found = []
        if place.parent_id:
            stmt = (select(Release).where(Release.subregion_id == place.parent_id,
                                          Release.period.in_(quarters))
                    .order_by(Release.period, Release.version))
            latest = {r.period: r for r in uow.session.scalars(stmt)}
            found = [{"id": r.id, "period": r.period, "version": r.version,
                      "published_at": r.published_at.isoformat(timespec="seconds")}
                     for r in latest.values()]
        parent = uow.session.get(Place, place.parent_id) if place.parent_id else None
        return {"slug": place.slug, "code": place.code, "name": place.name,
                "partnership_name": place.partnership_name or place.name,
                "subregion": parent.name if parent else None}, partner_ids, found


def _lineage(uow: UnitOfWork, current: dict, previous: dict) -> dict:
    """The returns (id, partner, kind, period, version, demo or not) behind the figures."""
    out = {name: [{**r, "partner": p["slug"]} for p in period["partners"] for r in p["returns"]]
           for name, period in (("returns", current), ("previous", previous))}
    ids = [r["id"] for rows in out.values() for r in rows]
    with uow:
        demo = set(uow.session.scalars(select(PartnerReturn.id).where(
            PartnerReturn.id.in_(ids), PartnerReturn.is_demo.is_(True)))) if ids else set()
    for rows in out.values():
        for r in rows:
            r["is_demo"] = r["id"] in demo
    return out


def _lineage_by_partner(returns: list[dict], partners: list[dict]) -> list[dict]:
    """The returns counted, a row per partner and kind: compact enough to print."""
    names = {p["slug"]: p["name"] for p in partners}
    rows: dict[tuple[str, str], list[dict]] = {}
    for r in sorted(returns, key=lambda r: (r["partner"], r["kind"], r["period"])):
        rows.setdefault((r["partner"], r["kind"]), []).append(r)
    return [{"partner": names.get(slug, slug), "kind": kind,
             "returns": [{"id": r["id"], "period": r["period"], "version": r["version"]}
                         for r in found],
             "is_demo": any(r["is_demo"] for r in found)}
            for (slug, kind), found in rows.items()]


def _partners(current: dict, previous: dict) -> list[dict]:
    before = {p["slug"]: p["kpis"] for p in previous["partners"]}
    return [{"slug": p["slug"], "name": p["name"], "kpis": p["kpis"],
             "previous_kpis": before.get(p["slug"]),
             "change": _change(p["kpis"], before.get(p["slug"]) or {}),
             "returns": p["returns"]} for p in current["partners"]]


def _matrix(commitments: list[dict], partners: list[dict]) -> dict:
    """The charter scoreboard as a table: a row per commitment, a column per partner."""
    return {"partners": [p["name"] for p in partners],
            "rows": [{"title": c["title"], "statuses": [e["status"] for e in c["partners"]]}
                     for c in commitments]}


def _change(now: dict, before: dict) -> dict:
    """Change on the year before: local share in percentage points, spend in pounds."""
    share, share_before = now.get("local_share"), before.get("local_share")
    spend, spend_before = now.get("total_spend"), before.get("total_spend")
    return {
        "local_share_points": None if share is None or share_before is None
        else round((share - share_before) * 100, 1),
        "total_spend": None if not spend_before or Decimal(spend_before) == 0
        else str(Decimal(spend) - Decimal(spend_before)),
    }


def _measures(rows: list[dict], definitions: dict[str, dict]) -> dict:
    total = sum((Decimal(m["social_value"]) for m in rows if m["social_value"]), Decimal(0))
    reported = {m["code"] for m in rows}
    return {
        "rows": [{**m, "toms_code": definitions.get(m["code"], {}).get("toms_code"),
                  "aim": definitions.get(m["code"], {}).get("aim")} for m in rows],
        "social_value_total": str(total.quantize(Decimal("0.01"))),
        "any_indicative": any(m["indicative"] for m in rows if m["social_value"]),
        "proxies": [d for d in definitions.values() if d["proxy_value"] is not None],
        "not_reported": [d for code, d in definitions.items() if code not in reported],
    }


def _contributions(rows: list[dict]) -> dict:
    value = sum((Decimal(r["value"]) for r in rows if r["value"]), Decimal(0))
    return {"rows": rows, "count": sum(r["count"] for r in rows),
            "total_value": str(value.quantize(Decimal("0.01")))}


def fingerprint(report: dict) -> str:
    """What the report's figures depend on: the returns (and versions) it counts, the releases,
    the proxy values and the charter. Equal fingerprints, equal figures."""
    basis = {
        "place": report["place"]["slug"], "kind": report["kind"], "year": report["year"],
        "returns": sorted((r["id"], r["version"]) for r in report["lineage"]["returns"]),
        "previous": sorted((r["id"], r["version"]) for r in report["lineage"]["previous"]),
        "releases": sorted((r["id"], r["version"]) for r in report["lineage"]["releases"]),
        "proxies": report["measures"]["proxies"],
        "charter": [(c["code"], c["title"], c["aim"]) for c in report["scoreboard"]],
        "late_or_missing": [(r["partner"], r["kind"], r["period"], r["status"])
                            for key in ("late", "missing")
                            for r in report["data_quality"]["submissions"][key]],
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()


def generate_report(uow: UnitOfWork, place_slug: str, kind: str, year: str, now: datetime, *,
                    blobs: BlobStore | None = None, generated_by: str = "scheduler",
                    rules: WindowRules | None = None,
                    unless_current: bool = False) -> GeneratedReport | None:
    """Build the report as it stands at ``now``, render it as HTML and PDF, and store both (and
    its figures as JSON) with the periods, releases and returns it was built from.

    With ``unless_current``, nothing is rendered or stored (and None returned) when the latest
    stored copy has the same figures: what makes the report jobs safe to run again."""
    report = build_report(uow, place_slug, kind, year, now, rules)
    if unless_current:
        latest = latest_report(uow, place_slug, kind, year)
        if latest is not None and latest.fingerprint == report["fingerprint"]:
            return None
    document = documents.render_document(report)
    pdf = documents.render_pdf(document)
    figures = json.dumps(report, sort_keys=True, ensure_ascii=False).encode()
    blobs = blobs or _app_blobs()
    html_sha, html_size = blobs.save_bytes(document.encode())
    pdf_sha, pdf_size = blobs.save_bytes(pdf)
    data_sha, data_size = blobs.save_bytes(figures)
    with uow:
        place = find_place(uow, place_slug, "place")
        record = GeneratedReport(
            place_id=place.id, kind=kind, year=year, first_period=report["from"],
            last_period=report["to"], title=report["title"], generated_at=now,
            generated_by=generated_by, fingerprint=report["fingerprint"],
            html_sha256=html_sha, html_size=html_size, pdf_sha256=pdf_sha, pdf_size=pdf_size,
            data_sha256=data_sha, data_size=data_size, returns=report["lineage"]["returns"],
            previous_returns=report["lineage"]["previous"],
            releases=report["lineage"]["releases"], is_demo=report["is_demo"])
        uow.session.add(record)
        uow.session.flush()
        uow.audit.add(generated_by, "report.generated", subject=f"report:{record.id}",
                      place=place.slug, kind=kind, year=year, pdf_sha256=pdf_sha,
                      fingerprint=report["fingerprint"])
        uow.commit()
        return record


def latest_report(uow: UnitOfWork, place_slug: str, kind: str,
                  year: str) -> GeneratedReport | None:
    """The most recently generated report of a place, kind and year, if any."""
    with uow:
        place = find_place(uow, place_slug, "place")
        stmt = (select(GeneratedReport)
                .where(GeneratedReport.place_id == place.id, GeneratedReport.kind == kind,
                       GeneratedReport.year == year)
                .order_by(GeneratedReport.generated_at.desc(), GeneratedReport.id.desc()))
        return uow.session.scalars(stmt).first()


def _app_blobs() -> BlobStore:
    """The app's blob store, when called inside an app context (the scheduler's jobs are)."""
    from exchange.context import get_blobs

    return get_blobs()
