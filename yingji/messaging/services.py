"""Messaging services (F5): tell people something, over the channels chosen, and track every send.

* :func:`notify` — the one way any module sends a message: resolves recipients to one delivery per
  channel and address, writes them in one transaction and queues the sends after commit. Callers are
  domain services that decided who must be told (a reminder may go to someone outside the actor's
  scope); it checks no permission.
* :func:`send_message` — what an officer does from the page or the API: the role must allow sending
  and every recipient must be in the officer's scope; then :func:`notify`.
* :func:`attempt_delivery` — one try of one delivery (called by the task ``send_delivery``).
* :func:`unread_count`, :func:`mark_read`, :func:`mark_all_read` — the inbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.access import AccessDenied, allows_object, assignments_of, can, check_object
from yingji.messaging import channels as channel_registry
from yingji.messaging.channels import SendResult
from yingji.messaging.choices import AddressKind, DeliveryStatus, MessageCategory
from yingji.messaging.models import Delivery, Message, Notification
from yingji.utilities.identifiers import IdentifierError, validate_mobile

logger = logging.getLogger(__name__)

#: One first try and three retries (task ``send_delivery``); then the delivery fails.
MAX_ATTEMPTS = 4
#: Seconds to wait before retry n (1-based): 1 min, 2 min, 4 min.
RETRY_DELAYS = (60, 120, 240)
#: A queued delivery untouched this long is queued again by the periodic task (lost task, restart).
STALE_AFTER = timedelta(minutes=10)
#: How long one try holds its delivery: longer than any carrier call may take.
LEASE = timedelta(minutes=5)

SENT, FAILED, RETRY, SKIPPED = "sent", "failed", "retry", "skipped"


# --- recipients -------------------------------------------------------------------------------


@dataclass
class Target:
    """One resolved send: a channel and an address (empty when the recipient has none)."""

    channel: str
    address: str
    user: object = None
    person: object = None
    place: object = None
    error: str = ""


def _load(model, items, related):
    """Instances (or ids) → fresh instances with ``related`` loaded, in the given order, no duplicates."""
    ids = []
    for item in items or ():
        pk = getattr(item, "pk", item)
        if pk is not None and pk not in ids:
            ids.append(pk)
    if not ids:
        return []
    rows = model._default_manager.filter(pk__in=ids).select_related(*related).in_bulk()
    return [rows[pk] for pk in ids if pk in rows]


def _person_user(person):
    try:
        return person.user
    except ObjectDoesNotExist:  # the person has no account
        return None


def _assignment_places(users) -> dict:
    """user id → the place of one of the user's place-scoped role assignments (one query)."""
    from yingji.accounts.models import RoleAssignment

    ids = [u.pk for u in users if u is not None]
    out = {}
    for assignment in (
        RoleAssignment.objects.filter(user_id__in=ids, place__isnull=False)
        .select_related("place")
        .order_by("id")
    ):
        out.setdefault(assignment.user_id, assignment.place)
    return out


