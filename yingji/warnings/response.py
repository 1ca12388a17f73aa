"""Call-and-respond (叫应, W4): every responsible person of every targeted place must answer (应).

* :func:`open_acknowledgements` — on publish (run by the fan-out job): one :class:`Acknowledgement` per
  responsible person per targeted place of the tiers the warning targets (district/town/village; rule
  in ``targets.py``), due at the call time + ``answer_within`` of the warning level, and the call (叫):
  a personal message with the answer link over ``CALL_CHANNELS``.
* :func:`check_responses` — periodic (every minute): an unanswered acknowledgement climbs the stages
  repeat (again over ``CALL_CHANNELS``) → voice call → escalation (the superior place's responsible
  persons are told who has not answered), at the minutes of ``RESPONSE_RULES[level]``. Each stage is
  taken once (conditional update), missed stages are taken in order; nothing happens once the
  warning is no longer active (updated, cancelled, expired).
* :func:`acknowledge` / :func:`acknowledge_by_token` — the answer, by the UI, the API or the link.
* :func:`answer_stats` — answer rate and mean answer time of a place subtree in a month (duty
  evaluation), :func:`board` / :func:`place_rows` — the live board.
* :func:`register_response_types` — object types and role grants (called from ``apps.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.access import AccessDenied, allows_object
from yingji.framework.errors import field_error
from yingji.warnings import conf_response as conf
from yingji.warnings.models_response import Acknowledgement, AckStage, AckVia

logger = logging.getLogger(__name__)

TIERS = ("district", "town", "village")
#: whose responsible persons hear of an unanswered call: the tier above, at the parent place
SUPERIOR_TIER = {"village": "town", "town": "district", "district": "district"}
STAGE_KEYS = {
    AckStage.REPEATED: "repeat_after",
    AckStage.VOICE: "voice_after",
    AckStage.ESCALATED: "escalate_after",
}


def rule_for(level: str) -> dict:
    rules = conf.get("RESPONSE_RULES")
    return rules.get(str(level)) or rules["blue"]


def applies(warning) -> bool:
    """Call-and-respond runs for published alerts and updates, not for cancel notices."""
    return str(getattr(warning, "msg_type", "Alert")) != "Cancel"


def is_active(warning, now=None) -> bool:
    now = now or timezone.now()
    return warning.status == "published" and (warning.expires_at is None or warning.expires_at > now)


def ack_path(ack) -> str:
    return reverse("warnings:response_ack_link", args=[ack.token])


# --- opening -----------------------------------------------------------------------------------


def open_acknowledgements(warning, *, now=None, call: bool = True) -> int:
    """Create the acknowledgement rows of ``warning`` (idempotent) and make the pending calls
    (``call=False``: rows only, e.g. demo data)."""
    from yingji.accounts.models import Person
    from yingji.warnings.targets import resolve_area, responsible_rows

    if not applies(warning):
        return 0
    now = now or timezone.now()
    tiers = [t for t in TIERS if t in set(warning.target_groups or ())]
    created = 0
    if tiers:
        area = resolve_area(warning)
        rows = []
        for tier in tiers:
            rows += [(tier, *r) for r in responsible_rows(sorted(area.tier_ids(tier)), tier)]
        person_ids = {r[1] for r in rows if r[1]}
        names = {}
        for i in range(0, len(person_ids), 500):
            chunk = list(person_ids)[i : i + 500]
            names.update(dict(Person.objects.filter(id__in=chunk).values_list("id", "name")))
        user_names = _user_names({r[2] for r in rows if r[2] and not r[1]})
        existing = set(
            Acknowledgement.objects.filter(warning=warning).values_list("place_id", "person_id", "user_id")
        )
        existing_keys = {(p, pe or f"u{u}") for p, pe, u in existing}
        called = warning.sent_at or now
        rule = rule_for(warning.level)
        due = called + dt.timedelta(minutes=rule["answer_within"])
        new = []
        for tier, person_id, user_id, _active, mobile, place_id in rows:
            key = (place_id, person_id or f"u{user_id}")
            if key in existing_keys:
                continue
            existing_keys.add(key)
            new.append(
                Acknowledgement(
                    warning=warning,
                    place_id=place_id,
                    tier=tier,
                    person_id=person_id,
                    user_id=user_id,
                    name=(names.get(person_id) or user_names.get(user_id) or "")[:50],
                    mobile=(mobile or "")[:20],
                    called_at=called,
                    due_at=due,
                )
            )
        if new:
            with transaction.atomic():
                Acknowledgement.objects.bulk_create(new, batch_size=1000)
                from yingji.audit.services import record_bulk

                record_bulk([a for a in new if a.pk])
            created = len(new)
    if call:
        make_calls(warning)
    return created


def _user_names(user_ids) -> dict:
    from yingji.accounts.models import User

    if not user_ids:
        return {}
    return {
        pk: (f"{last}{first}".strip() or username)
        for pk, username, first, last in User.objects.filter(id__in=user_ids).values_list(
            "id", "username", "first_name", "last_name"
        )
    }


def _send(ack, subject: str, body: str, channels, warning):
    from yingji.messaging.services import notify

    if ack.person_id is None and ack.user_id is None:
        return None
    return notify(
        actor=None,
        subject=subject[:200],
        body=body,
        persons=[ack.person_id] if ack.person_id else (),
        users=[ack.user_id] if ack.user_id and not ack.person_id else (),
        channels=channels,
        link=ack_path(ack),
        category="warning",
        about=warning,
    )


def make_calls(warning) -> int:
    """The call (叫) of every acknowledgement not yet called: one personal message each, once."""
    calls = 0
    for ack in Acknowledgement.objects.filter(warning=warning, stage_at__isnull=True).select_related(
        "warning"
    ):
        with transaction.atomic():
            if not Acknowledgement.objects.filter(pk=ack.pk, stage_at__isnull=True).update(
                stage_at=timezone.now()
            ):
                continue
            _send(
                ack,
                _("【叫应】%(headline)s") % {"headline": warning.headline},
                _("请确认收到此预警并落实防御措施：%(path)s") % {"path": ack_path(ack)},
                conf.get("CALL_CHANNELS"),
                warning,
            )
            calls += 1
    return calls


# --- escalation --------------------------------------------------------------------------------


def due_stage(ack, now) -> int:
    """The stage an unanswered acknowledgement should have reached at ``now``."""
    rule = rule_for(ack.warning.level)
    minutes = (now - ack.called_at).total_seconds() / 60
    stage = AckStage.CALLED
    for target, key in STAGE_KEYS.items():
        if minutes >= rule[key]:
            stage = target
    return int(stage)


def check_responses(*, now=None) -> dict:
    """Take the due repeat / voice / escalation stages of every unanswered acknowledgement."""
    now = now or timezone.now()
    done = {"repeat": 0, "voice": 0, "escalate": 0}
    pending = (
        Acknowledgement.objects.filter(acknowledged_at__isnull=True, stage__lt=AckStage.ESCALATED)
        .filter(warning__status="published", warning__expires_at__gt=now)
        .select_related("warning", "place")
        .order_by("id")
    )
    escalations = defaultdict(list)
    for ack in pending:
        if not applies(ack.warning):
            continue
        if ack.stage_at is None:
            make_calls(ack.warning)
        target = due_stage(ack, now)
        for stage in range(ack.stage + 1, target + 1):
            with transaction.atomic():
                moved = Acknowledgement.objects.filter(
                    pk=ack.pk, stage=stage - 1, acknowledged_at__isnull=True
                ).update(stage=stage, stage_at=now)
                if not moved:
                    break
                headline = ack.warning.headline
                if stage == AckStage.REPEATED:
                    _send(
                        ack,
                        _("【再次叫应】%(headline)s") % {"headline": headline},
                        _("您尚未确认收到此预警，请立即确认：%(path)s") % {"path": ack_path(ack)},
                        conf.get("CALL_CHANNELS"),
                        ack.warning,
                    )
                    done["repeat"] += 1
                elif stage == AckStage.VOICE:
                    _send(
                        ack,
                        _("【语音叫应】%(headline)s") % {"headline": headline},
                        _("请确认收到预警，按页面或短信链接应答。"),
                        ("voice",),
                        ack.warning,
                    )
                    done["voice"] += 1
                else:
                    escalations[(ack.warning_id, ack.place.parent_id, ack.tier)].append(ack)
                    done["escalate"] += 1
    for (_warning_id, parent_id, tier), acks in escalations.items():
        _escalate(acks, parent_id, tier)
    return done


def superiors(parent_id, tier):
    """(person_id, user_id, …) rows of the responsible persons above an acknowledgement's place."""
    from yingji.warnings.targets import responsible_rows

    if parent_id is None:
        return []
    return responsible_rows([parent_id], SUPERIOR_TIER[tier])


