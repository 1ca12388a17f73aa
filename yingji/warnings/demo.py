"""Demo warnings and consultations: every meteorological signal with each level it allows (plus the other
warning types), in every lifecycle state, with their timelines; a few consultations with issued work
prompts, some acknowledged; a few confirmed public subscriptions. Then the call-and-respond demo of
``response.load_response_demo`` (if installed) on the published ones.

Deterministic (``random.Random(f"{seed}-warnings")``), bulk-inserted (``bulk_create`` + ``record_bulk``).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from yingji.audit.services import record_bulk
from yingji.warnings import catalogue
from yingji.warnings.choices import ConsultationKind, EventAction, MsgType, Status, WarningType

#: lifecycle states of the demo warnings, cycled per (type, level)
STATES = (
    Status.PUBLISHED,
    Status.EXPIRED,
    Status.DRAFT,
    Status.PUBLISHED,
    Status.REVIEW,
    Status.APPROVED,
    Status.CANCELLED,
    Status.EXPIRED,
    Status.REJECTED,
)
#: the steps leading to each state
PATHS = {
    Status.DRAFT: [EventAction.COMPOSE],
    Status.REVIEW: [EventAction.COMPOSE, EventAction.SUBMIT],
    Status.REJECTED: [EventAction.COMPOSE, EventAction.SUBMIT, EventAction.REJECT],
    Status.APPROVED: [EventAction.COMPOSE, EventAction.SUBMIT, EventAction.APPROVE],
    Status.PUBLISHED: [EventAction.COMPOSE, EventAction.SUBMIT, EventAction.APPROVE, EventAction.PUBLISH],
    Status.EXPIRED: [
        EventAction.COMPOSE,
        EventAction.SUBMIT,
        EventAction.APPROVE,
        EventAction.PUBLISH,
        EventAction.EXPIRE,
    ],
    Status.CANCELLED: [
        EventAction.COMPOSE,
        EventAction.SUBMIT,
        EventAction.APPROVE,
        EventAction.PUBLISH,
        EventAction.CANCEL,
    ],
}
_AFTER = {
    EventAction.COMPOSE: Status.DRAFT,
    EventAction.SUBMIT: Status.REVIEW,
    EventAction.REJECT: Status.REJECTED,
    EventAction.APPROVE: Status.APPROVED,
    EventAction.PUBLISH: Status.PUBLISHED,
    EventAction.EXPIRE: Status.EXPIRED,
    EventAction.CANCEL: Status.CANCELLED,
}
DESCRIPTIONS = {
    WarningType.TYPHOON: "受台风影响，预计未来24小时内沿江沿海地区将出现{wind}级以上大风，并伴有强降水。",
    WarningType.RAINSTORM: "预计未来6小时内将出现{rain}毫米以上降雨，局部伴有雷电和短时大风。",
    WarningType.SNOWSTORM: "预计未来12小时内降雪量将达{snow}毫米以上，道路可能结冰。",
    WarningType.FLOOD: "受上游来水和持续降雨影响，沿江主要站点水位将超过警戒水位。",
    WarningType.GEOLOGICAL: "连续降雨，山丘区地质灾害隐患点发生滑坡、崩塌的风险较高。",
    WarningType.FOREST_FIRE: "近期天气干燥、风力较大，森林火险等级较高。",
    WarningType.MARINE: "受冷空气影响，近海将出现较大风浪和风暴增水。",
    WarningType.ACCIDENT: "某化工园区管道泄漏，周边可能受到影响。",
}


def demo_plan(seed: int) -> list[tuple[str, str, str]]:
    """(type, level, status) of every demo warning: each meteorological type with each allowed level,
    and each other type with two levels; states cycled over ``STATES``."""
    rng = random.Random(f"{seed}-warnings-plan")
    pairs = [(t, lv) for t in catalogue.METEOROLOGICAL for lv in catalogue.allowed_levels(t)]
    for t in WarningType.values:
        if t not in catalogue.METEOROLOGICAL:
            pairs += [(t, lv) for lv in rng.sample(list(catalogue.allowed_levels(t)), 2)]
    offset = rng.randrange(len(STATES))
    return [(t, lv, STATES[(i + offset) % len(STATES)]) for i, (t, lv) in enumerate(pairs)]


def _issuer_by_place(places):
    from yingji.orgs.models import Department

    out = {}
    for d in Department.objects.filter(place__in=places).order_by("name"):
        if d.place_id not in out or "应急" in d.name or "气象" in d.name:
            if d.place_id in out and "气象" in out[d.place_id].name:
                continue
            out[d.place_id] = d
    return out


def load_demo(*, seed: int, counts) -> None:
    from yingji.places.models import Place
    from yingji.warnings.models import Warning, WarningEvent

    rng = random.Random(f"{seed}-warnings")
    issuing = list(Place.objects.filter(level__in=("city", "county")).defer("boundary").order_by("code"))
    if not issuing:
        return
    towns = {}
    for town in Place.objects.filter(level="town").defer("boundary").order_by("code"):
        towns.setdefault(town.parent_id, []).append(town)
    issuers = _issuer_by_place(issuing)
    now = timezone.now().replace(microsecond=0)

    warnings, area, paths = [], [], []
    for i, (wtype, level, status) in enumerate(demo_plan(seed)):
        place = issuing[i % len(issuing)]
        issuer = issuers.get(place.pk)
        created = now - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(1, 20), seconds=i)
        if status in (Status.PUBLISHED,):
            effective = now - dt.timedelta(hours=rng.randint(1, 6))
            expires = now + dt.timedelta(hours=rng.randint(6, 48))
        elif status in (Status.EXPIRED, Status.CANCELLED):
            effective = created + dt.timedelta(hours=1)
            expires = effective + dt.timedelta(hours=rng.randint(6, 24))
            if expires > now:
                expires = now - dt.timedelta(minutes=10)
                effective = min(effective, expires - dt.timedelta(hours=1))
        else:
            effective = now + dt.timedelta(hours=rng.randint(1, 12))
            expires = effective + dt.timedelta(hours=24)
        description = DESCRIPTIONS.get(wtype, "{label}{colour}预警：请有关单位和公众做好防范。").format(
            wind=rng.choice((8, 10, 12)),
            rain=rng.choice((50, 100)),
            snow=rng.choice((4, 6, 10)),
            label=catalogue.event_text(wtype),
            colour=str(catalogue.signal_title(wtype, level)),
        )
        sender_name = issuer.name if issuer else f"{place.name}应急管理局"
        w = Warning(
            identifier=catalogue.make_identifier(place, created, 0),
            cap_sender=catalogue.issuer_code(place),
            msg_type=MsgType.ALERT,
            warning_type=wtype,
            level=level,
            issuer=issuer,
            sender_name=sender_name,
            headline=f"{sender_name}发布{catalogue.signal_title(wtype, level)}",
            description=description,
            instruction=catalogue.guidance(wtype, level),
            effective_at=effective,
            expires_at=expires,
            sent_at=effective if status in (Status.PUBLISHED, Status.EXPIRED, Status.CANCELLED) else None,
            status=status,
            place=place,
            target_groups=["district", "town", "village", "info_officers"],
            channels=["inapp", "sms"],
        )
        sub = towns.get(place.pk) or []
        chosen = rng.sample(sub, min(len(sub), rng.randint(1, 3))) if sub else [place]
        if rng.random() < 0.3 and place.centroid_lat is not None:
            w.area_circle_latitude, w.area_circle_longitude = place.centroid_lat, place.centroid_lon
            w.area_circle_radius_km = rng.choice((5, 10, 20))
        warnings.append(w)
        area.append(chosen)
        paths.append((created, PATHS[status]))
    Warning.objects.bulk_create(warnings, batch_size=500)

    # Cancel notices of the cancelled ones
    notices = []
    for w in warnings:
        if w.status == Status.CANCELLED:
            at = w.expires_at - dt.timedelta(hours=2)
            notices.append(
                Warning(
                    identifier=catalogue.make_identifier(w.place, at, 1),
                    cap_sender=w.cap_sender,
                    msg_type=MsgType.CANCEL,
                    references=w,
                    warning_type=w.warning_type,
                    level=w.level,
                    issuer=w.issuer,
                    sender_name=w.sender_name,
                    headline=f"解除：{w.headline}"[:200],
                    description=f"{w.sender_name}解除{catalogue.signal_title(w.warning_type, w.level)}。",
                    effective_at=at,
                    expires_at=w.expires_at,
                    sent_at=at,
                    status=Status.EXPIRED,
                    place=w.place,
                )
            )
    Warning.objects.bulk_create(notices)
    through = Warning.area_places.through
    links = [
        through(warning_id=w.pk, place_id=p.pk)
        for w, places in zip(warnings, area, strict=True)
        for p in places
    ]
    through.objects.bulk_create(links, batch_size=2000)

    events = []
    for w, (created, steps) in zip(warnings, paths, strict=True):
        before = ""
        for k, action in enumerate(steps):
            at = created + dt.timedelta(minutes=10 * k)
            if action in (EventAction.PUBLISH,):
                at = w.sent_at or at
            if action in (EventAction.EXPIRE, EventAction.CANCEL):
                at = w.expires_at
            after = _AFTER[action]
            events.append(
                WarningEvent(
                    warning=w, action=action, from_status=before, to_status=after, at=at, note="演示数据"
                )
            )
            before = after
    for n in notices:
        events.append(
            WarningEvent(
                warning=n,
                action=EventAction.PUBLISH,
                to_status=Status.PUBLISHED,
                at=n.sent_at,
                note="演示数据",
            )
        )
    WarningEvent.objects.bulk_create(events, batch_size=2000)
    record_bulk([*warnings, *notices])
    record_bulk(events)
    counts["warnings"] = len(warnings) + len(notices)
    counts["warning_events"] = len(events)

    _consultations(rng, issuing, towns, issuers, now, counts)

    try:
        from yingji.warnings.response import load_response_demo
    except ImportError:
        return
    load_response_demo(seed=seed, counts=counts)


CONSULTATIONS = (
    (
        ConsultationKind.MONTHLY,
        "{month}月自然灾害风险形势会商",
        "汛期将至，强对流天气增多；地质灾害隐患点需加强巡查。",
    ),
    (
        ConsultationKind.QUARTERLY,
        "第{quarter}季度安全生产和自然灾害风险会商",
        "高温、台风季叠加企业复工复产。",
    ),
    (ConsultationKind.REALTIME, "台风实时会商", "台风预计48小时内影响本地，沿江地区风力8至10级。"),
    (ConsultationKind.REALTIME, "强降雨过程实时会商", "未来三天有一次强降雨过程，累计雨量100毫米以上。"),
)


def _consultations(rng, issuing, towns, issuers, now, counts) -> None:
    from yingji.orgs.models import Department
    from yingji.warnings.models import Consultation, WorkPrompt, WorkPromptAck

    consultations, participants, prompts, targets = [], [], [], []
    for i, (kind, title, inputs) in enumerate(CONSULTATIONS):
        place = issuing[i % len(issuing)]
        held = now - dt.timedelta(days=3 * i + 1)
        local = timezone.localtime(held)
        consultations.append(
            Consultation(
                kind=kind,
                title=title.format(month=local.month, quarter=(local.month - 1) // 3 + 1),
                held_at=held,
                place=place,
                chair=issuers.get(place.pk),
                inputs=f"气象：{inputs}\n水利：主要河道水位正常，水库蓄水偏多。\n自然资源：汛期地质灾害隐患点已落实监测人。",
                conclusions="一、加强值班值守和信息报送；二、提前转移危险区域人员；三、做好抢险队伍和物资准备。",
            )
        )
        participants.append(list(Department.objects.filter(place=place).order_by("name")[:5]))
    Consultation.objects.bulk_create(consultations)
    through = Consultation.departments.through
    through.objects.bulk_create(
        [
            through(consultation_id=c.pk, department_id=d.pk)
            for c, ds in zip(consultations, participants, strict=True)
            for d in ds
        ]
    )
    for i, c in enumerate(consultations):
        for k in range(2):
            issued = c.held_at + dt.timedelta(hours=2 + k)
            prompts.append(
                WorkPrompt(
                    consultation=c,
                    number=f"〔{timezone.localtime(issued).year}〕第{i * 2 + k + 1}期",
                    title=("关于做好防汛防台工作的提示", "关于加强地质灾害隐患巡查的提示")[k],
                    content="一、严格落实24小时值班和领导带班制度。\n二、对隐患点、危险区域开展拉网式排查。\n"
                    "三、提前落实人员转移避险措施。",
                    place=c.place,
                    issued_at=issued,
                )
            )
            targets.append((towns.get(c.place_id) or [])[:3])
    WorkPrompt.objects.bulk_create(prompts)
    tp = WorkPrompt.target_places.through
    tp.objects.bulk_create(
        [tp(workprompt_id=p.pk, place_id=t.pk) for p, ts in zip(prompts, targets, strict=True) for t in ts]
    )
    acks = []
    for p, ts in zip(prompts, targets, strict=True):
        for t in ts:
            done = rng.random() < 0.6
            acks.append(
                WorkPromptAck(
                    prompt=p,
                    target_place=t,
                    place=t,
                    acknowledged_at=p.issued_at + dt.timedelta(minutes=rng.randint(5, 240)) if done else None,
                    note="已收到，立即部署落实。" if done else "",
                )
            )
    WorkPromptAck.objects.bulk_create(acks)
    record_bulk([*consultations, *prompts, *acks])
    counts["consultations"] = len(consultations)
    counts["work_prompts"] = len(prompts)


def remove_demo(counts: dict) -> None:
    """Delete every warning, consultation and subscription (all hang on the demo region)."""
    from yingji.warnings.models import (
        Consultation,
        Subscription,
        Warning,
        WarningEvent,
        WorkPrompt,
        WorkPromptAck,
    )

    try:
        from yingji.warnings.response import remove_response_demo
    except ImportError:
        remove_response_demo = None
    if remove_response_demo is not None:
        remove_response_demo(counts)
    for key, qs in (
        ("work_prompt_acks", WorkPromptAck.objects.all()),
        ("work_prompts", WorkPrompt.objects.all()),
        ("consultations", Consultation.objects.all()),
        ("warning_events", WarningEvent.objects.all()),
        ("warning_subscriptions", Subscription.objects.all()),
    ):
        counts[key] = qs.count()
        qs.delete()  # each row's deletion is logged by the audit signals
    n = 0
    while True:  # follow-ups first (references are protected)
        leaves = Warning.objects.exclude(
            pk__in=Warning.objects.filter(references__isnull=False).values("references")
        )
        if not leaves.exists():
            break
        n += leaves.count()
        leaves.delete()
    counts["warnings"] = n
