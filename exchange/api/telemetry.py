"""Every request's id and figures, and GET /metrics for Prometheus (``admin`` scope)."""

from flask import Flask, Response, current_app, g, request

from exchange import logs, metrics
from exchange.auth import require_scope


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)
    app.add_url_rule("/metrics", "metrics", require_scope("admin")(_metrics))


def _start() -> None:
    g.request_id = logs.new_request_id(request.headers.get("X-Request-Id"))
    g.request_id_token = logs.request_id.set(g.request_id)
    g.stopwatch = metrics.time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    started = g.pop("stopwatch", None)
    if started is not None:
        route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
        metrics.observe_request(request.method, route, response.status_code,
                                metrics.time.perf_counter() - started)
    return response


def _forget(_error=None) -> None:
    # g outlives the request when a test (or a job) holds the app context: take the token out,
    # so that the next request's teardown never resets it a second time.
    token = g.pop("request_id_token", None)
    if token is not None:
        logs.request_id.reset(token)


def _metrics():
    body, content_type = metrics.exposition(current_app.extensions["exchange"]["sessions"])
    response = Response(body, content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response
