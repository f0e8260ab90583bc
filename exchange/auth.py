"""Turns the OAuth access token into g.partner; require_scope("returns:write")."""

from functools import wraps

from flask import abort


def require_scope(*scopes: str):
    """Placeholder: refuses everything until the OAuth resource protector lands."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            abort(401)
        return wrapper
    return decorator
