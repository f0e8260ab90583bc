"""The authorisation matrix, generated: every operation of the OpenAPI document × (no token,
another partner, missing scope, right scope, the MCA, an administrator), and every page route of
Flask's url_map × (nobody, a partner's officer, another partner's officer, an approver, the MCA's
analyst, an administrator). A new endpoint or page is in the matrix the day it is added; what
each is owed comes from the document's security and from the rules below, not from a list."""

import re

import pytest

from exchange.context import get_uow
from exchange.oauth.scopes import SCOPES
from exchange.views import registry
from exchange.views.audience import members
from tests.api.oauth_flows import PASSWORD, sign_in
from tests.api.returns_support import SPEND, bearer, post_return, sha256

OWNER, OTHER, MCA = "rmbc", "syp", "symca"
MCA_SCOPES = ("feeds:read", "views:read")
# Values for path parameters; {return_id} is the owner's return, found at run time.
PATH_VALUES = {"subregion": "south-yorkshire", "place": "rotherham", "dataset": "spend",
               "period": "2021-22-Q3", "kind": "spend", "release_id": 1, "year": "1999-00",
               "check_id": "no-such-check", "client_id": "no-such-client", "user_id": 1}
PAGE_VALUES = {**PATH_VALUES, "kind": "annual"}
REFUSED = {401, 403}
# Pages anyone may open; every other page needs a signed-in person.
PUBLIC_PAGES = {"/", "/login", "/logout", "/healthz", "/readyz", "/standard", "/glossary"}
# Pages that need a role as well (a path prefix and the role); a page of a place (<place>) needs
# a member of its partnership too.
ROLE_PAGES = {"/admin/": "admin", "/approvals": "approver"}


def operations(spec: dict):
    """(method, path, alternatives): each alternative a set of scopes that together suffice;
    None for an operation that needs no token."""
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            security = op.get("security")
            alternatives = None if not security else [set(s.get("oauth2", [])) for s in security]
            yield method.upper(), path, alternatives


def fill(path: str, values: dict) -> str:
    """The path with its parameters filled in; one the matrix does not know yet (a new
    endpoint's) gets an id that exists nowhere, or a word."""
    def value(match):
        name = match.group(1)
        return str(values.get(name, 1 if name.endswith("_id") else "unknown"))
    return re.sub(r"[{<](?:[^:}>]*:)?([a-z_]+)[}>]", value, path)


def allowed(alternatives, scopes: set[str]) -> bool:
    return alternatives is None or any(needed <= scopes for needed in alternatives)


class Tokens:
    """Access tokens by (partner, scopes), made once per test through the token endpoint."""

    def __init__(self, partner_token):
        self.partner_token, self.made = partner_token, {}

    def __call__(self, partner: str, scopes) -> dict:
        key = (partner, " ".join(sorted(scopes)))
        if key not in self.made:
            self.made[key] = bearer(self.partner_token(partner, key[1]))
        return self.made[key]


@pytest.fixture
def world(client, partner_token):
    """One accepted return of the owner; its id and its bytes' SHA-256."""
    token = partner_token(OWNER, "returns:write")
    created = post_return(client, token, SPEND)
    assert created.status_code == 201
    return {"return_id": created.get_json()["id"], "sha256": sha256(SPEND)}


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def call(client, method: str, url: str, headers=None):
    return client.open(url, method=method, headers=headers or {})


def test_the_matrix_covers_every_operation_of_the_document(spec):
    found = list(operations(spec))

    assert len(found) >= 25
    assert {path for _, path, _ in found} >= {"/api/v1/returns", "/api/v1/admin/job-runs",
                                              "/api/v1/feeds/{subregion}/releases"}
    for method, path, alternatives in found:
        if alternatives is not None:
            assert all(needed <= set(SCOPES) for needed in alternatives), (method, path)


def test_without_a_token_every_secured_operation_is_401_and_public_ones_answer(
        client, spec, world):
    wrong = []
    for method, path, alternatives in operations(spec):
        response = call(client, method, fill(path, {**PATH_VALUES, **world}))
        expected_refusal = alternatives is not None
        if (response.status_code == 401) != expected_refusal or response.status_code == 403:
            wrong.append((method, path, response.status_code))
        if expected_refusal and "invalid_token" not in response.headers.get(
                "WWW-Authenticate", ""):
            wrong.append((method, path, "no WWW-Authenticate"))
    assert wrong == []


def test_a_token_missing_the_scope_is_403_insufficient_scope(client, spec, world,
                                                             partner_token):
    tokens, wrong = Tokens(partner_token), []
    for method, path, alternatives in operations(spec):
        if not alternatives or any(not needed for needed in alternatives):
            continue  # public, or any token will do
        others = set(SCOPES) - set().union(*alternatives)
        response = call(client, method, fill(path, {**PATH_VALUES, **world}),
                        tokens(OWNER, others))
        if response.status_code != 403 or response.get_json()["error"] != "insufficient_scope":
            wrong.append((method, path, response.status_code))
    assert wrong == []


def test_the_right_scope_gets_past_authorisation_everywhere(client, spec, world, partner_token):
    tokens, wrong = Tokens(partner_token), []
    for method, path, alternatives in operations(spec):
        for needed in alternatives or [set()]:
            response = call(client, method, fill(path, {**PATH_VALUES, **world}),
                            tokens(OWNER, needed or {"returns:read"}))
            # A refusal for another reason than the token (a person is needed to approve) is
            # the operation's own rule, never insufficient_scope or invalid_token.
            if response.status_code == 401 or (
                    response.status_code == 403
                    and response.get_json()["error"] == "insufficient_scope"):
                wrong.append((method, path, sorted(needed), response.status_code))
    assert wrong == []