def _escalate(acks, parent_id, tier) -> None:
    from yingji.messaging.services import notify

    rows = superiors(parent_id, tier)
    warning = acks[0].warning
    if not rows:
        logger.warning(
            "warning %s: no responsible person above place %s to escalate to", warning.pk, parent_id
        )
        return
    who = "、".join(f"{a.place.name} {a.name or '—'}" for a in acks[:20])
    if len(acks) > 20:
        who += _(" 等%(n)d人") % {"n": len(acks)}
    person_ids = [r[0] for r in rows if r[0]]
    user_ids = [r[1] for r in rows if r[1] and not r[0]]
    with transaction.atomic():
        notify(
            actor=None,
            subject=_("【叫应未应答】%(headline)s") % {"headline": warning.headline},
            body=_("以下责任人超时未应答，请督促落实：%(who)s") % {"who": who},
            persons=person_ids,
            users=user_ids,
            channels=conf.get("ESCALATION_CHANNELS"),
            link=reverse("warnings:response_detail", args=[warning.pk]),
            category="warning",
            about=warning,
        )


# --- answering ---------------------------------------------------------------------------------


def may_answer(actor, ack) -> bool:
    """The responsible person themselves, or an officer who may change the acknowledgement (e.g. the
    duty officer recording an answer given by phone)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if ack.user_id and ack.user_id == actor.pk:
        return True
    if ack.person_id and getattr(actor, "person_id", None) == ack.person_id:
        return True
    return allows_object(actor, "change", ack)


_ANSWER_FIELDS = (
    "id",
    "warning_id",
    "place_id",
    "person_id",
    "user_id",
    "name",
    "called_at",
    "due_at",
    "acknowledged_at",
    "via",
    "acknowledged_by_id",
    "warning__headline",
    "place__name",
)


def _answerable():
    """Acknowledgements with just what answering and its change-log entry need (one query)."""
    return Acknowledgement.objects.select_related("warning", "place").only(*_ANSWER_FIELDS)


def acknowledge(ack, *, actor, via: str = AckVia.UI, now=None) -> Acknowledgement:
    """Record the answer (应). Idempotent: a second answer keeps the first time.

    One conditional UPDATE (``acknowledged_at IS NULL``) and one change-log entry in one transaction,
    so concurrent answers (link and button at once) record exactly one answer.
    """
    from yingji.audit.choices import ChangeAction
    from yingji.audit.services import _plain, record

    if via not in AckVia.values:
        raise ValidationError(_("未知的应答方式。"), code="invalid_via")
    if via != AckVia.LINK and not may_answer(actor, ack):
        raise AccessDenied(_("只有该责任人本人或有权限的值班人员可以应答。"), code="permission_denied")
    now = now or timezone.now()
    by = actor.pk if getattr(actor, "pk", None) else None
    with transaction.atomic():
        answered = Acknowledgement.objects.filter(pk=ack.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, via=via, acknowledged_by_id=by, updated=now
        )
        if answered:
            ack.acknowledged_at, ack.via, ack.acknowledged_by_id = now, via, by
            record(
                ack,
                ChangeAction.UPDATE,
                {"acknowledged_at": None, "via": "", "acknowledged_by_id": None},
                {"acknowledged_at": _plain(now), "via": via, "acknowledged_by_id": by},
            )
            return ack
    return _answerable().get(pk=ack.pk)


_TOKEN_SQL: str | None = None


def _by_token(token: str):
    """The acknowledgement of ``token`` with its warning's headline and place's name, by one raw query
    compiled once (the link and the token API are the hot path of mass answering)."""
    global _TOKEN_SQL
    from yingji.places.models import Place
    from yingji.warnings.models import Warning

    if _TOKEN_SQL is None:
        from django.db import connection

        q = connection.ops.quote_name
        cols = ", ".join(f"a.{q(f)}" for f in _ANSWER_FIELDS if "__" not in f)
        _TOKEN_SQL = (
            f"SELECT {cols}, w.{q('headline')} AS w_headline, p.{q('name')} AS p_name "  # noqa: S608 - names only
            f"FROM {q(Acknowledgement._meta.db_table)} a "
            f"INNER JOIN {q(Warning._meta.db_table)} w ON w.{q('id')} = a.{q('warning_id')} "
            f"INNER JOIN {q(Place._meta.db_table)} p ON p.{q('id')} = a.{q('place_id')} "
            f"WHERE a.{q('token')} = %s"
        )
    for ack in Acknowledgement.objects.raw(_TOKEN_SQL, [token]):
        ack.warning = Warning(pk=ack.warning_id, headline=ack.w_headline)
        ack.place = Place(pk=ack.place_id, name=ack.p_name)
        return ack
    return None


_ANSWER_SQL: str | None = None
_AUDIT_SQL: str | None = None
#: What the change log records of an answer (the fields the conditional UPDATE sets).
_UNANSWERED = {"acknowledged_at": None, "via": "", "acknowledged_by_id": None}


def _answer_sql() -> str:
    """The answer by token as one statement: the conditional UPDATE (``acknowledged_at IS NULL``)
    returning what the response and the change-log entry need, the warning's headline and the
    place's name by subqueries (SQLite ≥ 3.35 and PostgreSQL both return rows from an UPDATE)."""
    global _ANSWER_SQL
    if _ANSWER_SQL is None:
        from django.db import connection

        from yingji.places.models import Place
        from yingji.warnings.models import Warning

        q = connection.ops.quote_name
        table = q(Acknowledgement._meta.db_table)
        _ANSWER_SQL = (
            f"UPDATE {table} SET {q('acknowledged_at')} = %s, {q('via')} = %s, "  # noqa: S608 - names only
            f"{q('acknowledged_by_id')} = %s, {q('updated')} = %s "
            f"WHERE {q('token')} = %s AND {q('acknowledged_at')} IS NULL "
            f"RETURNING {q('id')}, {q('warning_id')}, {q('place_id')}, {q('person_id')}, {q('user_id')}, "
            f"{q('name')}, {q('called_at')}, {q('due_at')}, "
            f"(SELECT w.{q('headline')} FROM {q(Warning._meta.db_table)} w WHERE w.{q('id')} = {table}.{q('warning_id')}), "
            f"(SELECT p.{q('name')} FROM {q(Place._meta.db_table)} p WHERE p.{q('id')} = {table}.{q('place_id')})"
        )
    return _ANSWER_SQL


