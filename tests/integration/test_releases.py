"""Publishing the MCA's locked releases: frozen datasets, lineage, versions and revision notes,
disclosure control that differencing cannot undo, the CLI and the audit log."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from exchange.cli import cli
from exchange.context import get_uow
from exchange.errors import BadRequest, NotFound
from exchange.feeds.datasets import KEYS
from exchange.feeds.releases import publish_release, release_datasets
from exchange.models import AuditEvent, Release, ReleaseDataset
from exchange.models.releases import ReleaseLocked
from tests.disclosure_attacks import recovered
from tests.integration.releases_support import NAMES, Q1, SCC, build_quarter, submit

SY = "south-yorkshire"


def datasets_of(release_id: int) -> dict[str, list[dict]]:
    with get_uow() as uow:
        return {name: d.rows for name, d in release_datasets(uow, release_id).items()}


def row(rows: list[dict], **match) -> dict:
    [found] = [r for r in rows if all(r[k] == v for k, v in match.items())]
    return found


def test_a_release_freezes_every_dataset_with_the_returns_it_was_built_from(app):
    ids = build_quarter()

    published = publish_release(get_uow(), SY, Q1)

    assert (published.created, published.version, published.period) == (True, 1, Q1)
    with get_uow() as uow:
        release = uow.session.get(Release, published.release_id)
        stored = release_datasets(uow, release.id)
    assert sorted(r["id"] for r in release.returns) == sorted(ids.values())
    assert {"partner": "scc", "kind": "spend", "period": Q1, "version": 1,
            "id": ids["scc"]} in release.returns
    assert sorted(stored) == ["commitments", "contributions", "flows", "measures", "spend"]
    everything = json.dumps({n: d.rows for n, d in stored.items()})
    assert not [name for name in NAMES if name.lower() in everything.lower()]
    spend = stored["spend"].rows
    assert row(spend, place=SY, partner_kind="all")["total_spend"] == "11065.00"
    assert row(spend, place="sheffield", partner_kind="council")["total_spend"] == "6740.00"
    commitments = stored["commitments"].rows
    assert row(commitments, place=SY, commitment="living_wage") == {
        "place": SY, "place_code": "E47000002", "commitment": "living_wage", "partners": 2,
        "not_started": 0, "in_progress": 1, "achieved": 1, "suppressed": []}


def test_small_cells_are_suppressed_and_marked_never_zeroed(app):
    build_quarter()

    data = datasets_of(publish_release(get_uow(), SY, Q1).release_id)

    # scc pays one Rotherham supplier; syp two: Sheffield's flow to Rotherham has two suppliers.
    flow = row(data["flows"], place="sheffield", destination="E08000018")
    assert (flow["amount"], flow["suppressed"], flow["suppliers"]) == (None, ["amount"], 2)
    # scc's 3 living-wage employees: a people count below 5, not published alone or by
    # difference (Sheffield = scc + syp, Rotherham = syp: so syp's 12 is withheld too)
    lw = {r["place"]: r["value"] for r in data["measures"] if r["measure"] ==
          "living_wage_employees"}
    assert lw == {"barnsley": None, "doncaster": None, "rotherham": None,
                  "sheffield": "15.00", SY: "15.00"}
    donation = row(data["contributions"], place="rotherham", contribution_type="cash_donation")
    assert (donation["value"], donation["quantity"], donation["suppressed"]) == (
        None, None, ["quantity", "value"])
    hours = row(data["contributions"], place="rotherham", contribution_type="volunteering_hours")
    assert (hours["quantity"], hours["suppressed"]) == ("30.00", [])
    for rows in data.values():
        for r in rows:
            assert all(r[field] is None for field in r["suppressed"])
            # shares are worked out from published cells, after disclosure control: a missing
            # one is explained by share_note, not listed as suppressed
            assert all(r[f] is not None for f in r if f not in r["suppressed"]
                       and f not in ("unit", "located_share", "local_share",
                                     "subregional_share"))
            if "share_note" in r and r["local_share"] is None and r["counted_spend"]:
                assert r["share_note"], r


def differencing_attack(data: dict[str, list[dict]]) -> dict[tuple, Decimal]:
    """Recover what can be recovered from the relations anyone can see in a release: a place's
    partner kinds add up to the place, its flows add up to its totals, the sub-region's local
    spend is its sub-regional spend. Solve any relation with one unknown; repeat."""
    known: dict[tuple, Decimal] = {}
    relations: list[tuple[tuple, list[tuple]]] = []
    fields = ("total_spend", "local_spend", "subregional_spend", "unknown_location_spend",
              "sme_spend", "vcse_spend")
    for r in data["spend"]:
        for f in fields:
            known[("spend", r["place"], r["partner_kind"], f)] = r[f]
    for r in data["flows"]:
        known[("flows", r["place"], r["destination"])] = r["amount"]
    lads = ["E08000016", "E08000017", "E08000018", "E08000019"]
    places = {r["place"]: r["place_code"] for r in data["spend"]}
    for place, code in places.items():
        kinds = [r["partner_kind"] for r in data["spend"] if r["place"] == place
                 and r["partner_kind"] != "all"]
        for f in fields:
            relations.append((("spend", place, "all", f), [("spend", place, k, f) for k in kinds]))
        flows = [("flows", place, d) for d in [*lads, "outside", "unknown"]]
        relations.append((("spend", place, "all", "total_spend"), flows))
        relations.append((("spend", place, "all", "subregional_spend"), flows[:4]))
        relations.append((("spend", place, "all", "unknown_location_spend"), [flows[5]]))
        local = flows[:4] if code not in lads else [("flows", place, code)]
        relations.append((("spend", place, "all", "local_spend"), local))
    values = {k: (Decimal(v) if v is not None else None) for k, v in known.items()}
    recovered = {}
    progress = True
    while progress:
        progress = False
        for total, parts in relations:
            members = [total, *parts]
            unknown = [m for m in members if values.get(m) is None]
            if len(unknown) == 1 and all(m in values for m in members):
                [m] = unknown
                rest = sum(values[p] for p in parts if p != m)
                values[m] = rest if m == total else values[total] - rest
                recovered[m] = values[m]
                progress = True
    return recovered


def test_no_suppressed_cell_of_a_release_can_be_recovered_by_differencing(app):
    build_quarter()

    data = datasets_of(publish_release(get_uow(), SY, Q1).release_id)

    suppressed = sum(len(r["suppressed"]) for rows in data.values() for r in rows)
    assert suppressed > 10  # the attack below has something to attack
    assert differencing_attack(data) == {}


def public_atoms(data: dict[str, list[dict]], returns: list[dict]) -> dict[tuple, frozenset]:
    """What anyone knows of each published spend or flows cell: which partners' spend with
    which destinations it adds up (memberships and kinds are public, the lineage says who
    returned spend). Worked out here from the registry, not by the code under test."""
    with get_uow() as uow:
        members = {p.slug: {x.slug for x in uow.partners.for_place(p.id)}
                   | ({x.slug for x in uow.partners.all()} if p.kind == "subregion" else set())
                   for p in uow.places.all()}
        kinds = {x.slug: x.kind for x in uow.partners.all()}
        local = {p.slug: p.lad_codes for p in uow.places.all()}
    spenders = {r["partner"] for r in returns if r["kind"] == "spend"}
    lads = local[SY]
    dests = [*lads, "outside", "unknown"]
    fields = {"total_spend": dests, "subregional_spend": lads, "unknown_location_spend":
              ["unknown"], "sme_spend": ["sme"], "vcse_spend": ["vcse"]}
    cells = {}
    for r in data["spend"]:
        who = [p for p in members[r["place"]] & spenders
               if r["partner_kind"] in ("all", kinds[p])]
        for field, where in {**fields, "local_spend": local[r["place"]]}.items():
            cells[("spend", r["place"], r["partner_kind"], field)] = frozenset(
                (p, d) for p in who for d in where)
    for r in data["flows"]:
        who = members[r["place"]] & spenders
        cells[("flows", r["place"], r["destination"])] = frozenset((p, r["destination"])
                                                                 for p in who)
    return cells


def test_no_partner_s_small_share_or_suppressed_cell_can_be_solved_for(app):
    build_quarter()
    published = publish_release(get_uow(), SY, Q1)
    data = datasets_of(published.release_id)
    with get_uow() as uow:
        returns = uow.session.get(Release, published.release_id).returns
    cells = public_atoms(data, returns)
    # The gross cells, which this attacker models by (partner, destination); the cells of the
    # spend counted in shares split those by net sign and source, which the release's own model
    # links to them (tests/unit/test_disclosure.py).
    values = {("spend", r["place"], r["partner_kind"], f): r[f] for r in data["spend"]
              for f in r if f.endswith("_spend") and not f.startswith(("counted_", "net_"))}
    values.update({("flows", r["place"], r["destination"]): r["amount"] for r in data["flows"]})
    shown = [cells[k] for k, v in values.items() if v is not None]
    hidden = {k: cells[k] for k, v in values.items() if v is None}
    # Each partner's spend with fewer than 3 suppliers somewhere (see releases_support):
    sheffield, rotherham, doncaster, barnsley = "E08000019", "E08000018", "E08000017", "E08000016"
    small = {("syp", d) for d in (barnsley, doncaster, rotherham, "outside", "unknown")}
    small |= {("scc", rotherham), ("scc", "unknown"), ("dmbc", sheffield)}
    targets = {**hidden, **{atom: frozenset({atom}) for atom in small}}

    assert recovered(shown, targets) == set()
    assert recovered(shown, {"sheffield total": cells[("spend", "sheffield", "all",
                                                             "total_spend")]})  # the attack works


def test_publishing_again_without_changes_makes_no_new_version(app):
    build_quarter()
    first = publish_release(get_uow(), SY, Q1)

    again = publish_release(get_uow(), "E47000002", Q1)

    assert (again.created, again.release_id, again.version) == (False, first.release_id, 1)
    with get_uow() as uow:
        assert len(list(uow.session.scalars(select(Release)))) == 1


def test_a_resubmission_makes_version_two_with_notes_and_version_one_stays_as_it_was(app):
    ids = build_quarter()
    first = publish_release(get_uow(), SY, Q1)
    before = datasets_of(first.release_id)
    with get_uow() as uow:
        hashes = {d.name: d.sha256 for d in uow.session.scalars(select(ReleaseDataset))}
    newer = submit(SCC + "14/05/2021,5000.00,Zulu Ltd,S1 2HH\n", "scc").id

    second = publish_release(get_uow(), SY, Q1)

    assert (second.created, second.version) == (True, 2)
    notes = second.notes
    assert notes["previous_release"] == first.release_id
    assert notes["returns_superseded"] == [{"id": ids["scc"], "partner": "scc", "kind": "spend",
                                            "period": Q1, "version": 1, "by": newer,
                                            "by_version": 2}]
    assert notes["returns_added"] == [] and notes["returns_withdrawn"] == []
    changed = {(c["dataset"], c["row"]["place"], c["row"].get("partner_kind"), c["field"]):
               (c["from"], c["to"]) for c in notes["cells_changed"]}
    # the change (16,065.00 - 11,065.00) would be Zulu's one payment: withheld in version 2
    assert changed[("spend", SY, "all", "total_spend")] == ("11065.00", None)
    assert "16065.00" not in str(notes)
    assert "1 superseded" in notes["summary"]
    assert datasets_of(first.release_id) == before
    with get_uow() as uow:
        assert {d.name: d.sha256 for d in uow.session.scalars(
            select(ReleaseDataset).where(ReleaseDataset.release_id == first.release_id))} == hashes


def test_a_published_release_cannot_be_changed_or_deleted(app):
    build_quarter()
    published = publish_release(get_uow(), SY, Q1)

    with get_uow() as uow:
        release = uow.session.get(Release, published.release_id)
        release.notes = {"summary": "rewritten"}
        with pytest.raises(ReleaseLocked):
            uow.commit()
    with get_uow() as uow:
        dataset = uow.session.scalars(select(ReleaseDataset)).first()
        uow.session.delete(dataset)
        with pytest.raises(ReleaseLocked):
            uow.commit()
    with get_uow() as uow:
        assert uow.session.get(Release, published.release_id).notes["summary"] == \
            "First release for this period."


def test_a_return_awaiting_approval_does_not_count_in_a_release(app):
    # rmbc requires approval (config/partners.toml): its return counts once approved.
    submit("Payment Date,Amount,Supplier Name,Supplier Postcode\n"
           "03/05/2021,100.00,Alpha Ltd,S1 2HH\n", "rmbc")

    published = publish_release(get_uow(), SY, Q1)

    with get_uow() as uow:
        assert uow.session.get(Release, published.release_id).returns == []
    assert datasets_of(published.release_id)["spend"] == []


def test_publishing_refuses_a_place_that_is_not_a_subregion_and_a_bad_period(app):
    with pytest.raises(NotFound):
        publish_release(get_uow(), "rotherham", Q1)
    with pytest.raises(BadRequest):
        publish_release(get_uow(), SY, "2021-22")
    with pytest.raises(BadRequest):
        publish_release(get_uow(), SY, "last quarter")


def test_the_cli_publishes_a_release_then_reports_no_change_and_audits_it(app):
    build_quarter()
    runner = app.test_cli_runner()
    args = ["releases", "publish", "--subregion", SY, "--period", Q1]

    first = runner.invoke(cli, args)
    again = runner.invoke(cli, args)

    assert first.exit_code == 0, first.output
    assert "Published release" in first.output and f"{SY} {Q1} v1" in first.output
    assert again.exit_code == 0 and again.output.startswith("No change")
    with get_uow() as uow:
        events = list(uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "release.publish")))
    assert len(events) == 1
    assert (events[0].actor, events[0].detail["version"], events[0].detail["period"]) == (
        "cli", 1, Q1)


def test_every_dataset_row_is_identified_by_its_key_fields(app):
    build_quarter()

    data = datasets_of(publish_release(get_uow(), SY, Q1).release_id)

    for name, rows in data.items():
        keys = [tuple(r[k] for k in KEYS[name]) for r in rows]
        assert len(keys) == len(set(keys)), name
