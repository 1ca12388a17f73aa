"""Target resolution: area (places, polygon, circle) → recipients per group, de-duplicated."""

import pytest

from yingji.conftest import rect
from yingji.framework.roles import Role
from yingji.warnings.models_response import VulnerableContact
from yingji.warnings.targets import normalise_mobile, resolve_area, resolve_recipients
from yingji.warnings.tests.test_response_support import make_warning, person

pytestmark = pytest.mark.django_db


def _ids(places):
    return {p.pk for p in places}


def test_area_places_subtree_gives_villages_towns_counties(region):
    w = make_warning(region, places=[region["town00"]])
    area = resolve_area(w)
    assert set(area.villages) == _ids([region["village000"], region["village001"]])
    assert set(area.towns) == {region["town00"].pk}
    assert set(area.counties) == {region["county0"].pk}


def test_polygon_selects_villages_it_meets(region):
    # village 010 spans lon 120.1–120.2, lat 32.0–32.05; a small square inside it only
    w = make_warning(region, area_polygon=rect(120.12, 32.01, 120.13, 32.02))
    area = resolve_area(w)
    assert set(area.villages) == {region["village010"].pk}
    assert set(area.towns) == {region["town01"].pk}


def test_circle_selects_by_kilometres(region):
    # centre in village 100 (lon 121.0–121.1, lat 32.0–32.05); 1 km stays inside, 4 km reaches village 101 (0.036° north) but not town 11 (0.042° east)
    small = make_warning(
        region, area_circle_longitude=121.05, area_circle_latitude=32.02, area_circle_radius_km=1
    )
    assert set(resolve_area(small).villages) == {region["village100"].pk}
    big = make_warning(
        region, area_circle_longitude=121.05, area_circle_latitude=32.02, area_circle_radius_km=4
    )
    assert set(resolve_area(big).villages) == {region["village100"].pk, region["village101"].pk}


def test_no_area_means_the_issuing_place_subtree(region):
    w = make_warning(region, place=region["county1"])
    assert set(resolve_area(w).villages) == _ids(
        [region[f"village1{t}{v}"] for t in range(2) for v in range(2)]
    )


def test_responsible_persons_per_tier(region):
    grid = person(region["village000"], user_role=Role.GRID_WORKER)  # role holder
    secretary = person(region["village001"], position="村党组织书记")  # by position, no account
    person(region["village001"], position="会计")  # not responsible
    town = person(region["town00"], user_role=Role.BUREAU_OFFICER)
    county = person(region["county0"], user_role=Role.DUTY_OFFICER)
    person(region["village100"], user_role=Role.GRID_WORKER)  # outside the area
    w = make_warning(
        region, places=[region["town00"]], groups=("district", "town", "village"), channels=("sms", "inapp")
    )
    res = resolve_recipients(w)
    sms = {row[1]: group for row, group in zip(res.rows, res.groups, strict=True) if row[0] == "sms"}
    assert sms == {
        grid.mobile: "village",
        secretary.mobile: "village",
        town.mobile: "town",
        county.mobile: "district",
    }
    inapp = {row[1] for row in res.rows if row[0] == "inapp"}
    assert inapp == {f"user:{p.user.pk}" for p in (grid, town, county)}
    # the secretary has no account: counted as unreachable in-app, at her village
    assert res.unreachable[(region["village001"].pk, "inapp", "village")] == 1


def test_duplicates_removed_and_groups_kept(region):
    shared = "13800000001"
    grid = person(region["village000"], user_role=Role.GRID_WORKER, mobile_no=shared)
    person(region["town00"], position="灾害信息员（A角）", mobile_no="+86 138-0000-0001")  # same number
    VulnerableContact.objects.create(
        name="张老伯", group="elderly", place=region["village000"], mobile="", guardian_mobile=shared
    )
    w = make_warning(
        region,
        places=[region["town00"]],
        groups=("village", "info_officers", "vulnerable"),
        channels=("sms", "voice"),
    )
    res = resolve_recipients(w)
    sms_rows = [(row, g) for row, g in zip(res.rows, res.groups, strict=True) if row[0] == "sms"]
    assert len(sms_rows) == 1
    (row, groups) = sms_rows[0]
    assert row[1] == shared and row[3] == grid.pk and row[4] == region["village000"].pk
    assert set(groups.split(",")) == {"village", "info_officers", "vulnerable"}
    assert len([r for r in res.rows if r[0] == "voice"]) == 1
    # the old man himself has no mobile: unreachable on both channels
    assert res.unreachable[(region["village000"].pk, "sms", "vulnerable")] == 1


def test_enterprises_by_industry_and_flags(region, make_enterprise):
    chem = make_enterprise(
        place=region["village000"],
        industry="26",
        principal_mobile="13700000001",
        safety_manager_mobile="13700000002",
    )
    make_enterprise(place=region["village000"], industry="33", principal_mobile="13700000003")
    make_enterprise(place=region["village100"], industry="26", principal_mobile="13700000004")
    make_enterprise(
        place=region["village001"], industry="26", principal_mobile="13700000005", operating_status="closed"
    )
    w = make_warning(region, places=[region["town00"]], groups=("enterprises",), industries=["26"])
    res = resolve_recipients(w)
    assert {r[1] for r in res.rows} == {chem.principal_mobile, chem.safety_manager_mobile}
    flagged = make_warning(region, places=[region["town00"]], groups=("enterprises",), risk_flags=["hazchem"])
    assert resolve_recipients(flagged).rows == []


def test_subscribers_of_the_area_and_above_on_their_channel(region):
    from yingji.warnings.models import Subscription

    Subscription.objects.create(
        place=region["village000"], channel="sms", address="13600000001", confirmed=True
    )
    Subscription.objects.create(place=region["county0"], channel="sms", address="13600000002", confirmed=True)
    Subscription.objects.create(
        place=region["village000"], channel="sms", address="13600000003", confirmed=False
    )
    Subscription.objects.create(
        place=region["village100"], channel="sms", address="13600000004", confirmed=True
    )
    Subscription.objects.create(
        place=region["village000"], channel="wechat", address="13600000005", confirmed=True
    )
    w = make_warning(region, places=[region["village000"]], groups=("subscribers",), channels=("sms",))
    assert {r[1] for r in resolve_recipients(w).rows} == {"13600000001", "13600000002"}


def test_place_channels_go_to_every_targeted_village(region):
    w = make_warning(region, places=[region["county0"]], groups=(), channels=("broadcast", "screen"))
    res = resolve_recipients(w)
    codes = {region[f"village0{t}{v}"].code for t in range(2) for v in range(2)}
    assert {r[1] for r in res.rows if r[0] == "broadcast"} == codes
    assert len(res.rows) == 8


def test_resolution_is_set_based(region, django_assert_max_num_queries):
    for i in range(30):
        person(region["village000" if i % 2 else "village001"], user_role=Role.GRID_WORKER)
    w = make_warning(region, places=[region["town00"]], groups=("village", "info_officers", "enterprises"))
    with django_assert_max_num_queries(15):
        res = resolve_recipients(w)
    assert len(res.rows) == 30


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("12812345678", ""),
        ("", ""),
        ("1381234567", ""),
    ],
)
def test_normalise_mobile(raw, expected):
    assert normalise_mobile(raw) == expected