def _audit_sql() -> str:
    """One change-log row, the columns :func:`yingji.audit.services.record` writes, bound once."""
    global _AUDIT_SQL
    if _AUDIT_SQL is None:
        from django.db import connection

        from yingji.audit.models import ObjectChange
        from yingji.audit.services import _BULK_COLUMNS

        q = connection.ops.quote_name
        meta = ObjectChange._meta
        columns = ", ".join(q(meta.get_field(name).column) for name in _BULK_COLUMNS)
        values = ", ".join(["%s"] * len(_BULK_COLUMNS))
        _AUDIT_SQL = f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608 - names only
    return _AUDIT_SQL


def _aware(value):
    """A datetime as the database returned it (SQLite: text in UTC) → aware datetime."""
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


class Answer(NamedTuple):
    """What an answer by token records and returns, without a model instance (the API answers from
    it directly). ``first`` is False when the acknowledgement had been answered before."""

    pk: int
    warning_id: int
    place_id: int
    person_id: int | None
    user_id: int | None
    name: str
    called_at: dt.datetime
    due_at: dt.datetime
    acknowledged_at: dt.datetime
    via: str
    acknowledged_by_id: int | None
    headline: str
    place_name: str
    first: bool

    @property
    def late(self) -> bool:
        return self.acknowledged_at > self.due_at


