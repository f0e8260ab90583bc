"""The data standard for people: each kind of return with its columns, what each means, an
example, whether it is required, and the CSV and Excel templates to download. The same
Table Schema the API publishes (/api/v1/standard), written as a page. Open to everyone."""

from flask import Blueprint, render_template

from schemas import KINDS, table_schema

blp = Blueprint("standard_page", __name__)
TYPES = {"date": "Date", "number": "Number", "boolean": "Yes or no", "string": "Text"}


@blp.get("/standard")
def index():
    """Every kind of return, its columns and its templates."""
    kinds = []
    for kind in KINDS:
        schema = table_schema(kind)
        kinds.append({"kind": kind, "title": schema["title"],
                      "description": schema["description"],
                      "fields": [_field(f) for f in schema["fields"]]})
    return render_template("pages/standard/index.html", kinds=kinds)


def _field(field: dict) -> dict:
    constraints = field.get("constraints", {})
    allowed = constraints.get("enum")
    example = field.get("example")
    return {"name": field["name"], "title": field.get("title", field["name"]),
            "description": field.get("description", ""),
            "type": TYPES.get(field["type"], field["type"]),
            "required": bool(constraints.get("required")),
            "allowed": ", ".join(allowed) if allowed else None,
            "example": "" if example is None else str(example)}
