"""The base of every return row schema."""

from marshmallow import Schema, ValidationError, validates_schema


class RowSchema(Schema):
    """One row of a return; fields not marked required may be left empty (null)."""

    # Groups of fields of which a row must give at least one, e.g. a quantity or a value.
    at_least_one: tuple[tuple[str, ...], ...] = ()

    def on_bind_field(self, field_name, field_obj):
        # One rule for the whole standard instead of load_default=None on every optional field.
        if not field_obj.required:
            field_obj.load_default = None
            field_obj.allow_none = True

    @validates_schema
    def _check_at_least_one(self, data, **kwargs):
        for group in self.at_least_one:
            if all(data.get(name) is None for name in group):
                raise ValidationError(f"Give at least one of {', '.join(group)}.", group[0])

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Field name -> column header people see, in the standard's column order."""
        return {name: f.metadata["label"] for name, f in cls().fields.items()}
