"""CAP 1.2: every type and allowed level (catalogue and demo data) exports a document valid against the
OASIS schema; the document carries the mapping, references, area; import round trip and refusals."""

import collections
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from yingji.warnings import cap, catalogue, lifecycle
from yingji.warnings.choices import MsgType, Origin, Status
from yingji.warnings.models import Warning

pytestmark = pytest.mark.django_db
N = {"c": cap.NS}


def _doc(warning):
    body = cap.to_cap_xml(warning)
    assert cap.validate_cap(body) == [], body.decode()
    return etree.fromstring(body)


def _text(root, path):
    return root.findtext(path, namespaces=N)


@pytest.mark.parametrize(("warning_type", "level"), catalogue.type_level_pairs())
def test_every_type_and_level_validates(warning_type, level, make_warning, region):
    w = make_warning(warning_type=warning_type, level=level, area_places=[region["town00"]])
    root = _doc(w)
    expected = catalogue.cap_level(level)
    assert _text(root, "c:info/c:severity") == expected.severity
    assert _text(root, "c:info/c:urgency") == expected.urgency
    assert _text(root, "c:info/c:category") == catalogue.cap_category(warning_type)
    assert _text(root, "c:status") == "Draft"  # not published yet


def test_demo_data_validates_for_every_type_and_level(region):
    from yingji.warnings.demo import demo_plan, load_demo

    counts = collections.Counter()
    load_demo(seed=7, counts=counts)
    planned = {(t, lv) for t, lv, _s in demo_plan(7)}
    assert {(t, lv) for t in catalogue.METEOROLOGICAL for lv in catalogue.allowed_levels(t)} <= planned
    seen = set()
    for w in Warning.objects.select_related("place", "references").prefetch_related("area_places"):
        root = _doc(w)
        seen.add((w.warning_type, w.level))
        if w.status in (Status.PUBLISHED, Status.EXPIRED, Status.CANCELLED):
            assert _text(root, "c:status") == "Actual"
    assert seen == planned
    assert counts["warnings"] > len(planned)  # plus the Cancel notices
    assert set(Warning.objects.values_list("status", flat=True)) >= {
        "published",
        "expired",
        "draft",
        "cancelled",
    }


def test_document_content(make_warning, region, publish_now):
    polygon = {
        "type": "Polygon",
        "coordinates": [[[120.0, 32.0], [120.1, 32.0], [120.1, 32.1], [120.0, 32.0]]],
    }
    w = make_warning(
        warning_type="lightning",
        level="orange",
        area_polygon=polygon,
        area_circle_latitude=32.05,
        area_circle_longitude=120.05,
        area_circle_radius_km=7.5,
        area_places=[region["town00"], region["village001"]],
    )
    publish_now(w)
    root = _doc(Warning.objects.get(pk=w.pk))
    assert _text(root, "c:identifier") == w.identifier
    assert _text(root, "c:sender") == "32060200000000"
    assert _text(root, "c:status") == "Actual" and _text(root, "c:msgType") == "Alert"
    assert _text(root, "c:scope") == "Public"
    assert _text(root, "c:sent").endswith("+08:00")
    assert _text(root, "c:info/c:language") == "zh-CN"
    assert _text(root, "c:info/c:event") == "雷电"
    params = {
        p.findtext("c:valueName", namespaces=N): p.findtext("c:value", namespaces=N)
        for p in root.findall("c:info/c:parameter", N)
    }
    assert params["eventType"] == "11B14"  # the national 11B code where known
    assert _text(root, "c:info/c:area/c:polygon") == (
        "32.000000,120.000000 32.000000,120.100000 32.100000,120.100000 32.000000,120.000000"
    )
    assert _text(root, "c:info/c:area/c:circle") == "32.050000,120.050000 7.5"
    geocodes = [
        (g.findtext("c:valueName", namespaces=N), g.findtext("c:value", namespaces=N))
        for g in root.findall("c:info/c:area/c:geocode", N)
    ]
    assert ("GB/T 2260", "320602") in geocodes
    assert ("统计用区划代码", region["village001"].code) in geocodes


def test_update_and_cancel_reference_the_original(make_warning, officers, publish_now):
    old = publish_now(make_warning())
    new = publish_now(lifecycle.start_update(old, actor=officers["author"], level="orange"))
    root = _doc(new)
    assert _text(root, "c:msgType") == "Update"
    old.refresh_from_db()
    assert _text(root, "c:references") == f"{old.cap_sender},{old.identifier},{cap.cap_time(old.sent_at)}"
    notice = lifecycle.cancel(new, actor=officers["duty"])
    root = _doc(notice)
    assert _text(root, "c:msgType") == "Cancel"
    assert _text(root, "c:info/c:responseType") == "AllClear"
    assert new.identifier in _text(root, "c:references")


