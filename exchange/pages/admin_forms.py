"""The administration forms: read what was typed, hand it to exchange.services.admin.accounts (or
exchange.feeds.releases to publish a release), and
turn a refusal into messages by form field, so the page can show them and keep the input.
The services do the checking; this only says which field a message belongs to. No Flask here."""

from dataclasses import dataclass, field

from exchange.errors import BadRequest, Conflict, ExchangeError, NotFound
from exchange.feeds.releases import publish_release
from exchange.models.users import ROLES
from exchange.oauth.scopes import SCOPES
from exchange.services.admin import accounts
from exchange.unit_of_work import UnitOfWork

NAME_MAX = 200


@dataclass
class FormResult:
    values: dict
    errors: dict[str, str] = field(default_factory=dict)
    created: object = None


def client_values(form) -> dict:
    return {"partner": form.get("partner", "").strip(), "name": form.get("name", "").strip(),
            "scopes": [s for s in form.getlist("scopes") if s in SCOPES]}


def create_client(uow: UnitOfWork, form, actor: str) -> FormResult:
    """A client-credentials client of a partner; ``created`` holds its one-time secret."""
    values = client_values(form)
    errors = {}
    if not values["partner"]:
        errors["partner"] = "Choose the partner whose system this client is."
    if not values["name"]:
        errors["name"] = "Enter a name people will recognise, like “RMBC finance system”."
    elif len(values["name"]) > NAME_MAX:
        errors["name"] = f"Enter a name of at most {NAME_MAX} characters."
    if not values["scopes"]:
        errors["scopes"] = "Choose at least one thing the client may do."
    if errors:
        return FormResult(values, errors)
    try:
        new = accounts.create_client(uow, values["partner"], " ".join(values["scopes"]),
                                     name=values["name"], actor=actor)
    except NotFound:
        return FormResult(values, {"partner": "Choose a partner from the list."})
    except BadRequest as err:
        return FormResult(values, {"scopes": err.message})
    return FormResult(values, created=new)


def user_values(form) -> dict:
    return {"partner": form.get("partner", "").strip(), "email": form.get("email", "").strip(),
            "name": form.get("name", "").strip(), "password": form.get("password", ""),
            "roles": [r for r in form.getlist("roles") if r in ROLES]}


def create_user(uow: UnitOfWork, form, actor: str) -> FormResult:
    """A person of a partner with a first password and roles; ``created`` is their id."""
    values = user_values(form)
    if not values["partner"]:
        return FormResult(values, {"partner": "Choose the partner this person works for."})
    try:
        user_id = accounts.create_user(uow, values["partner"], values["email"], values["name"],
                                       values["password"], roles=values["roles"], actor=actor)
    except NotFound:
        return FormResult(values, {"partner": "Choose a partner from the list."})
    except Conflict:
        return FormResult(values, {"email": "There is already a person with this email address."})
    except BadRequest as err:
        return FormResult(values, {name: " ".join(messages) for name, messages in
                                   err.errors.items()} or {"email": err.message})
    return FormResult(values, created=user_id)


def release_values(form) -> dict:
    return {"subregion": form.get("subregion", "").strip(),
            "period": form.get("period", "").strip()}


def publish(uow: UnitOfWork, form, actor: str) -> FormResult:
    """The sub-region's release of a quarter; ``created`` is the Publication (its ``created``
    is False when nothing changed since the latest version, so nothing was published)."""
    values = release_values(form)
    errors = {}
    if not values["subregion"]:
        errors["subregion"] = "Choose the sub-region whose release to publish."
    if not values["period"]:
        errors["period"] = "Choose the quarter to publish."
    if errors:
        return FormResult(values, errors)
    try:
        return FormResult(values, created=publish_release(uow, values["subregion"],
                                                          values["period"], actor=actor))
    except NotFound:
        return FormResult(values, {"subregion": "Choose a sub-region from the list."})
    except ExchangeError as err:  # a period that is no quarter; a publication at the same time
        return FormResult(values, {"period": err.message})
