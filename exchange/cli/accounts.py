"""Registering OAuth clients and people: `hub clients ...` and `hub users ...`."""

import json

import click
from flask.cli import AppGroup

from exchange.context import get_uow
from exchange.emails import normalise_email
from exchange.errors import ExchangeError
from exchange.oauth.scopes import SCOPES
from exchange.services.admin import accounts, passwords

clients = AppGroup("clients", help="OAuth clients of partners.")
users = AppGroup("users", help="People who sign in.")


@clients.command("create")
@click.option("--partner", "partner_slug", required=True, help="Slug of the client's partner.")
@click.option("--scopes", required=True,
              help="Space-separated scopes the client may ask for: " + " ".join(SCOPES))
@click.option("--name", help="A name people will recognise on the consent page.")
@click.option("--redirect-uri", "redirect_uris", multiple=True,
              help="Signs people in with the authorization code flow (repeatable).")
@click.option("--public", is_flag=True,
              help="A browser or native app with no secret (needs --redirect-uri; PKCE).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def clients_create(partner_slug, scopes, name, redirect_uris, public, as_json) -> None:
    """Register an OAuth client; its secret is shown now and never again."""
    new = _run(lambda: accounts.create_client(get_uow(), partner_slug, scopes, name=name,
                                             redirect_uris=redirect_uris, public=public))
    if as_json:
        click.echo(json.dumps({"client_id": new.client_id, "client_secret": new.client_secret}))
        return
    click.echo(f"client_id:     {new.client_id}")
    if new.client_secret:
        click.echo(f"client_secret: {new.client_secret}")
        click.echo("Store the secret now: the hub keeps only its hash.")
    click.echo(f"grant types:   {' '.join(new.grant_types)}")


@clients.command("revoke")
@click.argument("client_id")
def clients_revoke(client_id: str) -> None:
    """Revoke a client and every token it holds."""
    count = _run(lambda: accounts.revoke_client(get_uow(), client_id))
    click.echo(f"Revoked client {client_id} and {count} live tokens.")


@users.command("create")
@click.option("--partner", "partner_slug", required=True, help="Slug of the person's partner.")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when left out (keeps it out of the shell history).")
@click.option("--approver", is_flag=True, help="May certify returns (returns:approve).")
@click.option("--admin", is_flag=True, help="May administer the hub (admin).")
def users_create(partner_slug, email, name, password, approver, admin) -> None:
    """Register a person who signs in with email and password."""
    roles = [role for role, on in (("approver", approver), ("admin", admin)) if on]
    _run(lambda: accounts.create_user(get_uow(), partner_slug, email, name, password,
                                      roles=roles))
    click.echo(f"Created user {normalise_email(email)} of {partner_slug}"
               + (f" ({', '.join(roles)})" if roles else "") + ".")


@users.command("reset-password")
@click.argument("email")
def users_reset_password(email: str) -> None:
    """Sign a person out everywhere and give them a temporary password to change."""
    found, temporary = _run(lambda: passwords.reset_password(get_uow(), email=email.strip()
                                                             .lower()))
    click.echo(f"Temporary password: {temporary}")
    click.echo(f"{found} is signed out everywhere and must choose a new password at the next "
               "sign-in. The hub keeps only its hash: give it to them safely now.")


def _run(action):
    try:
        return action()
    except ExchangeError as err:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in err.errors.items())
        raise click.ClickException(err.message + (f" ({details})" if details else "")) from err


COMMANDS = [clients, users]
