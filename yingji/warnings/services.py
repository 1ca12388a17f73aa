"""Services of warnings apart from the lifecycle (``lifecycle.py``) and CAP (``cap.py``): public
subscriptions, consultations (会商, W2) and their work prompts (工作提示单).

Every write checks scope inside, runs in one transaction and schedules its messages after commit.
"""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.access import check_object
from yingji.framework.errors import field_error
from yingji.utilities.identifiers import IdentifierError, validate_mobile
from yingji.warnings.models import Consultation, Subscription, WorkPrompt, WorkPromptAck

#: Subscriptions one IP address may start per hour (public form, anti-abuse) [platform default].
SUBSCRIBE_LIMIT_PER_HOUR = 5
#: Wrong confirmation codes accepted per subscription before it must be requested again.
CONFIRM_ATTEMPTS = 5


def _setting(name, default):
    return getattr(settings, f"YINGJI_WARNINGS_{name}", default)


# --- public subscriptions -----------------------------------------------------------------------


class RateLimited(Exception):
    """Too many requests from one address (HTTP 429)."""


def _count_hit(key: str, limit: int, window: int = 3600) -> None:
    cache.add(key, 0, window)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        hits = 1
    if hits > limit:
        raise RateLimited(_("请求过于频繁，请稍后再试。"))


def _send_code(subscription: Subscription) -> None:
    """The confirmation code goes to the subscriber's own number over the chosen channel (sent after commit)."""
    from yingji.messaging.choices import MessageCategory
    from yingji.messaging.services import notify

    notify(
        actor=None,
        subject=_("预警订阅确认码：%(code)s（10分钟内有效）") % {"code": subscription.confirm_code},
        mobiles=[subscription.address],
        channels=[subscription.channel],
        category=MessageCategory.SYSTEM,
        about=subscription,  # the message is filed under the subscription (and its place) …
        link=reverse("warnings:public_confirm", args=[subscription.token]),  # … but links the public page
    )


@transaction.atomic
def subscribe(*, place, channel: str, address: str, name: str = "", ip: str = "") -> Subscription:
    """A member of the public asks for the warnings of ``place``: a (re)started, unconfirmed subscription
    with a fresh 6-digit code sent to the address. Limited per IP address."""
    _count_hit(f"warnings:subscribe:{ip}", _setting("SUBSCRIBE_LIMIT_PER_HOUR", SUBSCRIBE_LIMIT_PER_HOUR))
    try:
        address = validate_mobile(address)
    except IdentifierError as exc:
        raise field_error("address", _("手机号码格式不正确。"), "mobile_format") from exc
    sub = Subscription.objects.filter(place=place, channel=channel, address=address).first()
    if sub is None:
        sub = Subscription(place=place, channel=channel, address=address)
    sub.name = (name or "").strip()[:50]
    sub.confirm_code = f"{secrets.randbelow(1_000_000):06d}"
    sub.active = True
    sub.full_clean(exclude=["token", "confirm_code"])
    sub.save()
    cache.delete(f"warnings:confirm:{sub.pk}")
    _send_code(sub)
    return sub


@transaction.atomic
def confirm_subscription(subscription: Subscription, code: str) -> Subscription:
    """The subscriber enters the code they received; five wrong codes block further tries."""
    key = f"warnings:confirm:{subscription.pk}"
    if cache.get(key, 0) >= _setting("CONFIRM_ATTEMPTS", CONFIRM_ATTEMPTS):
        raise field_error("code", _("错误次数过多，请重新订阅获取新的确认码。"), "too_many_attempts")
    if not secrets.compare_digest((code or "").strip(), subscription.confirm_code or "-"):
        cache.add(key, 0, 3600)
        cache.incr(key)
        raise field_error("code", _("确认码不正确。"), "wrong_code")
    subscription.confirmed = True
    subscription.confirmed_at = timezone.now()
    subscription.active = True
    subscription.save()
    return subscription


@transaction.atomic
def unsubscribe(token: str) -> Subscription | None:
    sub = Subscription.objects.filter(token=token).first()
    if sub is not None and sub.active:
        sub.active = False
        sub.save()
    return sub


# --- consultations and work prompts -------------------------------------------------------------


@transaction.atomic
def save_consultation(consultation: Consultation, *, actor) -> Consultation:
    new = consultation._state.adding
    if new and getattr(actor, "pk", None):
        consultation.created_by = actor
    consultation.full_clean()
    check_object(actor, "add" if new else "change", consultation)
    consultation.save()
    return consultation


@transaction.atomic
def save_work_prompt(prompt: WorkPrompt, *, actor) -> WorkPrompt:
    new = prompt._state.adding
    if not new and WorkPrompt.objects.filter(pk=prompt.pk, issued_at__isnull=False).exists():
        raise ValidationError(_("工作提示单已下发，不能再修改。"), code="already_issued")
    if prompt.consultation_id:
        prompt.place = prompt.consultation.place
        check_object(actor, "view", prompt.consultation)
    prompt.full_clean()
    check_object(actor, "add" if new else "change", prompt)
    prompt.save()
    return prompt