def resolve_targets(channels, *, users=(), persons=(), places=(), mobiles=()) -> list[Target]:
    """One target per channel and address, duplicates removed.

    ``mobiles`` are bare numbers of people without a record (a public reporter, a subscriber); they
    are reached on mobile-address channels only (SMS, voice).

    Users reach the in-app inbox directly and mobile channels through their person's mobile; persons
    reach the inbox through their account (if any) and mobile channels through their mobile; places
    reach place channels (应急广播, screens). A recipient without an address on a channel gives a target
    with an empty address and an ``error``, so that the gap shows in the delivery list.
    """
    from yingji.accounts.models import Person, User
    from yingji.places.models import Place

    users = _load(User, users, ("person__place",))
    persons = _load(Person, persons, ("user", "place"))
    places = _load(Place, places, ())
    user_places = _assignment_places([*users, *(_person_user(p) for p in persons)])

    targets: list[Target] = []
    seen: set = set()

    def add(target: Target, key: str):
        if (target.channel, key) in seen:
            return
        seen.add((target.channel, key))
        targets.append(target)

    def place_of(user, person):
        if person is not None:
            return person.place
        return user_places.get(user.pk) if user is not None else None

    for code in channels:
        channel = channel_registry.get_channel(code)
        kind = channel.address_kind
        if kind == AddressKind.USER:
            pairs = [(u, u.person) for u in users] + [(_person_user(p), p) for p in persons]
            for user, person in pairs:
                if user is None:
                    add(
                        Target(
                            code,
                            "",
                            person=person,
                            place=place_of(None, person),
                            error=_("该人员没有平台账号"),
                        ),
                        f"person:{person.pk}",
                    )
                    continue
                address = f"user:{user.pk}"
                error = "" if user.is_active else _("账号已停用")
                add(
                    Target(
                        code, address, user=user, person=person, place=place_of(user, person), error=error
                    ),
                    address,
                )
        elif kind == AddressKind.MOBILE:
            pairs = [(u, u.person) for u in users] + [(_person_user(p), p) for p in persons]
            for user, person in pairs:
                raw = (person.mobile if person is not None else "") or ""
                who = f"person:{person.pk}" if person is not None else f"user:{user.pk}"
                if not raw:
                    add(
                        Target(
                            code,
                            "",
                            user=user,
                            person=person,
                            place=place_of(user, person),
                            error=_("缺少手机号码"),
                        ),
                        who,
                    )
                    continue
                try:
                    address, error = validate_mobile(raw), ""
                except IdentifierError:
                    address, error = raw[:100], _("手机号码格式不正确")
                add(
                    Target(
                        code, address, user=user, person=person, place=place_of(user, person), error=error
                    ),
                    address,
                )
            for raw in mobiles:
                try:
                    address, error = validate_mobile(raw), ""
                except IdentifierError:
                    address, error = str(raw)[:100], _("手机号码格式不正确")
                add(Target(code, address, error=error), address)
        elif kind == AddressKind.PLACE:
            for place in places:
                add(Target(code, place.code, place=place), place.code)
    return targets


# --- sending ----------------------------------------------------------------------------------


def _validate(subject: str, channels, link: str) -> None:
    errors = {}
    if not subject:
        errors["subject"] = ValidationError(_("请填写消息标题。"), code="required")
    elif len(subject) > 200:
        errors["subject"] = ValidationError(_("标题不能超过200个字。"), code="max_length")
    if not channels:
        errors["channels"] = ValidationError(_("请至少选择一个发送渠道。"), code="required")
    else:
        unknown = [c for c in channels if channel_registry.get_channel(c) is None]
        if unknown:
            errors["channels"] = ValidationError(
                _("未知的发送渠道：%(codes)s；可用渠道：%(known)s。")
                % {"codes": "、".join(map(str, unknown)), "known": "、".join(channel_registry.channels())},
                code="unknown_channel",
            )
    if link:
        internal = link.startswith("/") and not link.startswith("//")
        if not (internal or link.startswith(("http://", "https://"))):
            errors["link"] = ValidationError(
                _("链接应为平台内路径（以 / 开头）或 http(s) 地址。"), code="invalid_link"
            )
        elif len(link) > 500:
            errors["link"] = ValidationError(_("链接不能超过500个字符。"), code="max_length")
    if errors:
        raise ValidationError(errors)


def _about_fields(about, actor) -> dict:
    """Reference to the object the message is about; the message's place is that object's place, else a
    place the sender's own roles cover (so that the sender finds the message again)."""
    from django.contrib.contenttypes.models import ContentType

    from yingji.audit.services import object_place

    fields = {"content_type": None, "object_id": "", "place": None}
    if about is not None:
        fields["content_type"] = ContentType.objects.get_for_model(type(about))
        fields["object_id"] = str(about.pk)
        fields["place"] = object_place(about)
    if fields["place"] is None and actor is not None:
        fields["place"] = covered_place(actor, lambda place: Message(place=place))
    return fields