def answer_token(token: str, *, actor=None, now=None, via: str = AckVia.LINK, at=None) -> Answer:
    """The answer through the personal link or the token API (no sign-in): the hot path of mass
    answering, when everyone called answers within minutes.

    One conditional ``UPDATE … WHERE token = %s AND acknowledged_at IS NULL RETURNING …`` and one
    change-log row (the values :func:`yingji.audit.services.record` writes: who — the context's actor
    and source, the request id and address —, when, and the old and new answer fields) in one
    transaction; nothing is read before it and no model is loaded. A repeated answer changes nothing
    and returns the first (one read); an unknown token is ``invalid_token``. ``via`` and ``at`` (when
    the person answered; default now) serve answers relayed by a gateway (see :func:`answer_batch`).
    """
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection

    from yingji.audit.choices import ChangeAction
    from yingji.audit.context import current

    token = str(token or "")[:40]
    via = str(via)
    now = now or timezone.now()
    at = at or now  # when the person answered (a relayed reply: earlier than now)
    by = actor.pk if getattr(actor, "pk", None) else None
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    if token:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_answer_sql(), [ops.adapt_datetimefield_value(at), via, by, stamp, token])
            row = cursor.fetchone()
            if row is not None:
                (
                    pk,
                    warning_id,
                    place_id,
                    person_id,
                    user_id,
                    name,
                    called_at,
                    due_at,
                    headline,
                    place_name,
                ) = row
                ctx = current()
                who = ctx.get_actor()
                cursor.execute(
                    _audit_sql(),
                    [
                        stamp,
                        who.pk if getattr(who, "pk", None) else None,
                        who.get_username() if who else "",
                        ctx.source,
                        ctx.ip,
                        ctx.request_id,
                        ChangeAction.UPDATE.value,
                        _content_type_id(),
                        str(pk),
                        f"{headline} · {place_name} · {name}"[:200],  # str(acknowledgement)
                        place_id,
                        ops.adapt_json_value(_UNANSWERED, DjangoJSONEncoder),
                        ops.adapt_json_value(
                            {"acknowledged_at": at.isoformat(), "via": via, "acknowledged_by_id": by},
                            DjangoJSONEncoder,
                        ),
                    ],
                )
                return Answer(
                    pk,
                    warning_id,
                    place_id,
                    person_id,
                    user_id,
                    name,
                    _aware(called_at),
                    _aware(due_at),
                    at,
                    via,
                    by,
                    headline,
                    place_name,
                    True,
                )
    ack = _by_token(token) if token else None
    if ack is None:
        raise field_error("token", _("应答链接无效或已失效，请联系值班室。"), "invalid_token")
    return Answer(  # answered before: the first answer counts
        ack.pk,
        ack.warning_id,
        ack.place_id,
        ack.person_id,
        ack.user_id,
        ack.name,
        ack.called_at,
        ack.due_at,
        ack.acknowledged_at,
        ack.via,
        ack.acknowledged_by_id,
        ack.warning.headline,
        ack.place.name,
        False,
    )


def acknowledge_by_token(token: str, *, actor=None, via: str = AckVia.LINK, now=None) -> Acknowledgement:
    """The answer by token (see :func:`answer_token`) as an acknowledgement with ``warning.headline``
    and ``place.name`` (not loaded: built from the answer). Another ``via`` than the link answers as
    ``actor`` and goes through :func:`acknowledge` (rights check)."""
    from yingji.places.models import Place
    from yingji.warnings.models import Warning

    if via != AckVia.LINK:
        ack = _by_token(str(token or "")[:40]) if token else None
        if ack is None:
            raise field_error("token", _("应答链接无效或已失效，请联系值班室。"), "invalid_token")
        return acknowledge(ack, actor=actor, via=via, now=now)
    answer = answer_token(token, actor=actor, now=now)
    ack = Acknowledgement(
        pk=answer.pk,
        warning_id=answer.warning_id,
        place_id=answer.place_id,
        person_id=answer.person_id,
        user_id=answer.user_id,
        name=answer.name,
        called_at=answer.called_at,
        due_at=answer.due_at,
        acknowledged_at=answer.acknowledged_at,
        via=answer.via,
        acknowledged_by_id=answer.acknowledged_by_id,
        token=str(token)[:40],
    )
    ack._state.adding = False
    ack.warning = Warning(pk=answer.warning_id, headline=answer.headline)
    ack.place = Place(pk=answer.place_id, name=answer.place_name)
    return ack


