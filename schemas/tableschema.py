"""Frictionless Table Schema (v1, as frictionless v5 reads it) for each kind of return.

Built from the kind's JSON Schema, so both publications say the same thing: a field's type,
whether it is required, its pattern, choices and longest length. Tools such as ``frictionless
validate`` check a CSV whose headings are the standard's field names against it. It describes the
canonical form; the hub itself also reads the other spellings finance systems export (day-first
dates, "£1,234.56", "S602UD"), and soft fields (postcodes, company numbers…) are only warnings
there.
"""

from schemas.jsonschema import json_schema
from schemas.returns import schema_for

PROFILE = "tableschema"
# Yes/no cells as people write them; frictionless compares them exactly.
TRUE_VALUES = ["yes", "Yes", "YES", "y", "Y", "true", "True", "TRUE", "1"]
FALSE_VALUES = ["no", "No", "NO", "n", "N", "false", "False", "FALSE", "0"]
# Cells that mean "nothing here" in the standard's own files.
MISSING_VALUES = [""]


def _types(prop: dict) -> tuple[str, str | None]:
    """The JSON Schema type (without "null") and format of a property."""
    kinds = prop.get("type", "string")
    if isinstance(kinds, list):
        kinds = next(kind for kind in kinds if kind != "null")
    return kinds, prop.get("format")


def _field(name: str, prop: dict, required: bool) -> dict:
    kind, fmt = _types(prop)
    field: dict = {"name": name, "title": prop["title"], "description": prop["description"]}
    constraints: dict = {"required": True} if required else {}
    if kind == "string" and fmt == "date":
        field["type"] = "date"
    elif kind == "number":
        field["type"] = "number"
    elif kind == "boolean":
        field.update(type="boolean", trueValues=TRUE_VALUES, falseValues=FALSE_VALUES)
    else:
        field["type"] = "string"
        if fmt == "uri":
            field["format"] = "uri"
        if "enum" in prop:
            constraints["enum"] = [value for value in prop["enum"] if value is not None]
        if "pattern" in prop:
            constraints["pattern"] = prop["pattern"].removeprefix("^").removesuffix("$")
        if "maxLength" in prop:
            constraints["maxLength"] = prop["maxLength"]
    if constraints:
        field["constraints"] = constraints
    field["example"] = prop["examples"][0]
    return field


def table_schema(kind: str) -> dict:
    """The Table Schema of one kind of return: one field per column of the standard."""
    body = json_schema(kind)
    required = set(body.get("required", ()))
    description = body["description"]
    groups = schema_for(kind).at_least_one
    if groups:
        # Table Schema has no "one of these columns" rule; say it in words.
        description += " " + " ".join(
            f"Each row needs at least one of {', '.join(group)}." for group in groups)
    return {
        "profile": PROFILE,
        "title": body["title"],
        "description": description,
        "fields": [_field(name, prop, name in required)
                   for name, prop in body["properties"].items()],
        "missingValues": MISSING_VALUES,
    }
