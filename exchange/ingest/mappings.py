"""Column mappings: checked when sent with an upload, remembered when they read the file, used
for the next file with the same headings, listed and deleted by their partner."""

import partners
from exchange.errors import NotFound, Unprocessable
from exchange.models.base import utcnow
from exchange.models.mappings import ColumnMapping
from exchange.unit_of_work import UnitOfWork
from partners import FIELDS, REQUIRED
from partners.guess import guess_columns
from schemas.issues import column_letter

MAX_HEADING = 200


def check_columns(kind: str, columns) -> dict[str, str | None]:
    """The mapping sent with an upload (standard field -> the file's heading), or 422 saying
    what is wrong with it. An empty heading means the field is not in the file."""
    if columns is None:
        return {}
    if not isinstance(columns, dict):
        raise Unprocessable("'columns' must be a JSON object from standard field names to your "
                            'file\'s headings, like {"supplier_name": "SUPP_NM"}.',
                            errors={"columns": ["not a JSON object"]})
    problems = []
    known = FIELDS.get(kind, ())
    for name, heading in columns.items():
        if name not in known:
            problems.append(f"'{name}' is not a field of {kind} returns; the fields are "
                            f"{', '.join(known)}.")
        elif heading is not None and not isinstance(heading, str):
            problems.append(f"The heading for '{name}' must be text (or null if the file has "
                            "no such column).")
        elif heading and len(heading) > MAX_HEADING:
            problems.append(f"The heading for '{name}' is longer than {MAX_HEADING} characters.")
    if problems:
        raise Unprocessable("The column mapping is not valid: " + " ".join(problems),
                            errors={"columns": problems})
    return {name: (heading or "").strip() or None for name, heading in columns.items()}


def read_options(uow: UnitOfWork, partner, kind: str, stored, sent: dict) -> dict:
    """How to read this partner's file of this kind: ``partners.read_table``'s options."""
    saved = {m.headings_key: dict(m.columns) for m in uow.mappings.for_partner(partner.id, kind)}
    return {"filename": stored.filename, "media_type": stored.media_type,
            "profile": partner.profile, "overrides": dict(partner.column_overrides or {}),
            "columns": sent, "saved": saved}


def mapping_step(uow: UnitOfWork, blobs, partner_slug: str, kind: str, stored) -> dict | None:
    """For a file whose key columns could not be recognised: its headings with sample values,
    each field of the kind (needed ones first) and the best guess of its column. None for a file
    that fails for any other reason."""
    with uow:
        partner = uow.partners.get(partner_slug)
        options = read_options(uow, partner, kind, stored, {})
    with blobs.open(stored.sha256) as stream:
        try:
            partners.read_table(stream, kind, **options)
        except partners.MissingColumns as err:
            missing = err
        except partners.UnreadableFile:
            return None
        else:
            return None
    guesses = guess_columns(kind, missing.headings, missing.samples, missing.found)
    needed = [name for group in REQUIRED[kind] for name in group]
    columns = [{"heading": heading, "letter": column_letter(index),
                "samples": [row[index] for row in missing.samples
                            if index < len(row) and row[index].strip()]}
               for index, heading in enumerate(missing.headings) if heading]
    fields = [{"name": name, "needed": name in needed,
               "guess": missing.headings[guesses[name]] if name in guesses else ""}
              for name in sorted(FIELDS[kind], key=lambda n: n not in needed)]
    return {"message": missing.message, "columns": columns, "fields": fields}


def remember(uow: UnitOfWork, partner_id: int, partner_slug: str, kind: str, table,
             columns: dict, actor: str) -> None:
    """Keep a sent mapping that read the file, for the next file with the same headings."""
    headings = [column.header for column in (*table.columns.values(), *table.ignored)]
    with uow:
        mapping = uow.mappings.for_headings(partner_id, kind, table.headings_key)
        if mapping is None:
            mapping = uow.mappings.add(ColumnMapping(
                partner_id=partner_id, kind=kind, headings_key=table.headings_key,
                headings=sorted(headings, key=str.lower), columns=columns,
                saved_by=actor[:200]))
        else:
            mapping.columns, mapping.saved_by, mapping.saved_at = columns, actor[:200], utcnow()
        uow.audit.add(actor, "mapping.save", partner_slug=partner_slug,
                      subject=f"mapping:{mapping.id}", kind=kind, columns=columns)
        uow.commit()


def mark_used(uow: UnitOfWork, partner_id: int, kind: str, key: str) -> str | None:
    """Note that a saved mapping read a file; its saved date, for the receipt."""
    with uow:
        mapping = uow.mappings.for_headings(partner_id, kind, key)
        if mapping is None:
            return None
        mapping.last_used_at = utcnow()
        saved = f"{mapping.saved_at:%d %B %Y}"
        uow.commit()
    return saved


def list_mappings(uow: UnitOfWork, partner_id: int, kind: str | None = None) -> list[dict]:
    """A partner's saved mappings, newest first."""
    with uow:
        return [as_dict(m) for m in uow.mappings.for_partner(partner_id, kind)]


def delete_mapping(uow: UnitOfWork, partner_id: int, partner_slug: str, mapping_id: int,
                   actor: str) -> None:
    """Forget one of the partner's mappings: files with those headings are recognised again."""
    with uow:
        mapping = uow.mappings.get(mapping_id, partner_id)
        if mapping is None:
            raise NotFound("There is no column mapping with that id among your partner's.")
        uow.mappings.delete(mapping)
        uow.audit.add(actor, "mapping.delete", partner_slug=partner_slug,
                      subject=f"mapping:{mapping_id}", kind=mapping.kind)
        uow.commit()


def as_dict(mapping: ColumnMapping) -> dict:
    return {"id": mapping.id, "kind": mapping.kind, "headings": list(mapping.headings),
            "columns": dict(mapping.columns), "saved_by": mapping.saved_by,
            "saved_at": mapping.saved_at.isoformat(),
            "last_used_at": mapping.last_used_at.isoformat() if mapping.last_used_at else None}