# --- batch intake (carrier / 政务微信 gateway) ---------------------------------------------------

#: Replies relayed in bulk say how the person answered: an SMS reply ("回复1确认"), a voice key press
#: or the 政务微信 button.
BATCH_VIA = (AckVia.SMS.value, AckVia.VOICE.value, AckVia.WECHAT.value)
#: Most answers per batch request (``YINGJI_WARNINGS_ACK_BATCH_MAX``).
ACK_BATCH_MAX = 1000
#: A reply time at most this far ahead of the platform's clock (the gateway's clock skew) is taken as
#: "now"; later is ``invalid_at`` (``YINGJI_WARNINGS_ACK_BATCH_SKEW_SECONDS``).
ACK_BATCH_SKEW_SECONDS = 60


def batch_max() -> int:
    from django.conf import settings

    return int(getattr(settings, "YINGJI_WARNINGS_ACK_BATCH_MAX", ACK_BATCH_MAX))


def _skew() -> dt.timedelta:
    from django.conf import settings

    return dt.timedelta(
        seconds=int(getattr(settings, "YINGJI_WARNINGS_ACK_BATCH_SKEW_SECONDS", ACK_BATCH_SKEW_SECONDS))
    )


def _batch_sql(n: int) -> str:
    """The conditional UPDATE of ``n`` answers as one statement: the answers as a ``VALUES`` table
    (token, time, via) joined by ``UPDATE … FROM`` (SQLite ≥ 3.33, PostgreSQL), each row answered at
    its own time, only if unanswered and called before that time; returns what the change log needs."""
    from django.db import connection

    from yingji.places.models import Place
    from yingji.warnings.models import Warning

    q = connection.ops.quote_name
    table = q(Acknowledgement._meta.db_table)
    values = ", ".join(["(%s, %s, %s)"] * n)
    return (
        f"WITH v(t, a, w) AS (VALUES {values}) "  # noqa: S608 - names only, values bound
        f"UPDATE {table} SET {q('acknowledged_at')} = v.a, {q('via')} = v.w, "
        f"{q('acknowledged_by_id')} = %s, {q('updated')} = %s FROM v "
        f"WHERE {table}.{q('token')} = v.t AND {table}.{q('acknowledged_at')} IS NULL "
        f"AND {table}.{q('called_at')} <= v.a "
        f"RETURNING {table}.{q('id')}, {table}.{q('token')}, {table}.{q('place_id')}, {table}.{q('name')}, "
        f"(SELECT w.{q('headline')} FROM {q(Warning._meta.db_table)} w WHERE w.{q('id')} = {table}.{q('warning_id')}), "
        f"(SELECT p.{q('name')} FROM {q(Place._meta.db_table)} p WHERE p.{q('id')} = {table}.{q('place_id')})"
    )


def _item_time(raw, now):
    """``at`` of one batch item → aware UTC datetime, or None when invalid."""
    from django.utils.dateparse import parse_datetime

    if raw in (None, ""):
        return now
    if isinstance(raw, dt.datetime):
        at = raw
    elif isinstance(raw, str):
        try:
            at = parse_datetime(raw)
        except ValueError:
            return None
    else:
        return None
    if at is None:
        return None
    if timezone.is_naive(at):
        at = timezone.make_aware(at, timezone.get_current_timezone())
    at = at.astimezone(dt.UTC)
    if at > now + _skew():
        return None
    return min(at, now)