def common_place(places):
    """The nearest place containing all the given places (their common ancestor), or None."""
    from yingji.places.models import Place

    places = [p for p in places if p is not None]
    paths = {p.path for p in places}
    if not paths:
        return None
    common = []
    for codes in zip(*(p.strip("/").split("/") for p in paths), strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    if not common:
        return None
    known = next((p for p in places if p.code == common[-1]), None)
    return known or Place.objects.filter(code=common[-1]).first()


@transaction.atomic
def notify(
    *,
    actor,
    subject,
    body="",
    users=(),
    persons=(),
    places=(),
    mobiles=(),
    channels=("inapp",),
    link="",
    category=MessageCategory.GENERAL,
    about=None,
) -> Message:
    """Send a message to users, persons, places and bare mobile numbers over ``channels``; returns the
    saved message.

    One delivery per channel and address (duplicates removed); recipients without an address on a
    channel get a failed delivery saying what is missing. The sends are queued after commit, so a
    rolled-back transaction sends nothing. ``actor`` (a user, or None for the system) is the sender.
    ``about`` is the object the message concerns (a hazard, a deadline …); its page is the default link.
    Raises ``ValidationError`` for bad input (nothing is written).
    """
    subject = (subject or "").strip()
    channels = list(dict.fromkeys(str(c) for c in (channels or ())))
    link = (link or "").strip()
    if not link and about is not None and hasattr(about, "get_absolute_url"):
        try:
            link = about.get_absolute_url()
        except Exception:  # noqa: BLE001 - an object without a page simply gives no link
            link = ""
    _validate(subject, channels, link)
    if not (users or persons or places or mobiles):
        raise ValidationError(_("请至少选择一个接收人（用户、人员或地区）。"), code="no_recipients")

    sender = actor if getattr(actor, "pk", None) else None  # None, or the system actor: no sender row
    targets = resolve_targets(channels, users=users, persons=persons, places=places, mobiles=mobiles)
    if not targets:
        raise ValidationError(
            _("所选渠道无法送达所选接收人：应急广播和显示屏按地区发送，其他渠道需要选择用户或人员。"),
            code="no_targets",
        )
    fields = _about_fields(about, sender)
    if fields["place"] is None:
        fields["place"] = common_place(t.place for t in targets)
    message = Message(
        subject=subject,
        body=body or "",
        link=link,
        category=category or MessageCategory.GENERAL,
        channels=channels,
        sender=sender,
        **fields,
    )
    message.save()

    deliveries = []
    for t in targets:
        failed = bool(t.error) or not t.address
        deliveries.append(
            Delivery(
                message=message,
                channel=t.channel,
                address=t.address,
                user=t.user,
                person=t.person,
                place=t.place,
                status=DeliveryStatus.FAILED if failed else DeliveryStatus.QUEUED,
                last_error=t.error,
            )
        )
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        from yingji.audit.services import record_bulk

        record_bulk(deliveries)
    if any(d.status == DeliveryStatus.QUEUED for d in deliveries):
        message_id = message.pk

        def enqueue():
            from yingji.messaging.tasks import dispatch_message

            dispatch_message(message_id)

        transaction.on_commit(enqueue)
    return message


@transaction.atomic
def send_message(
    *,
    actor,
    subject,
    body="",
    users=(),
    persons=(),
    places=(),
    channels=("inapp",),
    link="",
    category=MessageCategory.GENERAL,
) -> Message:
    """An officer sends a message (page, API): role and recipients' scope are checked, then :func:`notify`."""
    from yingji.accounts.models import Person, User
    from yingji.places.models import Place

    if not can(actor, "add", Message):
        raise AccessDenied(_("您的角色不能发送消息。"), code="permission_denied")
    for model, items in ((User, users), (Person, persons), (Place, places)):
        ids = {getattr(i, "pk", i) for i in items or ()}
        if ids and model.objects.visible_to(actor, "view").filter(pk__in=ids).count() != len(ids):
            raise AccessDenied(_("所选接收人不在您的管辖范围内。"), code="out_of_scope")
    return notify(
        actor=actor,
        subject=subject,
        body=body,
        users=users,
        persons=persons,
        places=places,
        channels=channels,
        link=link,
        category=category,
    )


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` failed tries."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def attempt_delivery(delivery_id: int) -> str:
    """Try one delivery once: ``sent``, ``failed``, ``retry`` (transient error, tries left) or ``skipped``.

    Idempotent: a delivery that is no longer queued is not sent again, and a conditional update takes a
    lease on the delivery (``locked_until``) so that two workers never send it at the same time.
    """
    delivery = Delivery.objects.select_related("message", "user", "person").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.QUEUED:
        return SKIPPED
    if delivery.attempts >= MAX_ATTEMPTS:
        return _finish(
            delivery.pk, SendResult(ok=False, error=delivery.last_error or _("重试次数已用尽"), final=True)
        )
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(attempts=F("attempts") + 1, last_attempt_at=now, locked_until=now + LEASE)
    )
    if not claimed:
        return SKIPPED
    delivery.refresh_from_db(fields=["attempts", "last_attempt_at", "locked_until"])
    channel = channel_registry.get_channel(delivery.channel)
    if channel is None:
        result = SendResult(
            ok=False, error=_("未配置发送渠道：%(code)s") % {"code": delivery.channel}, final=True
        )
    else:
        try:
            result = channel.send(delivery)
        except Exception as exc:  # noqa: BLE001 - any adapter error is a transient failure, retried
            logger.warning("delivery %s over %s failed: %s", delivery.pk, delivery.channel, exc)
            result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
    return _finish(delivery.pk, result)


@transaction.atomic
def _finish(delivery_id: int, result: SendResult) -> str:
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.QUEUED:
        return SKIPPED
    delivery.locked_until = None
    fields = ["status", "last_error", "provider_id", "locked_until", "updated"]
    if result.ok:
        delivery.status = DeliveryStatus.SENT
        delivery.provider_id = (result.provider_id or "")[:100]
        delivery.last_error = ""
        delivery.sent_at = timezone.now()
        fields.append("sent_at")
        outcome = SENT
    else:
        delivery.last_error = (result.error or _("发送失败"))[:500]
        if result.final or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            outcome = FAILED
        else:
            outcome = RETRY
    delivery.save(update_fields=fields)
    return outcome


def stale_delivery_ids(*, now=None, limit: int = 1000) -> list[int]:
    """Queued deliveries nobody has tried for :data:`STALE_AFTER` (their task was lost)."""
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    queued = Delivery.objects.filter(status=DeliveryStatus.QUEUED).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    )
    never = queued.filter(last_attempt_at__isnull=True, created__lt=cutoff)
    idle = queued.filter(last_attempt_at__lt=cutoff)
    ids = list(never.order_by("id").values_list("id", flat=True)[:limit])
    ids += list(idle.order_by("id").values_list("id", flat=True)[: max(limit - len(ids), 0)])
    return ids


@transaction.atomic
def record_receipt(
    *, channel: str, provider_id: str, delivered: bool = True, error: str = ""
) -> Delivery | None:
    """A carrier's delivery report (回执): ``sent`` → ``delivered``, or → ``failed`` with the carrier's error."""
    delivery = (
        Delivery.objects.select_for_update()
        .filter(channel=channel, provider_id=provider_id)
        .exclude(provider_id="")
        .first()
    )
    if delivery is None or delivery.status != DeliveryStatus.SENT:
        return delivery
    if delivered:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = (error or _("运营商回执：未送达"))[:500]
    delivery.save(update_fields=["status", "delivered_at", "last_error", "updated"])
    return delivery


def status_counts(deliveries) -> dict:
    """``{status: count}`` of a queryset of deliveries (e.g. a message's, in scope), every status present."""
    counts = dict(deliveries.values_list("status").annotate(n=Count("id")).order_by())
    return {s: counts.get(s, 0) for s in DeliveryStatus.values}


# --- inbox ------------------------------------------------------------------------------------


def covered_place(user, make):
    """A place for a row about ``user`` that ``user``'s own roles can see: their person's place, else the
    place of one of their role assignments (``make(place)`` builds the unsaved row to test); falls back
    to the person's place."""
    person = getattr(user, "person", None)
    candidates = [person.place] if person is not None and person.place_id else []
    candidates += [a.place for a in assignments_of(user) if a.place_id]
    for place in candidates:
        if allows_object(user, "view", make(place)):
            return place
    return candidates[0] if candidates else None


def home_place(user):
    """Where the user's notifications are filed (see ``Notification``)."""
    return covered_place(user, lambda place: Notification(recipient=user, place=place))


def create_notification(message, user) -> Notification:
    """The in-app channel's write: the user's notification of this message (found again if it exists)."""
    existing = Notification.objects.filter(message=message, recipient=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            notification = Notification(message=message, recipient=user, place=home_place(user))
            notification.save()
            return notification
    except IntegrityError:  # created meanwhile by a concurrent try
        return Notification.objects.get(message=message, recipient=user)


def unread_count(user) -> int:
    """How many of the user's notifications are unread: one COUNT over the (recipient, read_at) index.

    Called on every page (the bell in the top bar). It counts only the user's own rows (recipient =
    user), so it needs no scope join.
    """
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(notification: Notification, *, actor) -> Notification:
    """The recipient has read the notification (no-op when already read)."""
    if notification.recipient_id != getattr(actor, "pk", None):
        raise AccessDenied(_("只能处理发给自己的消息。"), code="out_of_scope")
    check_object(actor, "change", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated"])
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    """Mark all of the actor's unread notifications read; returns how many changed."""
    return (
        Notification.objects.inbox(actor, "change")
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now(), updated=timezone.now())
    )