def _prompt_recipients(prompt: WorkPrompt):
    """The people of the target places (users assigned there) and departments (their staff and users)."""
    from yingji.accounts.models import Person, User

    places = list(prompt.target_places.all())
    departments = list(prompt.target_departments.all())
    users = list(User.objects.filter(is_active=True, role_assignments__place__in=places).distinct()) + list(
        User.objects.filter(is_active=True, role_assignments__department__in=departments).distinct()
    )
    persons = list(Person.objects.filter(department__in=departments))
    return users, persons


@transaction.atomic
def issue_prompt(prompt: WorkPrompt, *, actor) -> WorkPrompt:
    """Issue (下发) a work prompt: one acknowledgement per target place and department, and a message
    (in-app, with the PDF link) to their people. A prompt is issued once."""
    from yingji.messaging.choices import MessageCategory
    from yingji.messaging.services import notify

    prompt = WorkPrompt.objects.select_for_update().get(pk=prompt.pk)
    check_object(actor, "change", prompt)
    if prompt.issued_at is not None:
        raise ValidationError(_("工作提示单已下发。"), code="already_issued")
    places = list(prompt.target_places.all())
    departments = list(prompt.target_departments.select_related("place"))
    if not places and not departments:
        raise ValidationError(
            {"target_places": ValidationError(_("请至少选择一个发送地区或部门。"), code="no_targets")}
        )
    prompt.issued_at = timezone.now()
    prompt.issued_by = actor if getattr(actor, "pk", None) else None
    acks = [WorkPromptAck(prompt=prompt, target_place=p, place=p) for p in places]
    acks += [WorkPromptAck(prompt=prompt, department=d, place=d.place) for d in departments]
    for ack in acks:
        ack.save()
    users, persons = _prompt_recipients(prompt)
    if users or persons:
        from django.urls import reverse

        prompt.message = notify(
            actor=actor,
            subject=(_("工作提示单：%(title)s") % {"title": prompt.title})[:200],
            body=prompt.content,
            users=users,
            persons=persons,
            channels=("inapp",),
            category=MessageCategory.WARNING,
            about=prompt,
            link=reverse("warnings:workprompt_detail", args=[prompt.pk]),
        )
    prompt.save()
    return prompt


@transaction.atomic
def acknowledge_prompt(ack: WorkPromptAck, *, actor, note: str = "") -> WorkPromptAck:
    """A target place or department acknowledges (签收) the prompt."""
    ack = (
        WorkPromptAck.objects.select_for_update(of=("self",))
        .select_related("place", "department")
        .get(pk=ack.pk)
    )
    check_object(actor, "change", ack)
    if ack.acknowledged_at is not None:
        raise ValidationError(_("已签收，无需重复签收。"), code="already_acknowledged")
    ack.acknowledged_at = timezone.now()
    ack.acknowledged_by = actor if getattr(actor, "pk", None) else None
    ack.note = (note or "").strip()[:500]
    ack.save()
    return ack


def acks_for(user, prompt: WorkPrompt):
    """The acknowledgement rows of ``prompt`` that ``user`` may complete."""
    return WorkPromptAck.objects.visible_to(user, "change").filter(
        prompt=prompt, acknowledged_at__isnull=True
    )


# --- PDF ----------------------------------------------------------------------------------------


def prompt_pdf(prompt: WorkPrompt) -> bytes:
    """The work prompt as an A4 PDF (reportlab, built-in CID font STSong-Light for Chinese)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title = ParagraphStyle("t", fontName=font, fontSize=20, leading=28, alignment=TA_CENTER, textColor="#b00")
    head = ParagraphStyle("h", fontName=font, fontSize=16, leading=24, alignment=TA_CENTER)
    body = ParagraphStyle("b", fontName=font, fontSize=12, leading=20, firstLineIndent=24)
    small = ParagraphStyle("s", fontName=font, fontSize=10, leading=15)

    consultation = prompt.consultation
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=prompt.title,
        author=consultation.place.name,
    )
    issued = timezone.localtime(prompt.issued_at or timezone.now())
    story = [
        Paragraph(escape(_("工作提示单")), title),
        Paragraph(escape(prompt.number or ""), small),
        Spacer(1, 4 * mm),
        Paragraph(escape(prompt.title), head),
        Spacer(1, 6 * mm),
    ]
    targets = "、".join(
        [p.name for p in prompt.target_places.all()] + [d.name for d in prompt.target_departments.all()]
    )
    if targets:
        story.append(Paragraph(escape(targets + "："), small))
        story.append(Spacer(1, 3 * mm))
    for line in prompt.content.splitlines():
        if line.strip():
            story.append(Paragraph(escape(line.strip()), body))
    story += [Spacer(1, 8 * mm)]
    meta = [
        [_("依据会商"), consultation.title],
        [_("会商时间"), timezone.localtime(consultation.held_at).strftime("%Y-%m-%d %H:%M")],
        [_("下发时间"), issued.strftime("%Y-%m-%d %H:%M")],
        [_("签收要求"), _("请收到后在平台“工作提示单”页面签收，并抓好落实。")],
    ]
    table = Table(
        [[Paragraph(escape(str(a)), small), Paragraph(escape(str(b)), small)] for a, b in meta],
        colWidths=[30 * mm, 130 * mm],
    )
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
