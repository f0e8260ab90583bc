"""The hub's OAuth scopes and who may hold them."""

SCOPES = {
    "returns:write": "Submit and correct your organisation's returns",
    "returns:read": "Read your organisation's returns and their validation reports",
    "returns:approve": "Certify returns submitted by someone else in your organisation",
    "views:read": "Read aggregated views and dashboards",
    "feeds:read": "Pull disclosure-controlled feeds",
    "contributions:write": "Record social-responsibility contributions",
    "admin": "Administer the hub",
}

# Every signed-in person may hold these; roles add the rest.
USER_SCOPES = frozenset({"returns:write", "returns:read", "views:read", "feeds:read",
                         "contributions:write"})
ROLE_SCOPES = {"approver": frozenset({"returns:approve"}), "admin": frozenset({"admin"})}


def parse_scope(scope: str | None) -> set[str]:
    return set((scope or "").split())


def unknown_scopes(scope: str | None) -> set[str]:
    return parse_scope(scope) - SCOPES.keys()


def scopes_for_roles(roles) -> set[str]:
    """The scopes a person with these roles may grant an application."""
    allowed = set(USER_SCOPES)
    for role in roles or ():
        allowed |= ROLE_SCOPES.get(role, set())
    return allowed


def narrow_for_user(scope: str | None, roles) -> str:
    """The part of ``scope`` a person with ``roles`` may grant, space-separated and sorted."""
    return " ".join(sorted(parse_scope(scope) & scopes_for_roles(roles)))


def describe(scope: str | None) -> list[tuple[str, str]]:
    return [(name, SCOPES.get(name, name)) for name in sorted(parse_scope(scope))]
