"""What the hub holds, for the pages to show around the figures: the periods partners have
returns for, which returns are demo data, LAD names, a sub-region's latest releases and each
job's last run. Reads only, as plain values; no Flask here."""

from sqlalchemy import exists, func, select

from exchange.models import Lad, PartnerReturn, Release
from exchange.models.jobs import JobRun
from exchange.unit_of_work import UnitOfWork


def return_span(uow: UnitOfWork, partner_ids: list[int]) -> tuple[str, str] | None:
    """The earliest and latest period of these partners' current returns, or None."""
    with uow:
        earliest, latest = uow.session.execute(
            select(func.min(PartnerReturn.period), func.max(PartnerReturn.period)).where(
                PartnerReturn.partner_id.in_(partner_ids),
                PartnerReturn.is_current.is_(True))).one()
    return (earliest, latest) if latest else None


def current_periods(uow: UnitOfWork, partner_ids: list[int]) -> list[str]:
    """The periods (quarters and years) these partners have a current return for, in the
    caller's unit of work (it reads while walking the places)."""
    return list(uow.session.scalars(select(PartnerReturn.period).distinct().where(
        PartnerReturn.partner_id.in_(partner_ids), PartnerReturn.is_current.is_(True))))


def demo_return_ids(uow: UnitOfWork, ids: list[int]) -> set[int]:
    """Which of these returns are demo data."""
    if not ids:
        return set()
    with uow:
        stmt = select(PartnerReturn.id).where(PartnerReturn.id.in_(ids),
                                              PartnerReturn.is_demo.is_(True))
        return set(uow.session.scalars(stmt))


def holds_demo_data(uow: UnitOfWork) -> bool:
    """Whether any return in the hub was loaded by the demo (``hub demo``)."""
    with uow:
        return bool(uow.session.scalar(select(exists().where(PartnerReturn.is_demo))))


def lad_names(uow: UnitOfWork) -> dict[str, str]:
    with uow:
        return {lad.code: lad.name for lad in uow.session.scalars(select(Lad))}


def latest_releases(uow: UnitOfWork, subregion_id: int, limit: int = 5) -> list[dict]:
    """A sub-region's newest releases: the latest quarters first, each quarter's newest
    version first."""
    with uow:
        stmt = (select(Release).where(Release.subregion_id == subregion_id)
                .order_by(Release.period.desc(), Release.version.desc()).limit(limit))
        return [{"id": r.id, "period": r.period, "version": r.version,
                 "published_at": r.published_at, "summary": r.notes.get("summary", "")}
                for r in uow.session.scalars(stmt)]


def last_job_runs(uow: UnitOfWork) -> dict[str, JobRun]:
    """Each job's latest run, by job id."""
    with uow:
        stmt = select(JobRun).where(JobRun.id.in_(
            select(func.max(JobRun.id)).group_by(JobRun.job_id)))
        return {run.job_id: run for run in uow.session.scalars(stmt)}
