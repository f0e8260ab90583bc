"""Demo logins and OAuth clients, made through the same services as real ones.

The password is published in the README: demo accounts are for a laptop, never for production
(the `hub demo` command refuses to run there unless forced).
"""

from dataclasses import dataclass

from sqlalchemy import select

from exchange.models.oauth import OAuthClient
from exchange.repositories.users import UserRepository
from exchange.services.admin import accounts
from exchange.unit_of_work import UnitOfWork

DEMO_PASSWORD = "demo-password-2025"  # noqa: S105 - published on purpose, demo only

# (partner, email, name, roles)
USERS = (
    ("rmbc", "demo@rmbc.example", "Demo data officer (RMBC)", ()),
    ("rmbc", "approver@rmbc.example", "Demo approver (RMBC)", ("approver",)),
    ("rmbc", "board@rmbc.example", "Demo partnership board member", ("board",)),
    ("trft", "demo@trft.example", "Demo data officer (TRFT)", ()),
    ("var", "demo@var.example", "Demo data officer (VAR)", ()),
    ("scc", "demo@scc.example", "Demo data officer (SCC)", ()),
    ("symca", "analyst@symca.example", "Demo MCA analyst", ()),
    ("symca", "admin@hub.example", "Demo hub administrator", ("admin",)),
)
# (partner, client name, scopes)
CLIENTS = (
    ("rmbc", "Demo: RMBC finance system",
     "returns:write returns:read views:read contributions:write"),
    ("symca", "Demo: MCA pull job", "feeds:read views:read"),
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    partner: str
    roles: tuple[str, ...]
    created: bool


@dataclass(frozen=True)
class DemoClient:
    partner: str
    name: str
    scope: str
    client_id: str
    client_secret: str | None  # only when created now: the hub keeps just its hash
    created: bool


def create_demo_accounts(uow_factory) -> tuple[list[DemoUser], list[DemoClient]]:
    """Make the demo users and clients that do not exist yet; report them all."""
    users = []
    for partner, email, name, roles in USERS:
        exists = _user_exists(uow_factory(), email)
        if not exists:
            accounts.create_user(uow_factory(), partner, email, name, DEMO_PASSWORD, roles=roles,
                                 actor="demo")
        users.append(DemoUser(email, name, partner, tuple(roles), not exists))
    clients = []
    for partner, name, scope in CLIENTS:
        existing = _client_named(uow_factory(), name)
        if existing:
            clients.append(DemoClient(partner, name, scope, existing, None, False))
            continue
        new = accounts.create_client(uow_factory(), partner, scope, name=name, actor="demo")
        clients.append(DemoClient(partner, name, scope, new.client_id, new.client_secret, True))
    return users, clients


def _user_exists(uow: UnitOfWork, email: str) -> bool:
    with uow:
        return UserRepository(uow.session).by_email(email) is not None


def _client_named(uow: UnitOfWork, name: str) -> str | None:
    with uow:
        return uow.session.scalars(
            select(OAuthClient.client_id).where(OAuthClient.name == name,
                                                OAuthClient.revoked_at.is_(None))
            .order_by(OAuthClient.id)).first()