def answer_batch(answers, *, actor, now=None) -> dict:
    """Answers relayed in bulk by the SMS/voice carrier or the 政务微信 gateway: ``answers`` is a list of
    ``{"token", "at" (ISO time the person answered; default now), "via": sms|voice|wechat}``.

    Same semantics as answering one by one (:func:`answer_token` with ``via`` and ``at``): the first
    answer counts, a repeat or an unknown token changes nothing and is reported back per item. In one
    transaction: one set-based conditional ``UPDATE … FROM (VALUES …) … RETURNING``, one read of the
    tokens it did not answer (to tell repeats from unknown tokens), and the change-log rows by one
    ``executemany`` with the values :func:`answer_token` writes. The number of statements does not
    depend on the batch size.

    Within one batch a token given twice counts once: the earliest ``at`` (then the first in the list);
    the others are ``duplicate``. An item whose ``at`` is in the future (beyond the clock skew) is
    ``invalid_at``; one before the call is ``before_call``; an unknown ``via`` is ``invalid_via``.

    Returns ``{"accepted", "already_answered", "unknown", "duplicate", "invalid", "results"}`` with
    ``results`` the non-accepted items (``index``, ``token``, ``code``, ``message``; repeats also the
    first answer's ``acknowledged_at`` and ``via``), in list order.
    """
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection

    from yingji.audit.choices import ChangeAction
    from yingji.audit.context import current

    messages = {
        "invalid_token": _("应答链接无效或已失效。"),
        "already_answered": _("已应答过，以首次应答为准。"),
        "duplicate": _("同一批次中重复的应答，以最早的一条为准。"),
        "invalid_at": _("应答时间无效或晚于当前时间。"),
        "before_call": _("应答时间早于叫应时间。"),
        "invalid_via": _("未知的应答方式。"),
        "invalid": _("应答格式无效。"),
    }
    now = now or timezone.now()
    by = actor.pk if getattr(actor, "pk", None) else None
    results: list[dict] = []
    counts = {"accepted": 0, "already_answered": 0, "unknown": 0, "duplicate": 0, "invalid": 0}

    def reject(index, token, code, count, **extra):
        counts[count] += 1
        results.append({"index": index, "token": token, "code": code, "message": messages[code], **extra})

    chosen: dict[str, tuple] = {}  # token → (at, index, via): the batch's first answer per token
    for index, item in enumerate(answers):
        if not isinstance(item, dict):
            reject(index, "", "invalid", "invalid")
            continue
        token = item.get("token")
        token = token if isinstance(token, str) else ""
        if not token or len(token) > 40:
            reject(index, token[:40], "invalid_token", "unknown")
            continue
        via = item.get("via")
        if via not in BATCH_VIA:
            reject(index, token, "invalid_via", "invalid")
            continue
        at = _item_time(item.get("at"), now)
        if at is None:
            reject(index, token, "invalid_at", "invalid")
            continue
        first = chosen.get(token)
        if first is None or (at, index) < first[:2]:
            if first is not None:
                reject(first[1], token, "duplicate", "duplicate")
            chosen[token] = (at, index, via)
        else:
            reject(index, token, "duplicate", "duplicate")
    if chosen:
        ops = connection.ops
        stamp = ops.adapt_datetimefield_value(now)
        params = []
        for token, (at, _index, via) in chosen.items():
            params += [token, ops.adapt_datetimefield_value(at), via]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_batch_sql(len(chosen)), [*params, by, stamp])
            answered = cursor.fetchall()
            ctx = current()
            who = ctx.get_actor()
            who_id = who.pk if getattr(who, "pk", None) else None
            who_name = who.get_username() if who else ""
            ct_id = _content_type_id()
            before = ops.adapt_json_value(_UNANSWERED, DjangoJSONEncoder)
            log = []
            for pk, token, place_id, name, headline, place_name in answered:
                at, _index, via = chosen[token]
                log.append(
                    [
                        stamp,
                        who_id,
                        who_name,
                        ctx.source,
                        ctx.ip,
                        ctx.request_id,
                        ChangeAction.UPDATE.value,
                        ct_id,
                        str(pk),
                        f"{headline} · {place_name} · {name}"[:200],  # str(acknowledgement)
                        place_id,
                        before,
                        ops.adapt_json_value(
                            {"acknowledged_at": at.isoformat(), "via": via, "acknowledged_by_id": by},
                            DjangoJSONEncoder,
                        ),
                    ]
                )
            if log:
                cursor.executemany(_audit_sql(), log)
            counts["accepted"] = len(answered)
            rest = set(chosen) - {row[1] for row in answered}
            found = {}
            if rest:
                found = {
                    token: (answered_at, first_via)
                    for token, answered_at, first_via in Acknowledgement.objects.filter(
                        token__in=rest
                    ).values_list("token", "acknowledged_at", "via")
                }
        for token in rest:
            index = chosen[token][1]
            if token not in found:
                reject(index, token, "invalid_token", "unknown")
            elif found[token][0] is not None:
                answered_at, first_via = found[token]
                reject(
                    index,
                    token,
                    "already_answered",
                    "already_answered",
                    acknowledged_at=answered_at,
                    via=first_via,
                )
            else:
                reject(index, token, "before_call", "invalid")
    results.sort(key=lambda r: r["index"])
    return {**counts, "results": results}


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Acknowledgement).pk  # cached after the first call


# --- board and statistics ----------------------------------------------------------------------


def _summary_annotations(now):
    return {
        "total": Count("id"),
        "answered": Count("id", filter=Q(acknowledged_at__isnull=False)),
        "in_time": Count("id", filter=Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("due_at"))),
        "overdue": Count("id", filter=Q(acknowledged_at__isnull=True, due_at__lt=now)),
        "escalated": Count("id", filter=Q(acknowledged_at__isnull=True, stage=AckStage.ESCALATED)),
        "called_at": Min("called_at"),
        "last_answer": Max("acknowledged_at"),
    }