def test_import_round_trip(make_warning, region, publish_now, officers):
    polygon = {
        "type": "Polygon",
        "coordinates": [[[120.0, 32.0], [120.1, 32.0], [120.1, 32.1], [120.0, 32.0]]],
    }
    original = publish_now(
        make_warning(
            warning_type="rainstorm",
            level="red",
            area_polygon=polygon,
            area_circle_latitude=32.05,
            area_circle_longitude=120.05,
            area_circle_radius_km=12.0,
            area_places=[region["town00"], region["town01"]],
            area_description="崇川区沿江各镇",
        )
    )
    document = cap.to_cap_xml(Warning.objects.get(pk=original.pk))
    snapshot = Warning.objects.get(pk=original.pk)
    Warning.objects.filter(pk=original.pk).update(identifier="moved-away")  # free the identifier
    imported = cap.from_cap_xml(document, actor=officers["author"])
    assert imported.origin == Origin.IMPORTED and imported.status == Status.PUBLISHED
    for field in (
        "identifier",
        "msg_type",
        "warning_type",
        "level",
        "cap_sender",
        "sender_name",
        "headline",
        "description",
        "instruction",
        "effective_at",
        "expires_at",
        "sent_at",
        "area_polygon",
        "area_circle_latitude",
        "area_circle_longitude",
        "area_circle_radius_km",
        "area_description",
    ):
        assert getattr(imported, field) == getattr(snapshot, field), field
    assert set(imported.area_places.all()) == {region["town00"], region["town01"]}
    assert imported.place == region["town00"]  # the importer's place (the area's county is above it)
    assert cap.to_cap_xml(imported) == document  # and it exports back to the same document
    assert imported.events.get().action == "import"


def test_import_refuses_invalid_documents(make_warning, officers, publish_now):
    def code(document):
        with pytest.raises(ValidationError) as exc:
            cap.from_cap_xml(document, actor=officers["author"])
        return exc.value.error_dict["document"][0].code

    assert code(b"<not-xml") == "cap_invalid"
    assert code(b"") == "cap_invalid"
    w = publish_now(make_warning())
    document = cap.to_cap_xml(w)
    assert code(document) == "cap_duplicate"
    no_sender = etree.fromstring(document)
    no_sender.remove(no_sender.find("c:sender", N))
    assert code(etree.tostring(no_sender)) == "cap_invalid"
    test_status = etree.fromstring(document)
    test_status.find("c:status", N).text = "Test"
    test_status.find("c:identifier", N).text = "other-1"
    assert code(etree.tostring(test_status)) == "cap_not_actual"
    assert Warning.objects.count() == 1


EXTERNAL = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>32060041600000_20260714153000_0</identifier>
  <sender>32060041600000</sender>
  <sent>2026-07-14T15:30:00+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>冰雹</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <effective>2026-07-14T15:30:00+08:00</effective>
    <expires>2099-07-14T21:30:00+08:00</expires>
    <senderName>南通市气象台</senderName>
    <headline>南通市气象台发布冰雹橙色预警信号[II级/严重]</headline>
    <description>预计6小时内崇川区将出现冰雹天气。</description>
    <parameter><valueName>eventType</valueName><value>11B15</value></parameter>
    <area><areaDesc>崇川区</areaDesc><geocode><valueName>GB/T 2260</valueName><value>320602</value></geocode></area>
  </info>
</alert>"""


def test_import_of_a_weather_bureau_document(officers, region, api):
    response = api(officers["author"]).post(
        "/api/v1/warnings/import-cap/", EXTERNAL.encode(), content_type="application/xml"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["warning_type"], data["level"], data["status"], data["origin"]) == (
        "hail",
        "orange",
        "published",
        "imported",
    )
    assert data["place"] == region["town00"].code and data["area_places"] == [region["county0"].code]
    again = api(officers["author"]).post(
        "/api/v1/warnings/import-cap/", {"xml": EXTERNAL}, format="multipart"
    )
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["document"][0]["code"] == "cap_duplicate"
    # an officer of another county may not import it into county 0
    Warning.objects.all().delete()
    refused = api(officers["outsider"]).post(
        "/api/v1/warnings/import-cap/", EXTERNAL.encode(), content_type="application/xml"
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "out_of_scope"


def test_imported_update_closes_the_referenced_warning(officers, region):
    first = cap.from_cap_xml(EXTERNAL.encode(), actor=officers["author"])
    update = (
        EXTERNAL.replace("_0</identifier>", "_1</identifier>")
        .replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>")
        .replace(
            "<scope>Public</scope>",
            "<scope>Public</scope><references>32060041600000,32060041600000_20260714153000_0,"
            "2026-07-14T15:30:00+08:00</references>",
        )
        .replace("<severity>Severe</severity>", "<severity>Extreme</severity>")
    )
    second = cap.from_cap_xml(update.encode(), actor=officers["author"])
    assert second.msg_type == MsgType.UPDATE and second.references == first and second.level == "red"
    first.refresh_from_db()
    assert first.status == Status.UPDATED


def test_cap_endpoints_are_scoped(make_warning, officers, publish_now, client, api):
    w = make_warning()
    assert api(officers["author"]).get(f"/api/v1/warnings/{w.pk}/cap/").status_code == 200
    assert api(officers["outsider"]).get(f"/api/v1/warnings/{w.pk}/cap/").status_code == 404
    client.force_login(officers["outsider"])
    assert client.get(f"/warnings/warnings/{w.pk}/cap.xml").status_code == 404
    client.logout()
    assert client.get(f"/warnings/public/{w.pk}/cap.xml").status_code == 404  # a draft is not public
    publish_now(w)
    response = client.get(f"/warnings/public/{w.pk}/cap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/cap+xml")
    assert cap.validate_cap(response.content) == []


def test_mapping_reads_back(make_warning):
    for level in ("blue", "yellow", "orange", "red"):
        assert catalogue.level_for_severity(catalogue.cap_level(level).severity) == level
    assert catalogue.type_for_event("暴雨红色预警信号") == "rainstorm"
    assert catalogue.type_for_event("道路结冰黄色预警") == "road_icing"
    assert catalogue.type_for_event("不明") is None
    start = timezone.now()
    assert Warning(effective_at=start, expires_at=start + dt.timedelta(hours=1)).is_active is False
