"""Steps of the OAuth flows as a browser and a client application take them, over HTTP."""

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

REDIRECT_URI = "https://app.example.org/callback"
PASSWORD = "correct horse battery staple"


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636 4.1, 4.2)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(browser, email: str, password: str = PASSWORD, next_url: str = ""):
    page = browser.get("/login")
    return browser.post("/login", data={"email": email, "password": password, "next": next_url,
                                        "csrf_token": csrf_from(page.get_data(as_text=True))})


def authorize_url(client_id: str, challenge: str | None, *, method: str | None = "S256",
                  scope: str | None = None, state: str = "xyz", redirect_uri=REDIRECT_URI):
    params = {"response_type": "code", "client_id": client_id, "state": state,
              "redirect_uri": redirect_uri}
    if challenge is not None:
        params["code_challenge"] = challenge
    if method is not None:
        params["code_challenge_method"] = method
    if scope is not None:
        params["scope"] = scope
    return "/oauth/authorize?" + urlencode(params)


def redirect_params(response) -> dict[str, str]:
    """The query parameters of a redirect back to the client."""
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def consent(browser, url: str, decision: str = "allow"):
    page = browser.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    return browser.post(url, data={"decision": decision,
                                   "csrf_token": csrf_from(page.get_data(as_text=True))})


def get_code(browser, client_id: str, email: str, *, scope: str | None = None):
    """Sign in, consent, and return (code, verifier) for one authorization."""
    verifier, challenge = pkce_pair()
    sign_in(browser, email)
    answer = consent(browser, authorize_url(client_id, challenge, scope=scope))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    params = redirect_params(answer)
    assert params["state"] == "xyz"
    return params["code"], verifier


def exchange_code(browser, client_id: str, secret: str | None, code: str, verifier: str | None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    if verifier is not None:
        data["code_verifier"] = verifier
    if secret is None:
        data["client_id"] = client_id
        return browser.post("/oauth/token", data=data)
    return browser.post("/oauth/token", data=data, auth=(client_id, secret))


def user_tokens(app, make_client, make_user, *, partner="rmbc", email="ann@rmbc.example",
                scopes="returns:read returns:write", roles=()):
    """A confidential auth-code client and a signed-in person's token response, end to end."""
    client_id, secret = make_client(partner, scopes, redirect_uris=[REDIRECT_URI])
    make_user(partner, email, PASSWORD, roles=roles)
    browser = app.test_client()
    code, verifier = get_code(browser, client_id, email)
    response = exchange_code(browser, client_id, secret, code, verifier)
    assert response.status_code == 200, response.get_json()
    return client_id, secret, response.get_json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
