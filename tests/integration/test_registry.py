"""The registry of places, partners, charter and measures loads from config/ and reloads cleanly."""

from decimal import Decimal

from sqlalchemy import func, select

from config.default import CONFIG_DIR
from exchange.context import get_uow
from exchange.models import CharterCommitment, Partner, PartnerPlace, Place
from exchange.services.admin.registry import load_registry


def count(uow, model) -> int:
    return uow.session.scalar(select(func.count()).select_from(model))


def test_south_yorkshire_contains_exactly_its_four_districts(uow):
    with uow:
        subregion = uow.places.get("south-yorkshire")
        assert subregion.code == "E47000002"
        assert subregion.lad_codes == ["E08000016", "E08000017", "E08000018", "E08000019"]
        assert uow.places.get("E08000018").slug == "rotherham"
        places = {p.slug for p in uow.places.all() if p.parent_id == subregion.id}
        assert places == {"rotherham", "sheffield", "doncaster", "barnsley"}


def test_partners_carry_kind_org_id_threshold_and_places(uow):
    with uow:
        rmbc, syp, trft = (uow.partners.get(s) for s in ("rmbc", "syp", "trft"))
        places = {p.id: p.slug for p in uow.places.all()}
        assert (rmbc.kind, rmbc.org_id, rmbc.spend_threshold) == ("council", "GB-LAE-ROT",
                                                                   Decimal("500.00"))
        assert (trft.org_id, trft.spend_threshold) == ("GB-NHS-RFR", Decimal("25000.00"))
        assert sorted(places[i] for i in syp.place_ids) == [
            "barnsley", "doncaster", "rotherham", "sheffield"]
        rotherham = uow.places.get("rotherham")
        members = {p.slug for p in uow.partners.for_place(rotherham.id)}
        assert {"rmbc", "syp", "trft", "rnn", "rdash", "syfr", "var"} <= members
        assert "scc" not in members


def test_loading_the_registry_twice_creates_no_duplicates(app):
    before = {}
    with get_uow() as uow:
        for model in (Place, Partner, PartnerPlace, CharterCommitment):
            before[model.__name__] = count(uow, model)

    load_registry(CONFIG_DIR, get_uow())
    load_registry(CONFIG_DIR, get_uow())

    with get_uow() as uow:
        after = {model.__name__: count(uow, model)
                 for model in (Place, Partner, PartnerPlace, CharterCommitment)}
    assert after == before
    assert after["CharterCommitment"] >= 7


def test_a_charter_code_not_spelt_as_returns_spell_it_is_refused(app, tmp_path):
    import shutil

    import pytest

    from exchange.errors import ConfigError

    for name in ("places.toml", "partners.toml", "measures.toml"):
        shutil.copy(f"{CONFIG_DIR}/{name}", tmp_path / name)
    (tmp_path / "charter.toml").write_text(
        '[[commitment]]\nplace = "rotherham"\ncode = "Living-Wage"\ntitle = "t"\naim = "a"\n')
    with pytest.raises(ConfigError, match="living_wage"):
        load_registry(tmp_path, get_uow())


def test_a_measure_must_say_whether_it_is_a_stock_or_a_flow_and_what_its_proxy_is_per(
        app, tmp_path):
    import shutil

    import pytest

    from exchange.errors import ConfigError

    for name in ("places.toml", "partners.toml", "charter.toml"):
        shutil.copy(f"{CONFIG_DIR}/{name}", tmp_path / name)
    cases = [
        ('nature = "level"\n', "stock.*or.*flow"),
        ('nature = "flow"\nproxy_value = "10"\n', "what its proxy value is per"),
        ('nature = "stock"\nproxy_value = "10"\nproxy_per = "person"\n', "per person-year"),
        ('nature = "stock"\nyear = "sum"\n', "'average' or 'latest'"),
    ]
    for body, message in cases:
        (tmp_path / "measures.toml").write_text(
            f'[[measure]]\ncode = "staff"\nname = "Staff"\nunit = "people"\n{body}')
        with pytest.raises(ConfigError, match=message):
            load_registry(tmp_path, get_uow())
