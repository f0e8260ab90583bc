"""Chart specifications are Vega-Lite (they compile), draw to SVG on the server, and each has a
table alternative showing the same figures."""

import vl_convert

from exchange import charts
from exchange.charts.render import VEGA_LITE

KPIS = {"total_spend": "1000.00", "local_spend": "512.00", "local_share": 0.512}
VIEW = {
    "place": {"slug": "rotherham", "code": "E08000018", "name": "Rotherham"},
    "from": "2021-22-Q1", "to": "2021-22-Q2",
    "periods": [{"period": q, "partners": [
        {"slug": "rmbc", "name": "Rotherham Council", "kpis": KPIS, "returns": []},
        {"slug": "rnn", "name": "RNN Group", "kpis": {"total_spend": "0.00",
                                                      "local_spend": "0.00",
                                                      "local_share": None}, "returns": []}],
        "combined": {"kpis": KPIS}} for q in ("2021-22-Q1", "2021-22-Q2")],
    "commitments": [{"code": "living_wage", "title": "Pay the real Living Wage",
                     "aim": "living_wage", "unit": "employees", "partners": [
                         {"partner": "rmbc", "status": "achieved", "target": "100.00",
                          "actual": "100.00", "unit": "employees"},
                         {"partner": "rnn", "status": "not_reported", "target": None,
                          "actual": None, "unit": "employees"}]}],
}
PREVIOUS = {**VIEW, "periods": [{**p, "period": p["period"].replace("2021-22", "2020-21")}
                                for p in VIEW["periods"]]}
MCA = {
    "subregion": {"slug": "south-yorkshire", "code": "E47000002",
                  "name": "South Yorkshire Mayoral Combined Authority"},
    "from": "2021-22-Q1", "to": "2021-22-Q1",
    "periods": [{"period": "2021-22-Q1", "places": [
        {"slug": "rotherham", "code": "E08000018", "name": "Rotherham"},
        {"slug": "sheffield", "code": "E08000019", "name": "Sheffield"}], "flows": [
        {"from": "rotherham", "to": "E08000018", "amount": "700.00"},
        {"from": "rotherham", "to": "outside", "amount": "300.00"},
        {"from": "sheffield", "to": "E08000018", "amount": "50.00"},
        {"from": "south-yorkshire", "to": "E08000018", "amount": "750.00"}]}],
}
MEASURES = [{"code": "apprenticeship_starts", "name": "Apprenticeship starts", "unit": "starts",
             "value": "10.00", "proxy_value": "2414.00", "social_value": "24140.00"},
            {"code": "living_wage_employees", "name": "Living wage", "unit": "people",
             "value": "5.00", "proxy_value": None, "social_value": None}]


def every_spec() -> dict[str, dict]:
    return {
        "by_partner": charts.local_share_by_partner_and_quarter(VIEW),
        "trend": charts.local_share_trend(VIEW, PREVIOUS),
        "flows": charts.spend_flows(MCA),
        "scoreboard": charts.charter_scoreboard(VIEW),
        "social_value": charts.social_value_by_measure(MEASURES),
    }


def test_every_chart_is_a_vega_lite_spec_whose_encoded_fields_are_in_its_data():
    for name, spec in every_spec().items():
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5"), name
        assert spec["title"] and spec["description"] and spec["mark"], name
        values = spec["data"]["values"]
        assert values, name
        for channel in spec["encoding"].values():
            if channel and "field" in channel:
                assert all(channel["field"] in row for row in values), (name, channel)
        compiled = vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE)
        assert compiled["$schema"].startswith("https://vega.github.io/schema/vega/"), name


def test_every_chart_draws_to_svg_with_its_title_and_labels():
    for name, spec in every_spec().items():
        svg = charts.to_svg(spec)
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>"), name
        assert "style=" not in svg and "<script" not in svg, name
    assert "Rotherham Council" in charts.to_svg(every_spec()["by_partner"])


def test_the_table_alternative_shows_exactly_the_charts_figures_formatted():
    spec = charts.local_share_by_partner_and_quarter(VIEW)

    table = charts.data_table(spec)

    assert table["headers"] == ["Period", "Partner", "Local share of located spend",
                                "Spend located", "Note", "Local spend", "Total spend"]
    assert len(table["rows"]) == len(spec["data"]["values"]) == 6
    assert table["rows"][0] == ["2021-22-Q1", "Rotherham Council", "51.2%", "–", "–", "£512",
                                "£1,000"]
    assert table["rows"][1][2] == "–"          # RNN spent nothing: no share


def test_a_share_withheld_for_too_little_located_spend_has_no_bar_and_says_why():
    withheld = {**KPIS, "local_share": None, "coverage": {"located_share": 0.2},
                "withheld": {"local_share": "not enough spend located"}}
    view = {**VIEW, "periods": [{**VIEW["periods"][0], "combined": {"kpis": withheld}}]}

    table = charts.data_table(charts.local_share_by_partner_and_quarter(view))

    assert table["rows"][-1][1:5] == ["All partners", "–", "20.0%", "not enough spend located"]
    assert table["rows"][2][1] == "All partners"


def test_flows_count_each_places_partners_and_name_districts_and_outside():
    values = charts.spend_flows(MCA)["data"]["values"]

    assert sorted((v["from"], v["to"], v["amount"]) for v in values) == [
        ("Rotherham", "Outside South Yorkshire Mayoral Combined Authority", 300.0),
        ("Rotherham", "Rotherham", 700.0),
        ("Sheffield", "Rotherham", 50.0)]


def test_the_scoreboard_and_social_value_charts_leave_out_nothing_and_invent_nothing():
    board = charts.charter_scoreboard(VIEW)["data"]["values"]
    social = charts.social_value_by_measure(MEASURES)["data"]["values"]

    assert [(v["partner"], v["status"]) for v in board] == [
        ("Rotherham Council", "Achieved"), ("RNN Group", "Not reported")]
    assert [(v["measure"], v["social_value"]) for v in social] == [
        ("Apprenticeship starts", 24140.0)]


def test_the_server_draws_charts_with_the_vega_lite_the_browser_loads():
    import json

    from config.default import ROOT
    from exchange.charts import render, specs

    lock = json.loads((ROOT / "package-lock.json").read_text())
    browser = lock["packages"]["node_modules/vega-lite"]["version"]
    assert browser.rsplit(".", 1)[0] == render.VEGA_LITE
    assert specs.SCHEMA.endswith(f"/v{browser.split('.')[0]}.json")