def board(user, *, now=None, days: int = 7) -> list[dict]:
    """Per warning with acknowledgements in the user's scope (active ones, or called in the last
    ``days``): totals, answered, in time, overdue, escalated, answer rate."""
    from yingji.warnings.models import Warning

    now = now or timezone.now()
    qs = Acknowledgement.objects.visible_to(user).filter(
        Q(warning__status="published", warning__expires_at__gt=now)
        | Q(called_at__gte=now - dt.timedelta(days=days))
    )
    rows = list(qs.values("warning_id").annotate(**_summary_annotations(now)).order_by("-called_at"))
    warnings = Warning.objects.in_bulk([r["warning_id"] for r in rows])
    out = []
    for r in rows:
        w = warnings.get(r["warning_id"])
        if w is None:
            continue
        r["warning"] = w
        r["active"] = is_active(w, now)
        r["rate"] = r["answered"] / r["total"] if r["total"] else None
        out.append(r)
    return out


def place_rows(warning, user, *, now=None) -> list[dict]:
    """The live board of one warning: per place its acknowledgements (who, when, stage), in scope."""
    now = now or timezone.now()
    acks = (
        Acknowledgement.objects.visible_to(user)
        .filter(warning=warning)
        .select_related("place")
        .defer("place__boundary")
        .order_by("place__path", "tier", "name", "id")
    )
    places: dict[int, dict] = {}
    for ack in acks:
        row = places.setdefault(
            ack.place_id, {"place": ack.place, "tier": ack.tier, "acks": [], "answered": 0, "total": 0}
        )
        ack.overdue = ack.acknowledged_at is None and ack.due_at < now
        ack.may_answer = may_answer(user, ack)
        row["acks"].append(ack)
        row["total"] += 1
        row["answered"] += ack.acknowledged_at is not None
    return list(places.values())


def _month_range(month):
    if isinstance(month, str):
        year, mon = (int(x) for x in month.split("-")[:2])
    elif isinstance(month, tuple):
        year, mon = month
    else:
        year, mon = month.year, month.month
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, mon, 1, tzinfo=tz)
    end = dt.datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=tz)
    return start, end


def answer_stats(place, month) -> dict:
    """叫应 records for the duty evaluation: acknowledgements of ``place``'s subtree called in ``month``
    (``"2026-07"``, a date, or ``(year, month)``): total, answered, in time, answer rate, in-time rate
    and the mean answer time in seconds (answered ones)."""
    start, end = _month_range(month)
    qs = Acknowledgement.objects.filter(
        place__path__startswith=place.path, called_at__gte=start, called_at__lt=end
    )
    agg = qs.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(acknowledged_at__isnull=False)),
        in_time=Count("id", filter=Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("due_at"))),
        escalated=Count("id", filter=Q(stage=AckStage.ESCALATED)),
    )
    durations = [
        (answered - called).total_seconds()
        for called, answered in qs.filter(acknowledged_at__isnull=False).values_list(
            "called_at", "acknowledged_at"
        )
    ]
    total = agg["total"]
    agg["answer_rate"] = agg["answered"] / total if total else None
    agg["in_time_rate"] = agg["in_time"] / total if total else None
    agg["mean_answer_seconds"] = sum(durations) / len(durations) if durations else None
    return agg


# --- registration --------------------------------------------------------------------------------


def register_response_types() -> None:
    """Object types (pages, API, export, scope matrix) and the role grants of the W4 models."""
    from yingji.framework.registry import ObjectType, register
    from yingji.framework.roles import ADD, ALL, CHANGE, READ, VIEW, Role, grant
    from yingji.warnings import response_views as views
    from yingji.warnings.api import response_views as api
    from yingji.warnings.models_response import VulnerableContact

    register(
        ObjectType(
            model=Acknowledgement,
            filterset=views.AcknowledgementFilterSet,
            table=views.AcknowledgementTable,
            serializer=api.AcknowledgementSerializer,
            viewset=api.AcknowledgementViewSet,
            section="warning",
            api_prefix="warning-acks",
            detail_fields=(
                "warning",
                "place",
                "tier",
                "name",
                "mobile",
                "called_at",
                "due_at",
                "stage",
                "acknowledged_at",
                "via",
                "acknowledged_by",
            ),
            list_select_related=("warning", "place"),
            search_fields=("name",),
            extra={"read_only": True},
        )
    )
    register(
        ObjectType(
            model=VulnerableContact,
            filterset=views.VulnerableContactFilterSet,
            table=views.VulnerableContactTable,
            form=views.VulnerableContactForm,
            serializer=api.VulnerableContactSerializer,
            viewset=api.VulnerableContactViewSet,
            section="warning",
            api_prefix="vulnerable-contacts",
            detail_fields=("name", "group", "place", "mobile", "guardian_name", "guardian_mobile", "note"),
            list_select_related=("place",),
            search_fields=("name", "guardian_name"),
        )
    )
    # 叫应 records: officers of the place and the responsible persons themselves see them; bureau and
    # duty officers may record an answer for someone (change). Rows are created by the system only.
    for role in (Role.BUREAU_OFFICER, Role.DUTY_OFFICER):
        grant(role, "warnings.acknowledgement", {VIEW, CHANGE})
    for role in (Role.LEADER, Role.GRID_WORKER, Role.DISASTER_INFO_OFFICER, Role.DEPARTMENT_OFFICER):
        grant(role, "warnings.acknowledgement", READ)
    # 特殊群体联系人: kept by the village (grid workers) and the bureau.
    grant(Role.BUREAU_OFFICER, "warnings.vulnerablecontact", ALL)
    grant(Role.GRID_WORKER, "warnings.vulnerablecontact", {VIEW, ADD, CHANGE})
    for role in (Role.DUTY_OFFICER, Role.LEADER, Role.DISASTER_INFO_OFFICER):
        grant(role, "warnings.vulnerablecontact", READ)


