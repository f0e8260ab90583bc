"""The standard as Frictionless Table Schemas, checked with the real `frictionless` library: the
published templates validate against them, and a wrong row does not."""

import csv
import io

import pytest
from frictionless import Resource, Schema, validate

from schemas import KINDS


def _schema(client, kind: str) -> dict:
    response = client.get(f"/api/v1/standard/{kind}.tableschema.json")
    assert response.status_code == 200
    return response.get_json()


def _template_rows(client, kind: str) -> list[list[str]]:
    data = client.get(f"/api/v1/standard/{kind}.csv").data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _frictionless(descriptor: dict, data: bytes, **options):
    schema = Schema.from_descriptor(descriptor)
    return validate(Resource(data=data, format="csv", schema=schema), **options)


@pytest.mark.parametrize("kind", list(KINDS))
def test_table_schema_of_each_kind_is_a_valid_frictionless_schema_with_one_field_per_column(
        client, kind):
    descriptor = _schema(client, kind)

    assert list(Schema.metadata_validate(descriptor)) == []
    names = [field["name"] for field in descriptor["fields"]]
    assert names == list(KINDS[kind]().fields)
    assert set(names) == set(client.get(f"/api/v1/standard/{kind}.schema.json")
                             .get_json()["properties"])


@pytest.mark.parametrize("kind", list(KINDS))
def test_template_example_row_under_the_field_names_passes_frictionless_validation(client, kind):
    descriptor = _schema(client, kind)
    _, example = _template_rows(client, kind)
    names = [field["name"] for field in descriptor["fields"]]

    report = _frictionless(descriptor, _as_csv([names, example]))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.task.stats["rows"] == 1


@pytest.mark.parametrize("kind", list(KINDS))
def test_published_csv_template_validates_against_its_table_schema_but_for_headings_being_titles(
        client, kind):
    descriptor = _schema(client, kind)
    data = client.get(f"/api/v1/standard/{kind}.csv").data

    report = _frictionless(descriptor, data.decode("utf-8-sig").encode("utf-8"))

    # Table Schema matches headings to field names; the template shows people the titles.
    wrong = report.flatten(["type", "fieldNumber", "note"])
    assert {error[0] for error in wrong} == {"incorrect-label"}
    titles = [field["title"] for field in descriptor["fields"]]
    assert _template_rows(client, kind)[0] == titles
    assert _frictionless(descriptor, data.decode("utf-8-sig").encode("utf-8"),
                         skip_errors=["incorrect-label"]).valid


def test_a_spend_row_with_a_bad_date_no_supplier_and_a_wrong_postcode_fails_frictionless(client):
    descriptor = _schema(client, "spend")
    names = [field["name"] for field in descriptor["fields"]]
    row = dict.fromkeys(names, "")
    row.update(payment_date="31/02/2021", amount="12.50", supplier_postcode="S602UD")

    report = _frictionless(descriptor, _as_csv([names, [row[name] for name in names]]))

    found = {(error[0], error[1]) for error in report.flatten(["fieldName", "type"])}
    assert found == {("payment_date", "type-error"), ("supplier_name", "constraint-error"),
                     ("supplier_postcode", "constraint-error")}


def test_standard_index_links_each_kinds_table_schema(client):
    kinds = client.get("/api/v1/standard").get_json()["kinds"]

    assert [k["table_schema"] for k in kinds] == [
        f"/api/v1/standard/{kind}.tableschema.json" for kind in KINDS]


def test_table_schema_of_an_unknown_kind_is_404(client):
    assert client.get("/api/v1/standard/payroll.tableschema.json").status_code == 404
