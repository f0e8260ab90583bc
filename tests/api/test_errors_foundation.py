"""The foundation's pages and error shapes."""


def test_the_home_page_names_the_places_and_links_to_the_api_docs(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Rotherham Together Partnership" in text
    assert 'href="/api/v1/docs"' in text


def test_the_interactive_docs_load_their_assets_from_the_hub_itself(client):
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs.get_data(as_text=True)
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_an_unknown_address_answers_404_in_the_json_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert set(response.get_json()) == {"code", "status", "error", "message", "errors"}


def test_a_wrong_method_answers_405_with_the_allowed_methods(client):
    response = client.delete("/api/v1/partners")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["error"] == "method_not_allowed"


def test_healthz_says_the_database_answers(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
