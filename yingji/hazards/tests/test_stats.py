"""Hazard statistics: figures on a small known dataset, counted by hand; scope; filters; the page,
the summary API and the map layer."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yingji.framework.roles import ROLES, Role, role_allows
from yingji.hazards import stats
from yingji.hazards.models import Hazard

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 6, 30, 12, 0, tzinfo=TZ)
_numbers = iter(range(1, 1_000_000))


def at(day: str, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _setup(monkeypatch):
    """Figures computed on every call (no cache between tests); view rights on hazards for the roles
    used here, in case the hazards app has not granted them yet."""
    monkeypatch.setattr(stats, "CACHE_SECONDS", 0)
    for role in (Role.BUREAU_OFFICER, Role.ENTERPRISE_USER):
        if not role_allows(role, "view", "hazards.hazard"):
            monkeypatch.setitem(ROLES[role].grants, "hazards.hazard", frozenset({"view"}))
    with time_machine.travel(NOW, tick=False):
        yield


def make_hazard(place, **fields) -> Hazard:
    defaults = {
        "number": f"T{next(_numbers):08d}",
        "title": "测试隐患",
        "source": "grid",
        "kind": "work_safety",
        "found_at": at("2025-06-01"),
        "place": place,
    }
    defaults.update(fields)
    return Hazard.objects.create(**defaults)


@pytest.fixture
def data(region, make_enterprise):
    """Eight hazards; the expectations in the tests below are counted from this list by hand."""
    e1 = make_enterprise(place=region["village000"], industry="26")  # C 制造业
    e2 = make_enterprise(place=region["village000"], industry="47")  # E 建筑业
    e3 = make_enterprise(place=region["village010"], industry="26")
    e4 = make_enterprise(place=region["village100"], industry="13")  # C
    h = {}
    h[1] = make_hazard(
        region["village000"], enterprise=e1, source="self_check", grade="major", status="reported",
        found_at=at("2025-06-01"), due_at=at("2025-06-20"), longitude=120.05, latitude=32.02,
    )  # fmt: skip
    h[2] = make_hazard(
        region["village000"], enterprise=e1, source="inspection", grade="general", status="closed",
        found_at=at("2025-05-01"), due_at=at("2025-05-10"), closed_at=at("2025-05-03"),
        longitude=120.06, latitude=32.03,
    )  # fmt: skip
    h[3] = make_hazard(
        region["village000"], enterprise=e2, source="grid", grade="general", status="closed",
        found_at=at("2025-05-01"), due_at=at("2025-05-05"), closed_at=at("2025-05-11"),
    )  # fmt: skip
    h[4] = make_hazard(
        region["village001"], kind="disaster", disaster_type="waterlogging", source="info_officer",
        grade="general", status="dismissed", found_at=at("2025-06-10"),
    )  # fmt: skip
    h[5] = make_hazard(
        region["village001"], kind="disaster", disaster_type="geological", source="grid", grade="general",
        status="rectifying", found_at=at("2025-06-15"), due_at=at("2025-07-15"),
        longitude=120.07, latitude=32.08,
    )  # fmt: skip
    h[6] = make_hazard(
        region["village010"], enterprise=e3, source="inspection", grade="major", status="closed",
        found_at=at("2025-04-01"), due_at=at("2025-04-30"), closed_at=at("2025-04-02"),
        longitude=120.15, latitude=32.02,
    )  # fmt: skip
    h[7] = make_hazard(
        region["village100"], enterprise=e4, source="self_check", grade="general", status="confirmed",
        found_at=at("2025-06-25"),
    )  # fmt: skip
    h[8] = make_hazard(
        region["village100"], kind="disaster", source="public_report", grade="", status="reported",
        found_at=at("2024-12-31", 23, 59), longitude=121.05, latitude=32.02,
    )  # fmt: skip
    return {"region": region, "h": h, "e1": e1}


def by_code(rows, key="count"):
    return {r["code"]: r[key] for r in rows}


def figures(user, **params):
    f = stats.parse_filters(user, params)
    assert not f.errors, [e.message for e in f.errors]
    return stats.hazard_statistics(user, f)


def test_figures_of_the_whole_city(data, make_user):
    city_officer = make_user(Role.BUREAU_OFFICER, place=data["region"]["city"])
    out = figures(city_officer)
    s = out["summary"]
    assert s["total"] == 8
    assert by_code(out["by_status"]) == {
        "reported": 2, "confirmed": 1, "assigned": 0, "rectifying": 1, "rectified": 0, "verified": 0,
        "closed": 3, "dismissed": 1,
    }  # fmt: skip
    assert s["open"] == 4 and s["open_major"] == 1 and s["closed"] == 3 and s["dismissed"] == 1
    assert by_code(out["by_grade"]) == {"general": 5, "major": 2, "": 1}
    assert by_code(out["by_source"]) == {
        "self_check": 2, "inspection": 2, "grid": 2, "supervision": 0, "public_report": 1, "sensor": 0,
        "data_clue": 0, "info_officer": 1,
    }  # fmt: skip
    # rectification: closed (h2, h3, h6) / confirmed and later (h7, h5, h2, h3, h6)
    assert s["rectification_base"] == 5 and s["rectification_rate"] == 0.6
    # overdue: h1 open past due, h3 closed after due; with a deadline: h1, h2, h3, h5, h6
    assert (s["overdue_open"], s["overdue_closed"], s["with_deadline"]) == (1, 1, 5)
    assert s["overdue_rate"] == 0.4
    # closing times 48 h, 240 h, 24 h
    assert s["mean_close_hours"] == 104.0 and s["median_close_hours"] == 48
    assert by_code(out["by_industry"]) == {"C": 4, "E": 1, "": 3}
    assert out["area"]["code"] == "320600000000" and out["area_level"] == "county"
    rows = {r["code"]: r for r in out["by_place"]}
    assert set(rows) == {"320602000000", "320612000000"}
    assert (rows["320602000000"]["total"], rows["320602000000"]["open"]) == (6, 2)
    assert rows["320602000000"]["major_cleared"] is False and rows["320602000000"]["all_cleared"] is False
    assert (rows["320612000000"]["total"], rows["320612000000"]["open_major"]) == (2, 0)
    assert rows["320612000000"]["major_cleared"] is True and rows["320612000000"]["all_cleared"] is False


def test_town_officer_sees_only_its_villages(data, make_user):
    region = data["region"]
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    out = figures(officer)
    assert out["summary"]["total"] == 5 and out["area_level"] == "village"
    rows = {r["code"]: r for r in out["by_place"]}
    assert set(rows) == {region["village000"].code, region["village001"].code}
    v0, v1 = rows[region["village000"].code], rows[region["village001"].code]
    assert (v0["total"], v0["open"], v0["open_major"], v0["major_cleared"]) == (3, 1, 1, False)
    assert (v1["total"], v1["open"], v1["major_cleared"], v1["all_cleared"]) == (2, 1, True, False)

    other = make_user(Role.BUREAU_OFFICER, place=region["town01"])
    out = figures(other)
    assert out["summary"]["total"] == 1
    rows = {r["code"]: r for r in out["by_place"]}
    # a village without any hazard is listed, and 清零 on both counts
    assert rows[region["village011"].code]["total"] == 0
    assert all(r["major_cleared"] and r["all_cleared"] for r in rows.values())


def test_enterprise_user_sees_only_its_own(data, make_user):
    user = make_user(Role.ENTERPRISE_USER, enterprise=data["e1"])
    out = figures(user)
    assert out["summary"]["total"] == 2
    assert by_code(out["by_status"])["closed"] == 1 and out["summary"]["open_major"] == 1


def test_filters(data, make_user, admin_user_):
    assert figures(admin_user_, kind="disaster")["summary"]["total"] == 3
    assert figures(admin_user_, kind="work_safety")["summary"]["total"] == 5
    # dates are whole local days, both ends included: h8 was found 2024-12-31 23:59
    assert figures(admin_user_, date_from="2025-01-01")["summary"]["total"] == 7
    assert figures(admin_user_, date_to="2024-12-31")["summary"]["total"] == 1
    assert figures(admin_user_, date_from="2025-05-01", date_to="2025-05-31")["summary"]["total"] == 2
    county1 = figures(admin_user_, place="320612000000")
    assert county1["summary"]["total"] == 2 and county1["area_level"] == "town"
    assert figures(admin_user_, industry="C")["summary"]["total"] == 4
    assert figures(admin_user_, industry="26")["summary"]["total"] == 3
    assert figures(admin_user_, source="grid")["summary"]["total"] == 2
    assert figures(admin_user_, grade="major")["summary"]["total"] == 2
    village = figures(admin_user_, place=data["region"]["village000"].code)
    assert [r["code"] for r in village["by_place"]] == [data["region"]["village000"].code]
    assert village["summary"]["total"] == 3


def test_bad_filters_are_reported(data, make_user):
    officer = make_user(Role.BUREAU_OFFICER, place=data["region"]["town00"])
    f = stats.parse_filters(
        officer,
        {"kind": "x", "date_from": "2025-13-01", "place": "320612000000", "industry": "ZZ", "grade": "big"},
    )
    assert {e.code for e in f.errors} == {
        "invalid_kind", "invalid_date", "invalid_place", "invalid_industry", "invalid_grade",
    }  # fmt: skip
    f = stats.parse_filters(officer, {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert [e.code for e in f.errors] == ["date_range"]


def test_overdue_boundaries(region, admin_user_):
    village = region["village000"]
    make_hazard(village, status="assigned", due_at=NOW)  # due this very moment: not yet overdue
    make_hazard(village, status="assigned", due_at=NOW - dt.timedelta(seconds=1))
    make_hazard(village, status="closed", due_at=at("2025-06-10"), closed_at=at("2025-06-10"))  # on time
    make_hazard(village, status="closed", due_at=at("2025-06-10"), closed_at=at("2025-06-10", 0, 1))
    s = figures(admin_user_)["summary"]
    assert (s["overdue_open"], s["overdue_closed"], s["with_deadline"]) == (1, 1, 4)


def test_empty_figures(region, admin_user_):
    s = figures(admin_user_)["summary"]
    assert s["total"] == 0
    assert s["rectification_rate"] is None and s["overdue_rate"] is None
    assert s["mean_close_hours"] is None and s["median_close_hours"] is None


def test_median_of_an_even_count():
    assert stats._median_hours({10: 1, 20: 1}) == 15
    assert stats._median_hours({5: 3, 7: 1}) == 5
    assert stats._median_hours({}) is None


def test_cache_is_shared_by_the_same_scope(data, make_user, monkeypatch):
    monkeypatch.setattr(stats, "CACHE_SECONDS", 60)
    from django.core.cache import cache

    cache.clear()
    town = data["region"]["town00"]
    a, b = make_user(Role.BUREAU_OFFICER, place=town), make_user(Role.BUREAU_OFFICER, place=town)
    c = make_user(Role.BUREAU_OFFICER, place=data["region"]["city"])
    assert stats.cached_hazard_statistics(a)["summary"]["total"] == 5
    make_hazard(data["region"]["village000"])
    assert stats.cached_hazard_statistics(b)["summary"]["total"] == 5  # same scope: reused
    assert stats.cached_hazard_statistics(c)["summary"]["total"] == 9  # another scope: its own
    cache.clear()


# --- API ----------------------------------------------------------------------------------------


def test_summary_api(data, make_user, api):
    officer = make_user(Role.BUREAU_OFFICER, place=data["region"]["town00"])
    response = api(officer).get("/api/v1/hazard-stats/summary/", {"kind": "work_safety"})
    assert response.status_code == 200
    body = response.json()
    assert body["summary"]["total"] == 3 and body["filters"]["kind"] == "work_safety"
    assert by_code(body["by_industry"]) == {"C": 2, "E": 1}

    response = api(officer).get("/api/v1/hazard-stats/summary/", {"kind": "nope"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["kind"][0]["code"] == "invalid_kind"


def test_api_needs_the_view_right(data, make_user, api):
    expert = make_user(None)  # signed in, without any role
    assert api(expert).get("/api/v1/hazard-stats/summary/").status_code == 403
    assert api(expert).get("/api/v1/hazard-stats/map/").status_code == 403
    assert api().get("/api/v1/hazard-stats/summary/").status_code in (401, 403)


def test_map_geojson(data, make_user, api):
    officer = make_user(Role.BUREAU_OFFICER, place=data["region"]["county0"])
    response = api(officer).get("/api/v1/hazard-stats/map/")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection" and body["truncated"] is False
    h = data["h"]
    # county0 hazards with a location: h1, h2, h5, h6 (h8 lies in county1)
    assert {f["id"] for f in body["features"]} == {h[1].pk, h[2].pk, h[5].pk, h[6].pk}
    props = {f["id"]: f["properties"] for f in body["features"]}
    assert props[h[1].pk]["status"] == "reported" and props[h[1].pk]["grade"] == "major"
    assert props[h[1].pk]["color"] == stats.STATUS_COLOURS["reported"]
    assert props[h[2].pk]["color"] == stats.STATUS_COLOURS["closed"]
    assert props[h[1].pk]["name"].startswith(h[1].number)
    assert "url" in props[h[1].pk]
    first = next(f for f in body["features"] if f["id"] == h[6].pk)
    assert first["geometry"] == {"type": "Point", "coordinates": [120.15, 32.02]}

    in_box = api(officer).get("/api/v1/hazard-stats/map/", {"bbox": "120.0,32.0,120.1,32.05"})
    assert {f["id"] for f in json.loads(in_box.content)["features"]} == {h[1].pk, h[2].pk}
    assert api(officer).get("/api/v1/hazard-stats/map/", {"bbox": "1,2"}).status_code == 400
    closed_only = api(officer).get("/api/v1/hazard-stats/map/", {"kind": "disaster"})
    assert {f["id"] for f in json.loads(closed_only.content)["features"]} == {h[5].pk}


def test_map_limit(data, admin_user_):
    body, count, truncated = stats.hazards_geojson(Hazard.objects.visible_to(admin_user_), limit=2)
    parsed = json.loads(body)
    assert count == 2 and truncated is True and parsed["truncated"] is True
    # newest first: h5 (06-15) and h1 (06-01)
    assert [f["id"] for f in parsed["features"]] == [data["h"][5].pk, data["h"][1].pk]


# --- Page ---------------------------------------------------------------------------------------


def test_page_renders(data, make_user, client):
    officer = make_user(Role.BUREAU_OFFICER, place=data["region"]["town00"])
    client.force_login(officer)
    response = client.get("/hazards/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="total">5<' in html
    assert data["region"]["village000"].name in html and data["region"]["village001"].name in html
    assert data["region"]["village100"].name not in html  # another county's village
    assert 'id="stats-charts"' in html and 'id="stats-map-config"' in html
    assert "hazards/stats.js" in html and "vendor/echarts/echarts.min.js" in html
    # no inline code: every script is a file or json_script data
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    config = json.loads(
        re.search(r'id="stats-map-config" type="application/json">(.*?)</script>', html).group(1)
    )
    assert config["url"] == "/api/v1/hazard-stats/map/"


def test_page_with_filters_and_errors(data, admin_user_, client):
    client.force_login(admin_user_)
    response = client.get("/hazards/stats/", {"kind": "disaster", "date_from": "bad"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="total">3<' in html and 'id="stats-errors"' in html


def test_page_needs_the_view_right(data, make_user, client):
    client.force_login(make_user(None))
    assert client.get("/hazards/stats/").status_code == 403
    client.logout()
    assert client.get("/hazards/stats/").status_code == 302


def test_dates_at_the_edge_of_the_calendar_are_a_clear_error(data, admin_user_, api):
    f = stats.parse_filters(admin_user_, {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert [(e.field, e.code) for e in f.errors] == [
        ("date_from", "date_out_of_range"), ("date_to", "date_out_of_range"),
    ]  # fmt: skip
    assert f.date_from is None and f.date_to is None
    response = api(admin_user_).get("/api/v1/hazard-stats/summary/", {"date_to": "9999-12-31"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["date_to"][0]["code"] == "date_out_of_range"
