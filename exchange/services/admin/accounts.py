"""Registering OAuth clients and people; each use case owns its transaction and is audited.
Secrets appear in the return value once and are never stored or audited in plain text."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from exchange.emails import normalise_email
from exchange.errors import BadRequest, Conflict, NotFound
from exchange.models.base import utcnow
from exchange.models.oauth import OAuthClient
from exchange.models.users import ROLES, User
from exchange.oauth import hashing
from exchange.oauth.scopes import parse_scope, unknown_scopes
from exchange.repositories.oauth import OAuthRepository
from exchange.repositories.users import UserRepository
from exchange.unit_of_work import UnitOfWork

MIN_PASSWORD = 12


@dataclass(frozen=True)
class NewClient:
    client_id: str
    client_secret: str | None  # None for a public client
    partner_slug: str
    scope: str
    grant_types: list[str]


def create_client(uow: UnitOfWork, partner_slug: str, scope: str, *, name: str | None = None,
                  redirect_uris=(), public: bool = False, actor: str = "cli") -> NewClient:
    """Register a client of one partner: client credentials, or auth code when it redirects."""
    if not parse_scope(scope):
        raise BadRequest("Give the client at least one scope.")
    if unknown := unknown_scopes(scope):
        raise BadRequest("Unknown scopes: " + ", ".join(sorted(unknown)))
    redirect_uris = [_check_redirect_uri(uri) for uri in redirect_uris]
    if public and not redirect_uris:
        raise BadRequest("A public client signs people in, so it needs a redirect URI.")
    grant_types = (["authorization_code", "refresh_token"] if redirect_uris
                   else ["client_credentials"])
    client_id = hashing.new_client_id()
    secret = None if public else hashing.new_client_secret()
    with uow:
        partner = uow.partners.get(partner_slug)
        if partner is None:
            raise NotFound(f"There is no partner {partner_slug!r}.")
        OAuthRepository(uow.session).add_client(OAuthClient(
            client_id=client_id, client_secret_hash=secret and hashing.hash_secret(secret),
            partner_id=partner.id, name=name or f"{partner.name} client",
            scope=" ".join(sorted(parse_scope(scope))), grant_types=grant_types,
            redirect_uris=redirect_uris,
            token_endpoint_auth_method="none" if public else "client_secret_basic"))
        uow.audit.add(actor, "client.create", partner_slug=partner.slug, subject=client_id,
                      scope=scope, grant_types=grant_types, public=public)
        uow.commit()
    return NewClient(client_id, secret, partner_slug, scope, grant_types)


def revoke_client(uow: UnitOfWork, client_id: str, *, actor: str = "cli") -> int:
    """Stop a client for good, with every token it holds; returns how many tokens died."""
    with uow:
        repo = OAuthRepository(uow.session)
        client = repo.client(client_id)
        if client is None:
            raise NotFound(f"There is no client {client_id!r}.")
        now = utcnow()
        if client.revoked_at is None:
            client.revoked_at = now
        count = repo.revoke_for_client(client_id, now)
        uow.audit.add(actor, "client.revoke", partner_slug=client.partner.slug,
                      subject=client_id, tokens_revoked=count)
        uow.commit()
        return count


def create_user(uow: UnitOfWork, partner_slug: str, email: str, name: str, password: str, *,
                roles=(), actor: str = "cli") -> int:
    """Register a person of one partner with an argon2 password hash; returns the user id."""
    errors = {}
    try:
        email = normalise_email(email)
    except ValueError as err:
        errors["email"] = [str(err)]
    if not name.strip():
        errors["name"] = ["Enter the person's name."]
    if len(password) < MIN_PASSWORD:
        errors["password"] = [f"Use a password of at least {MIN_PASSWORD} characters."]
    if bad := set(roles) - set(ROLES):
        errors["roles"] = ["Unknown roles: " + ", ".join(sorted(bad))]
    if errors:
        raise BadRequest("The user could not be created.", errors=errors)
    password_hash = hashing.hash_password(password)
    with uow:
        partner = uow.partners.get(partner_slug)
        if partner is None:
            raise NotFound(f"There is no partner {partner_slug!r}.")
        users = UserRepository(uow.session)
        if users.by_email(email) is not None:
            raise Conflict(f"There is already a user {email}.")
        user = users.add(User(partner_id=partner.id, email=email, name=name.strip(),
                              password_hash=password_hash, roles=sorted(set(roles))))
        uow.session.flush()
        uow.audit.add(actor, "user.create", partner_slug=partner.slug, subject=email,
                      roles=sorted(set(roles)))
        uow.commit()
        return user.id


def _check_redirect_uri(uri: str) -> str:
    parts = urlsplit(uri)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.fragment or not parts.netloc or parts.scheme not in ("https", "http"):
        raise BadRequest(f"Redirect URI {uri!r} must be an absolute https URL with no fragment.")
    if parts.scheme == "http" and not local:
        raise BadRequest(f"Redirect URI {uri!r} must use https (http only for localhost).")
    return uri
