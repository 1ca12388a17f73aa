import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from yingji.framework.roles import Role
from yingji.resources import services
from yingji.resources.models import Shelter


def test_per_capita_area(region):
    s = Shelter(effective_area_m2=Decimal("5000"), capacity=2000, shelter_type="fixed", fixed_period="short")
    assert s.per_capita_area == Decimal("2.50")
    assert s.meets_per_capita_minimum is True  # short-term fixed: ≥ 2.0
    s.effective_area_m2 = Decimal("3999")
    assert s.per_capita_area == Decimal("2.00")  # 1.9995 rounds half up
    s.effective_area_m2 = Decimal("3989")
    assert s.per_capita_area == Decimal("1.99")
    assert s.meets_per_capita_minimum is False
    assert Shelter(effective_area_m2=Decimal("10"), capacity=0).per_capita_area is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"shelter_type": "fixed", "fixed_period": ""}, "fixed_period", "fixed_period_required"),
        ({"fixed_period": "long"}, "fixed_period", "fixed_period_not_allowed"),
        ({"status": "open", "occupancy": 1001}, "occupancy", "over_capacity"),
        ({"occupancy": 5}, "occupancy", "closed_with_occupants"),
        ({"capacity": 0}, "capacity", "capacity_required"),
        ({"longitude": 200.0}, "longitude", "invalid_longitude"),
    ],
)
def test_shelter_rules(region, shelter_factory, changes, field, code):
    shelter = shelter_factory()
    for k, v in changes.items():
        setattr(shelter, k, v)
    with pytest.raises(ValidationError) as exc:
        shelter.full_clean()
    assert exc.value.error_dict[field][0].code == code


def test_occupancy_opens_fills_and_frees(region, shelter_factory, make_user):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    shelter = shelter_factory(capacity=100)
    shelter = services.record_occupancy(shelter, 99, actor=officer)
    assert shelter.status == "open"
    shelter = services.record_occupancy(shelter, 100, actor=officer)  # exactly full
    assert shelter.status == "full"
    with pytest.raises(ValidationError) as exc:
        services.record_occupancy(shelter, 101, actor=officer)
    assert exc.value.error_dict["occupancy"][0].code == "over_capacity"
    shelter = services.record_occupancy(shelter, 40, actor=officer)
    assert shelter.status == "open"
    with pytest.raises(ValidationError):
        services.close_shelter(shelter, actor=officer)
    shelter = services.record_occupancy(shelter, 0, actor=officer)
    assert services.close_shelter(shelter, actor=officer).status == "closed"


def test_county_shelter_is_read_only_to_a_town(region, shelter_factory, make_user):
    from yingji.framework.access import AccessDenied

    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    county = shelter_factory(place=region["county0"], grade="county")
    with pytest.raises(AccessDenied):
        services.record_occupancy(county, 10, actor=officer)


def test_shelter_sheet_export(region, shelter_factory, make_user, client):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    shelter_factory(
        name="人民公园", place=region["village000"], effective_area_m2=Decimal("5000"), capacity=2000
    )
    shelter_factory(
        name="第一中学", place=region["village010"], effective_area_m2=Decimal("1000"), capacity=1000
    )
    shelter_factory(name="外县广场", place=region["village100"])
    client.force_login(officer)
    list_page = client.get("/resources/shelters/")
    assert 'id="shelter-sheet"' in list_page.content.decode()
    response = client.get("/resources/shelters/sheet/")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "应急避难场所“一张表”"
    names = [r[1] for r in values[3:]]
    assert "人民公园" in names and "第一中学" in names and "外县广场" not in names
    park = next(r for r in values if r[1] == "人民公园")
    assert park[11] == 2.5
    total = values[-1]
    assert total[1] == "合计" and total[9] == 6000 and total[10] == 3000 and total[11] == 2.0
