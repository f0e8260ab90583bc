"""The views over HTTP: scope, shapes, 404 for unknown places and 422 saying what is wrong."""

import pytest

from tests.integration.views_support import Q1, Q2, build_world


@pytest.fixture
def headers(partner_token):
    """syp, a partner of every place of South Yorkshire: it may read every live view."""
    return {"Authorization": f"Bearer {partner_token('syp', 'views:read')}"}


@pytest.mark.parametrize(("partner", "path"), [
    ("symca", "/api/v1/views/partnership/rotherham"),
    ("symca", "/api/v1/views/mca/south-yorkshire"),
    ("scc", "/api/v1/views/partnership/rotherham"),
    ("rmbc", "/api/v1/views/mca/south-yorkshire"),
])
def test_outside_a_partnership_the_live_views_are_403_pointing_to_the_feeds(
        client, partner_token, partner, path):
    build_world()
    token = partner_token(partner, "views:read")

    response = client.get(f"{path}?from={Q1}", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403
    body = response.get_json()
    assert "/api/v1/feeds/south-yorkshire/releases" in body["message"]
    assert "106000" not in response.get_data(as_text=True)


def test_the_partnership_view_has_the_documented_shape_by_slug_or_lad_code(client, headers):
    build_world()

    by_slug = client.get(f"/api/v1/views/partnership/rotherham?from={Q1}&to={Q2}&by=quarter",
                         headers=headers)
    by_code = client.get(f"/api/v1/views/partnership/E08000018?from={Q1}&to={Q2}&by=quarter",
                         headers=headers)

    assert by_slug.status_code == 200
    body = by_slug.get_json()
    assert body == by_code.get_json()
    assert set(body) == {"place", "from", "to", "by", "basis", "periods", "commitments",
                         "measures", "contributions", "submission_status", "completeness"}
    assert [p["period"] for p in body["periods"]] == [Q1, Q2]
    first = body["periods"][0]
    assert set(first) == {"period", "partners", "combined"}
    assert set(first["partners"][0]) == {"slug", "name", "kpis", "returns"}
    assert first["combined"]["kpis"]["total_spend"] == "106000.00"
    assert first["combined"]["kpis"]["local_share"] == 0.5454  # of located spend, net
    assert first["combined"]["kpis"]["coverage"]["located_share"] == 0.9924
    assert first["combined"]["kpis"]["method"] == "/glossary#shares"


def test_the_comparable_basis_says_which_threshold_it_used(client, headers):
    build_world()

    body = client.get("/api/v1/views/partnership/rotherham?from=2021-22&basis=comparable",
                      headers=headers).get_json()

    assert (body["basis"], body["threshold"]) == ("comparable", "25000.00")
    assert body["periods"][0]["combined"]["kpis"]["total_spend"] == "96000.00"


def test_the_mca_view_answers_by_slug_or_ons_code_with_places_subregion_and_flows(client,
                                                                                  headers):
    build_world()

    by_code = client.get(f"/api/v1/views/mca/E47000002?from={Q1}", headers=headers)
    by_slug = client.get(f"/api/v1/views/mca/south-yorkshire?from={Q1}", headers=headers)

    assert by_code.status_code == 200
    body = by_code.get_json()
    assert body == by_slug.get_json()
    assert set(body) == {"subregion", "from", "to", "by", "basis", "periods", "returns",
                         "completeness"}
    [period] = body["periods"]
    assert set(period) == {"period", "places", "subregion", "flows"}
    assert period["subregion"]["kpis"]["subregional_spend"] == "78500.00"
    assert {"from": "rotherham", "to": "outside", "amount": "26500.00", "lines": 2,
            "suppliers": 2} in period["flows"]


@pytest.mark.parametrize("path", ["/api/v1/views/partnership/atlantis",
                                  "/api/v1/views/partnership/south-yorkshire",
                                  "/api/v1/views/mca/rotherham", "/api/v1/views/mca/E47000099"])
def test_an_unknown_place_or_sub_region_is_404(client, headers, path):
    response = client.get(f"{path}?from={Q1}", headers=headers)

    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    assert "Known:" in response.get_json()["message"]


@pytest.mark.parametrize(("query", "field", "says"), [
    ("", "from", "first period"),
    ("from=2021-22-Q5", "from", "Q1 to Q4"),
    ("from=2021-23", "from", "consecutive"),
    (f"from={Q2}&to={Q1}", "to", "comes before"),
    (f"from={Q1}&by=month", "by", "quarter, year, total"),
    (f"from={Q1}&basis=gross", "basis", "as_submitted, comparable"),
])
def test_bad_periods_grouping_or_basis_are_422_naming_the_field(client, headers, query, field,
                                                                says):
    response = client.get(f"/api/v1/views/partnership/rotherham?{query}", headers=headers)

    assert response.status_code == 422
    assert says in response.get_json()["errors"][field][0]
    mca = client.get(f"/api/v1/views/mca/south-yorkshire?{query}", headers=headers)
    assert mca.status_code == 422


def test_the_views_need_a_token_with_views_read(client, partner_token):
    no_token = client.get(f"/api/v1/views/partnership/rotherham?from={Q1}")
    wrong = client.get(f"/api/v1/views/mca/south-yorkshire?from={Q1}", headers={
        "Authorization": f"Bearer {partner_token('rmbc', 'returns:read')}"})

    assert no_token.status_code == 401
    assert wrong.status_code == 403
    assert wrong.get_json()["errors"] == {"scope": ["views:read"]}