# --- demo data -----------------------------------------------------------------------------------


def load_response_demo(*, seed: int, counts) -> None:
    """Fan-out, coverage and 叫应 records of the published demo warnings (called by ``demo.load_demo``):
    each published warning is fanned out (deliveries written, not sent; ~97 % marked sent), its
    acknowledgements opened, ~80 % answered at plausible times; plus 特殊群体 contacts in some villages."""
    import random

    from yingji.audit.services import record_bulk
    from yingji.messaging.models import Delivery
    from yingji.places.models import Place
    from yingji.warnings.fanout import run_fanout
    from yingji.warnings.models import Warning
    from yingji.warnings.models_response import FanoutJob, VulnerableContact, VulnerableGroup

    rng = random.Random(f"{seed}-warnings-response")
    now = timezone.now().replace(microsecond=0)
    villages = list(Place.objects.filter(level="village").order_by("code").values_list("id", flat=True))
    contacts = [
        VulnerableContact(
            name=f"{rng.choice('王李张刘陈杨黄赵周吴')}{rng.choice(('老伯', '奶奶', '大爷', '阿姨'))}",
            group=rng.choice(VulnerableGroup.values),
            place_id=pk,
            mobile="" if rng.random() < 0.4 else f"139{rng.randrange(10**8):08d}",
            guardian_name="家属",
            guardian_mobile=f"138{rng.randrange(10**8):08d}",
            note="演示数据",
        )
        for pk in villages[::4]
    ]
    VulnerableContact.objects.bulk_create(contacts, batch_size=2000)
    record_bulk(contacts)
    counts["vulnerable_contacts"] = len(contacts)

    published = list(Warning.objects.filter(status="published", sent_at__isnull=False).order_by("id"))
    for warning in published:
        job, _created = FanoutJob.objects.get_or_create(warning=warning)
        run_fanout(job.pk, dispatch=False, call=False)
    messages = FanoutJob.objects.filter(warning__in=published).values("message_id")
    queued = Delivery.objects.filter(message_id__in=messages, status="queued")
    ids = list(queued.values_list("id", flat=True))
    failed = set(rng.sample(ids, len(ids) // 33)) if ids else set()
    Delivery.objects.filter(id__in=failed).update(status="failed", attempts=4, last_error="演示：运营商退回")
    queued.update(status="sent", attempts=1, sent_at=now, last_attempt_at=now, provider_id="demo")
    counts["warning_deliveries"] = len(ids)

    acks = list(
        Acknowledgement.objects.filter(warning__in=published).select_related("warning").order_by("id")
    )
    for ack in acks:
        rule = rule_for(ack.warning.level)
        if rng.random() < 0.8:
            answered = ack.called_at + dt.timedelta(minutes=rng.uniform(0.5, rule["answer_within"] * 1.6))
            if answered < now:
                ack.acknowledged_at = answered
                ack.via = rng.choice(AckVia.values)
        at = ack.acknowledged_at or now
        ack.stage = due_stage(ack, at)
        ack.stage_at = ack.called_at if ack.stage == AckStage.CALLED else at
    Acknowledgement.objects.bulk_update(
        acks, ["acknowledged_at", "via", "stage", "stage_at"], batch_size=1000
    )
    counts["warning_acknowledgements"] = len(acks)


def remove_response_demo(counts: dict) -> None:
    """Delete the fan-out messages, acknowledgements, jobs and 特殊群体 contacts (before the warnings)."""
    from yingji.audit.choices import ChangeAction
    from yingji.audit.services import record_bulk
    from yingji.messaging.models import Delivery, Message, Notification
    from yingji.warnings.models_response import FanoutJob, VulnerableContact

    about_warnings = Message.objects.filter(category="warning", content_type__app_label="warnings")
    deliveries = Delivery.objects.filter(message__in=about_warnings)
    counts["warning_deliveries"] = deliveries.count()
    deliveries._raw_delete(deliveries.db)  # bulk: the fan-out rows were never logged one by one
    notifications = Notification.objects.filter(message__in=about_warnings)
    notifications._raw_delete(notifications.db)
    about_warnings.delete()  # few rows (one per warning, calls, escalations); logged by the audit signals
    for key, model in (
        ("warning_acknowledgements", Acknowledgement),
        ("fanout_jobs", FanoutJob),
        ("vulnerable_contacts", VulnerableContact),
    ):
        rows = list(model.objects.all())
        counts[key] = len(rows)
        record_bulk(rows, ChangeAction.DELETE)
        model.objects.all()._raw_delete(model.objects.db)