def test_another_partner_with_the_right_scopes_sees_nothing_of_the_owners(
        client, spec, world, partner_token):
    tokens, wrong = Tokens(partner_token), []
    for method, path, alternatives in operations(spec):
        for needed in alternatives or [set()]:
            url = fill(path, {**PATH_VALUES, **world})
            response = call(client, method, url, tokens(OTHER, needed or {"returns:read"}))
            # The owner's own answer, when it is a refusal that does not depend on the return
            # (approving needs a person), is what another partner gets too; else 404.
            owners = call(client, method, url, tokens(OWNER, needed or {"returns:read"}))
            expected = 403 if owners.status_code == 403 else 404
            if "{return_id}" in path and response.status_code != expected:
                wrong.append((method, path, response.status_code))
            if world["sha256"].encode() in response.data:
                wrong.append((method, path, "shows the owner's return"))
    assert wrong == []


@pytest.mark.parametrize("holder, scopes", [(MCA, MCA_SCOPES), (MCA, ("admin",))],
                         ids=["the MCA", "an administrator"])
def test_the_mca_and_an_administrator_get_exactly_what_their_scopes_allow(
        client, spec, world, partner_token, holder, scopes):
    headers, wrong = Tokens(partner_token)(holder, scopes), []
    for method, path, alternatives in operations(spec):
        response = call(client, method, fill(path, {**PATH_VALUES, **world}), headers)
        refused = response.status_code in REFUSED and (
            response.status_code == 401 or response.get_json()["error"] == "insufficient_scope")
        if refused == allowed(alternatives, set(scopes)):
            wrong.append((method, path, response.status_code))
        if "{return_id}" in path and response.status_code == 200:
            wrong.append((method, path, "reads a partner's return"))
    assert wrong == []


# Pages: every GET route of the url_map that is not the API, OAuth or a static file.


def page_routes(app) -> list[str]:
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods
             and not bearer_only(app, rule)]
    return sorted({rule.rule for rule in rules
                   if not rule.rule.startswith(("/api/", "/oauth/", "/.well-known/", "/static"))})


def bearer_only(app, rule) -> bool:
    """A route outside the API guarded by require_scope (e.g. /metrics): a token, never a
    session, opens it."""
    doc = getattr(app.view_functions[rule.endpoint], "_apidoc", {})
    return bool(doc.get("manual_doc", {}).get("security"))


def test_bearer_routes_outside_the_api_refuse_nobody_and_a_signed_in_session(app, client,
                                                                             make_user):
    routes = [rule.rule for rule in app.url_map.iter_rules() if bearer_only(app, rule)
              and not rule.rule.startswith("/api/") and "GET" in rule.methods]
    make_user(MCA, "sessions@symca.example", PASSWORD, roles=("admin",))
    browser = app.test_client()
    assert sign_in(browser, "sessions@symca.example").status_code == 302

    for rule in routes:
        assert client.get(fill(rule, PAGE_VALUES)).status_code == 401, rule
        assert browser.get(fill(rule, PAGE_VALUES)).status_code == 401, rule


def place_members(slug: str) -> set[str]:
    with get_uow() as uow:
        return members(uow, registry.Places(uow).find(slug, "place"))


def owed_role(path: str) -> str | None:
    return next((role for prefix, role in ROLE_PAGES.items() if path.startswith(prefix)), None)


PEOPLE = {  # who: (partner, roles)
    "officer": (OWNER, ()),
    "another partner's officer": (OTHER, ()),
    "approver": (OWNER, ("approver",)),
    "the MCA's analyst": (MCA, ()),
    "administrator": (MCA, ("admin",)),
}


def test_the_page_matrix_covers_every_page(app):
    pages = page_routes(app)

    assert {"/upload", "/returns/<int:return_id>", "/admin/users", "/approvals",
            "/reports/<place>/<any(annual, \"mid-year\"):kind>/<year>.pdf"} <= set(pages)


def test_nobody_signed_in_is_sent_to_sign_in_from_every_page_that_is_not_public(
        app, client, world):
    wrong = []
    for rule in page_routes(app):
        response = client.get(fill(rule, {**PAGE_VALUES, **world}))
        sent_to_login = response.status_code == 302 and response.headers["Location"].startswith(
            "/login")
        if sent_to_login == (rule in PUBLIC_PAGES) or (
                rule in PUBLIC_PAGES and response.status_code >= 400):
            wrong.append((rule, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("who", list(PEOPLE))
def test_each_person_opens_the_pages_their_role_allows_and_no_other_partners_return(
        app, make_user, world, who):
    partner, roles = PEOPLE[who]
    email = f"matrix-{'-'.join(roles) or 'plain'}@{partner}.example"
    make_user(partner, email, PASSWORD, roles=roles)
    browser = app.test_client()
    assert sign_in(browser, email).status_code == 302
    wrong, insider = [], partner in place_members(PAGE_VALUES["place"])
    for rule in page_routes(app):
        if rule == "/logout":
            continue
        response = browser.get(fill(rule, {**PAGE_VALUES, **world}))
        role = owed_role(rule)
        # A place's live figures are for its partnership's members (exchange.views.audience).
        expected_ok = (role is None or role in roles) and (insider or "<place>" not in rule)
        got_in = response.status_code not in (401, 403) and not (
            response.status_code == 302 and response.headers["Location"].startswith("/login"))
        theirs = "<int:return_id>" in rule and partner != OWNER
        if got_in != expected_ok and not theirs:  # another partner's return is 404 first
            wrong.append((rule, response.status_code))
        if theirs and response.status_code != 404:
            wrong.append((rule, response.status_code, "another partner's return"))
    assert wrong == []

