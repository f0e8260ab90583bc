"""Who an actor is, in words: the audit log and returns record "user:<email>" or
"client:<id>"; pages show the person's name or the client's name instead."""

from collections.abc import Iterable

from sqlalchemy import select

from exchange.models import OAuthClient, User
from exchange.unit_of_work import UnitOfWork

KNOWN = {"demo": "Demo data (hub demo)", "cli": "Command line (hub)", "scheduler": "The scheduler"}


def actor_names(uow: UnitOfWork, actors: Iterable[str | None]) -> dict[str, str]:
    """actor -> how to write it: "Ann Smith (ann@rmbc.example)", a client's name, or the
    actor itself when nobody is found (a person since removed is still named by email)."""
    wanted = {a for a in actors if a}
    emails = {a.split(":", 1)[1] for a in wanted if a.startswith("user:")}
    clients = {a.split(":", 1)[1] for a in wanted if a.startswith("client:")}
    names = {a: KNOWN.get(a, a.split(":", 1)[-1]) for a in wanted}
    with uow:
        if emails:
            for email, name in uow.session.execute(
                    select(User.email, User.name).where(User.email.in_(emails))):
                names[f"user:{email}"] = f"{name} ({email})"
        if clients:
            for client_id, name in uow.session.execute(
                    select(OAuthClient.client_id, OAuthClient.name)
                    .where(OAuthClient.client_id.in_(clients))):
                names[f"client:{client_id}"] = f"{name or client_id} (system)"
    return names
