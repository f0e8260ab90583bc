"""What the administration pages list: partners from the registry, OAuth clients, people,
recent admin actions, job runs and the outbox, as plain dicts. Reads only; the changes go
through exchange.services. No Flask here."""

from sqlalchemy import select

from exchange.models import AuditEvent, OAuthClient, PartnerReturn, Place, Release, User
from exchange.models.jobs import JobRun
from exchange.models.outbox import OutboxMessage
from exchange.models.returns import ACCEPTED
from exchange.oauth.scopes import parse_scope
from exchange.periods import Period
from exchange.unit_of_work import UnitOfWork

ADMIN_ACTIONS = ("client.create", "client.revoke", "user.create", "user.disable",
                 "release.publish", "job.run")


def partners(uow: UnitOfWork) -> list[dict]:
    """Every partner of the registry with the places it belongs to."""
    with uow:
        places = {p.id: p.name for p in uow.session.scalars(select(Place))}
        return [{"slug": p.slug, "name": p.name, "kind": p.kind, "org_id": p.org_id,
                 "threshold": p.spend_threshold, "requires_approval": p.requires_approval,
                 "places": sorted(places[i] for i in p.place_ids)}
                for p in uow.partners.all()]


def partner_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    with uow:
        return [(p.slug, p.name) for p in uow.partners.all()]


def clients(uow: UnitOfWork) -> list[dict]:
    """Every OAuth client, live ones first, newest first; never a secret (only its hash exists)."""
    with uow:
        stmt = select(OAuthClient).order_by(OAuthClient.revoked_at.is_not(None),
                                            OAuthClient.created_at.desc(), OAuthClient.id.desc())
        return [{"client_id": c.client_id, "name": c.name, "partner": c.partner.name,
                 "partner_slug": c.partner.slug, "scopes": sorted(parse_scope(c.scope)),
                 "grant_types": c.grant_types, "created_at": c.created_at,
                 "revoked_at": c.revoked_at, "public": c.is_public}
                for c in uow.session.scalars(stmt)]


def users(uow: UnitOfWork) -> list[dict]:
    """Every person who may sign in (or could, before being disabled), by partner and email."""
    with uow:
        stmt = select(User).order_by(User.disabled, User.email)
        return [{"id": u.id, "email": u.email, "name": u.name, "partner": u.partner.name,
                 "roles": list(u.roles or []), "disabled": u.disabled,
                 "created_at": u.created_at}
                for u in uow.session.scalars(stmt)]


def recent_admin_actions(uow: UnitOfWork, limit: int = 20) -> list[dict]:
    """The latest administration entries of the audit log."""
    with uow:
        stmt = (select(AuditEvent).where(AuditEvent.action.in_(ADMIN_ACTIONS))
                .order_by(AuditEvent.id.desc()).limit(limit))
        return [{"at": e.at, "actor": e.actor, "action": e.action, "subject": e.subject,
                 "partner": e.partner_slug} for e in uow.session.scalars(stmt)]


def audit_events(uow: UnitOfWork, action: str | None = None, limit: int = 200) -> list[dict]:
    """The latest entries of the audit log, newest first, of one action if given."""
    with uow:
        stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        return [{"id": e.id, "at": e.at, "actor": e.actor, "action": e.action,
                 "subject": e.subject, "partner": e.partner_slug, "detail": e.detail}
                for e in uow.session.scalars(stmt)]


def audit_actions(uow: UnitOfWork) -> list[str]:
    with uow:
        return sorted(uow.session.scalars(select(AuditEvent.action).distinct()))


def job_runs(uow: UnitOfWork, limit: int = 50) -> list[dict]:
    """The latest runs of the scheduled jobs, newest first."""
    with uow:
        stmt = select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
        return [{"id": r.id, "job": r.job_id, "scheduled_for": r.scheduled_for,
                 "trigger": r.trigger, "started_at": r.started_at, "finished_at": r.finished_at,
                 "outcome": r.outcome, "result": r.result, "error": r.error, "host": r.host}
                for r in uow.session.scalars(stmt)]


def subregion_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    with uow:
        stmt = select(Place.slug, Place.name).where(Place.kind == "subregion").order_by(Place.name)
        return [(slug, name) for slug, name in uow.session.execute(stmt)]


def release_quarters(uow: UnitOfWork) -> list[tuple[str, str]]:
    """The quarters some accepted return is for, newest first: those a release can count."""
    with uow:
        periods = uow.session.scalars(select(PartnerReturn.period).distinct()
                                      .where(PartnerReturn.status == ACCEPTED))
        quarters = sorted((p for p in periods if not Period.parse(p).is_year), reverse=True)
        return [(q, q) for q in quarters]


def releases(uow: UnitOfWork, limit: int = 50) -> list[dict]:
    """The latest published releases, newest first."""
    with uow:
        stmt = (select(Release, Place.slug).join(Place, Place.id == Release.subregion_id)
                .order_by(Release.id.desc()).limit(limit))
        return [{"id": r.id, "subregion": slug, "period": r.period, "version": r.version,
                 "published_at": r.published_at, "published_by": r.published_by,
                 "summary": r.notes.get("summary", "")}
                for r, slug in uow.session.execute(stmt)]


def outbox(uow: UnitOfWork, limit: int = 50) -> list[dict]:
    """The latest e-mails of the outbox, newest first: who, what, and whether it went."""
    with uow:
        stmt = (select(OutboxMessage)
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit))
        return [{"id": m.id, "recipients": list(m.recipients), "subject": m.subject,
                 "created_at": m.created_at, "sent_at": m.sent_at, "attempts": m.attempts,
                 "next_attempt_at": m.next_attempt_at, "last_error": m.last_error}
                for m in uow.session.scalars(stmt)]
