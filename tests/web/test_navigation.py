"""The header's links follow the person's roles and partner, and lead only to pages that exist."""

import re

from tests.api.oauth_flows import PASSWORD, sign_in


def header_links(client) -> dict[str, str]:
    html = client.get("/").get_data(as_text=True)
    found = re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"[^>]*>\s*'
                       r'(?:<strong[^>]*>)?([^<]+)', html)
    return {text.strip(): href for href, text in found}


def test_a_visitor_sees_home_and_sign_in_only(client):
    assert header_links(client) == {"Home": "/", "Sign in": "/login"}


def test_a_data_officer_sees_no_approvals_or_administration(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")

    links = header_links(client)

    assert {"Home", "Upload", "Returns", "Sign out"} <= set(links)
    assert "Approvals" not in links and "Admin" not in links


def test_an_approver_sees_approvals(client, make_user):
    make_user("rmbc", "head@rmbc.example", PASSWORD, roles=("approver",))
    sign_in(client, "head@rmbc.example")

    assert header_links(client)["Approvals"] == "/approvals"


def test_the_combined_authoritys_analyst_reaches_its_sub_region_and_the_dashboards(client,
                                                                                 make_user):
    make_user("symca", "ada@symca.example", PASSWORD)
    sign_in(client, "ada@symca.example")

    links = header_links(client)

    assert links["MCA"] == "/dashboard/mca/south-yorkshire"
    # The combined authority is in no place partnership: it gets the index of dashboards.
    assert links["Dashboard"] == "/dashboard/"
    # It owes no returns: nothing to upload.
    assert "Upload" not in links and "Returns" not in links


def test_a_board_member_sees_the_dashboards_and_reports_not_the_upload(client, make_user):
    make_user("rmbc", "chair@rmbc.example", PASSWORD, roles=("board",))
    sign_in(client, "chair@rmbc.example")

    links = header_links(client)

    assert {"Home", "Dashboard", "Reports"} <= set(links) and "Upload" not in links


def test_every_header_link_answers(client, make_user):
    make_user("rmbc", "root@rmbc.example", PASSWORD, roles=("approver", "admin"))
    sign_in(client, "root@rmbc.example")

    for text, href in header_links(client).items():
        if text != "Sign out":
            assert client.get(href).status_code == 200, href
