"""Request bodies in JSON are parsed with a nesting limit (``JSON_MAX_DEPTH``): a body nested
deeper is a 400 in the error shape, where the parser would otherwise crash with a 500."""

from flask.json.provider import DefaultJSONProvider

from exchange.errors import BadRequest
from partners.formats import jsondepth


class DepthLimitedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, whose ``loads`` refuses documents nested past the limit."""

    def loads(self, s: str | bytes, **kwargs):
        limit = self._app.config.get("JSON_MAX_DEPTH", jsondepth.MAX_DEPTH)
        try:
            return jsondepth.loads(s, limit, **kwargs)
        except jsondepth.TooDeep as err:
            raise BadRequest(f"The JSON body has lists or objects {err}; send rows of named "
                             "values.", errors={"json": [str(err)]}) from err
