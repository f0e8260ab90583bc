"""The MCA's feeds: locked, disclosure-controlled releases in JSON or CSV, with ETags."""

import hashlib

from flask import Response, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from exchange.api.args import QuarterArg
from exchange.api.docs import errors, json_body, path_parameter
from exchange.api.feed_docs import ChangesSchema, DatasetPageSchema, ReleaseListSchema
from exchange.api.views import SUBREGION
from exchange.auth import require_scope
from exchange.bounds import whole
from exchange.context import get_engine, get_uow
from exchange.csvsafe import csv_bytes
from exchange.feeds import reading
from exchange.feeds.datasets import DATASETS
from exchange.feeds.releases import canonical

blp = Blueprint("feeds", __name__, description="Disclosure-controlled releases for the MCA")

JSON, CSV = "application/json", "text/csv"


class ReleaseListArgsSchema(Schema):
    period = QuarterArg(metadata={"description": "only releases of this quarter"})


class DatasetArgsSchema(Schema):
    cursor = fields.String(metadata={"description": "the `next` cursor of the previous page"})
    limit = fields.Integer(load_default=1000, validate=whole(1, 5000))
    format = fields.String(validate=validate.OneOf(["json", "csv"]),
                           metadata={"description": "or send Accept: text/csv"})


class ChangesArgsSchema(Schema):
    since = fields.Integer(validate=whole(),
                           metadata={"description": "a release id; omit for every release"})


@blp.route("/feeds/<subregion>/releases", parameters=[SUBREGION])
class ReleaseList(MethodView):
    @require_scope("feeds:read")
    @blp.arguments(ReleaseListArgsSchema, location="query")
    @json_body(blp, ReleaseListSchema, "The releases, oldest first")
    @errors(blp, {404: "No such sub-region"})
    def get(self, args, subregion: str):
        """Every release of the sub-region: id, period, version, published_at, notes, returns."""
        return {"items": reading.list_releases(get_uow(), subregion, args.get("period"))}


@blp.route("/feeds/<subregion>/changes", parameters=[SUBREGION])
class Changes(MethodView):
    @require_scope("feeds:read")
    @blp.arguments(ChangesArgsSchema, location="query")
    @json_body(blp, ChangesSchema, "The releases after since")
    @errors(blp, {404: "No such sub-region, or no release since of it"})
    def get(self, args, subregion: str):
        """The releases published after release `since`, each with what it changed."""
        return reading.changes_since(get_uow(), subregion, args.get("since"))


@blp.route("/feeds/<subregion>/releases/<int:release_id>/<dataset>", parameters=[
    SUBREGION, path_parameter("dataset", "Which dataset of the release", enum=list(DATASETS),
                              example="spend")])
class Dataset(MethodView):
    @require_scope("feeds:read")
    @blp.arguments(DatasetArgsSchema, location="query")
    @blp.doc(responses={"200": {"description": "A page of the dataset (ETag; Link: next)",
                                "content": {JSON: {"schema": DatasetPageSchema},
                                            CSV: {"schema": {"type": "string"}}}}})
    @blp.alt_response(304, description="Not modified: your copy (If-None-Match) is current")
    @errors(blp, {400: "The cursor is not valid",
                  404: "No such sub-region, release or dataset"})
    def get(self, args, subregion: str, release_id: int, dataset: str):
        """One dataset of a release (spend, flows, measures, commitments, contributions), a page
        at a time; JSON by default, CSV with ?format=csv or Accept: text/csv."""
        media, cursor, limit = _media_type(args.get("format")), args.get("cursor"), args["limit"]
        uow = get_uow()
        stamp = reading.dataset_stamp(get_engine(), subregion, release_id, dataset)
        if stamp is not None:
            after = reading.decode_cursor(cursor, release_id, dataset, stamp.row_count)
            more = after + 1 + limit < stamp.row_count
            next_url = _next_url(args, subregion, release_id, dataset,
                                 reading.encode_cursor(release_id, dataset, after + limit)
                                 if more else None)
            headers = _headers(_etag(stamp, media, args), next_url)
            if _not_modified(headers["ETag"]):
                return Response(status=304, headers=headers)
        page = reading.dataset_page(uow, subregion, release_id, dataset, cursor, limit)
        next_url = _next_url(args, subregion, release_id, dataset, page.next_cursor)
        stamp = stamp or reading.dataset_stamp(get_engine(), subregion, release_id, dataset)
        headers = _headers(_etag(stamp, media, args), next_url)
        body = _csv(page) if media == CSV else canonical(_json(page, next_url))
        if media == CSV:
            name = f"{page.release['subregion']}-{page.release['period']}-" \
                   f"v{page.release['version']}-{dataset}.csv"
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return Response(body, mimetype=media, headers=headers)


ETAG_FORMAT = b"feed-page-1"


def _etag(stamp: reading.Stamp, media: str, args: dict) -> str:
    """A strong ETag from the stored dataset's hash and what shapes the page (media type,
    cursor, limit, format parameter): a release never changes, so neither does the page."""
    parts = [ETAG_FORMAT, media, args.get("cursor") or "", str(args["limit"]),
             args.get("format") or "", str(stamp.release_id), stamp.dataset, stamp.sha256]
    digest = hashlib.sha256(b"\n".join(p if isinstance(p, bytes) else p.encode()
                                        for p in parts)).hexdigest()
    return f'"{digest}"'


def _not_modified(etag: str) -> bool:
    return bool(request.if_none_match) and request.if_none_match.contains_weak(etag.strip('"'))


def _headers(etag: str, next_url: str | None) -> dict:
    headers = {"ETag": etag, "Vary": "Accept, Authorization",
               "Cache-Control": "private, no-cache"}
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next"'
    return headers


def _next_url(args: dict, subregion: str, release_id: int, dataset: str,
              cursor: str | None) -> str | None:
    if not cursor:
        return None
    query = {"cursor": cursor, "limit": args["limit"]}
    if args.get("format"):
        query["format"] = args["format"]
    return url_for("feeds.Dataset", subregion=subregion, release_id=release_id,
                   dataset=dataset, **query)


def _media_type(fmt: str | None) -> str:
    if fmt:
        return CSV if fmt == "csv" else JSON
    best = request.accept_mimetypes.best_match([JSON, CSV], default=JSON)
    return best or JSON


def _json(page: reading.Page, next_url: str | None) -> dict:
    release = {k: page.release[k] for k in ("id", "subregion", "period", "version",
                                            "published_at")}
    return {"release": release, "dataset": page.dataset, "columns": page.columns,
            "completeness": page.release["completeness"], "items": page.rows, "next": next_url}


def _csv(page: reading.Page) -> bytes:
    def cell(row, column):
        value = row.get(column)
        if column == "suppressed":
            return " ".join(value or [])
        if isinstance(value, bool):
            return "true" if value else "false"
        return value

    return csv_bytes(page.columns, ([cell(row, c) for c in page.columns] for row in page.rows))
