"""`LineRepository.refilling`: a table's rows replaced by others in one go. On PostgreSQL the
table is truncated, its primary key dropped while the rows are copied (in a thread, while the
caller works) and built again after; on SQLite the rows are deleted and inserted."""

import polars as pl
import psycopg
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from exchange.context import get_uow
from exchange.models.aggregates import SpendPartnerSupplier

TABLE = SpendPartnerSupplier.__table__


def row(partner_id: int, supplier_key: str, quarters: int = 1) -> dict:
    return {"partner_id": partner_id, "threshold_pence": 0, "epoch": 0, "location": "unknown",
            "supplier_key": supplier_key, "quarters": quarters}


def stored() -> list[tuple]:
    with get_uow() as uow:
        return [tuple(r) for r in uow.session.execute(
            select(TABLE.c.partner_id, TABLE.c.supplier_key, TABLE.c.quarters)
            .order_by(TABLE.c.partner_id, TABLE.c.supplier_key))]


def refill(rows: list[dict], meanwhile=lambda: None) -> None:
    with get_uow() as uow:
        ready = uow.lines.ready(TABLE, pl.DataFrame(rows, schema={
            "partner_id": pl.Int64, "threshold_pence": pl.Int64, "epoch": pl.Int64,
            "location": pl.String, "supplier_key": pl.String, "quarters": pl.Int64}))
        with uow.lines.refilling(TABLE, ready):
            meanwhile()
        uow.commit()


def test_refilling_replaces_every_row_and_keeps_the_key(app):
    with get_uow() as uow:
        uow.session.execute(insert(TABLE), [row(1, "name:OLD"), row(2, "name:OTHER")])
        uow.commit()

    refill([row(1, "name:NEW", 3), row(3, "name:THIRD", 5)])

    assert stored() == [(1, "name:NEW", 3), (3, "name:THIRD", 5)]
    with get_uow() as uow, pytest.raises(IntegrityError):
        uow.session.execute(insert(TABLE), [row(1, "name:NEW")])
        uow.session.flush()


def test_the_callers_work_runs_inside_the_refill_and_every_row_is_stored(app):
    done = []

    refill([row(1, f"name:S{i}") for i in range(500)], meanwhile=lambda: done.append(True))

    assert done == [True]
    with get_uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(TABLE)) == 500


def test_rows_breaking_the_key_are_refused_and_the_table_keeps_what_it_had(app):
    with get_uow() as uow:
        uow.session.execute(insert(TABLE), [row(1, "name:KEPT")])
        uow.commit()

    with pytest.raises((IntegrityError, psycopg.errors.UniqueViolation)):
        refill([row(1, "name:TWICE"), row(1, "name:TWICE", 2)])

    assert stored() == [(1, "name:KEPT", 1)]
    with get_uow() as uow, pytest.raises(IntegrityError):
        uow.session.execute(insert(TABLE), [row(1, "name:KEPT")])
        uow.session.flush()


def test_an_error_in_the_callers_work_leaves_the_table_as_it_was(app):
    with get_uow() as uow:
        uow.session.execute(insert(TABLE), [row(1, "name:KEPT")])
        uow.commit()

    def fail():
        raise RuntimeError("the counts could not be worked out")

    with pytest.raises(RuntimeError, match="counts"):
        refill([row(2, "name:NEVER")], meanwhile=fail)

    assert stored() == [(1, "name:KEPT", 1)]
