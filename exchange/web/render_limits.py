"""How many live PDF renders each reader may have (LIVE_PDF_RATE_LIMIT, e.g. "6 per hour"):
each costs seconds of CPU, so nobody signed in can keep the hub busy with them. Counted in the
rate limiter's storage (exchange.oauth.limits), so several workers share the count."""

import time

from flask import current_app
from limits import parse

from exchange.oauth.limits import limiter

SCOPE = "live-pdf"


def refused(reader: str) -> int | None:
    """Count one live render for ``reader``; None when allowed, else the seconds to wait."""
    if not limiter.enabled:
        return None
    item = parse(current_app.config["LIVE_PDF_RATE_LIMIT"])
    if limiter.limiter.hit(item, SCOPE, reader):
        return None
    reset_at, _ = limiter.limiter.get_window_stats(item, SCOPE, reader)
    return max(1, int(reset_at - time.time()))
