"""Stopping a person from signing in: the administrator's "disable"; audited like every other
admin action (exchange.services.admin.accounts registers people and clients)."""

from exchange.errors import NotFound
from exchange.models.base import utcnow
from exchange.repositories.oauth import OAuthRepository
from exchange.repositories.users import UserRepository
from exchange.services.admin import web_sessions
from exchange.unit_of_work import UnitOfWork


def disable_user(uow: UnitOfWork, user_id: int, *, actor: str = "cli") -> int:
    """Disable a person, end their sessions and revoke every token issued to them; returns how
    many tokens died.
    Disabling someone already disabled changes nothing but is still recorded."""
    with uow:
        user = UserRepository(uow.session).get(user_id)
        if user is None:
            raise NotFound(f"There is no user {user_id}.")
        user.disabled = True
        count = OAuthRepository(uow.session).revoke_for_user(user.id, utcnow())
        web_sessions.end_all(uow, user.id)
        uow.audit.add(actor, "user.disable", partner_slug=user.partner.slug,
                      subject=user.email, tokens_revoked=count)
        uow.commit()
        return count
