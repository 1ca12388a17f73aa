"""Outbound channels (F5): one interface, one registry keyed by channel code.

A channel turns one :class:`~yingji.messaging.models.Delivery` into a send and answers with a
:class:`SendResult`. The built-in adapters are:

* ``inapp`` — :class:`InAppChannel`, writes the recipient's :class:`~yingji.messaging.models.Notification`;
* ``sms``, ``voice``, ``wechat`` (政务微信/钉钉), ``broadcast`` (应急广播), ``screen`` — :class:`LoggingChannel`
  adapters for development and tests: they write the would-be send to the ``yingji.messaging.outbox``
  log and to :data:`OUTBOX`, and answer with a ``log:`` provider id.

Real carriers plug in through ``settings.MESSAGING_CHANNELS`` (env ``MESSAGING_CHANNELS``, e.g.
``sms=myorg.carriers.SmsGateway,voice=myorg.carriers.VoiceGateway``): a dotted path to a
:class:`Channel` subclass per code. See docs/messaging.md.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from yingji.messaging.choices import AddressKind, ChannelCode

logger = logging.getLogger("yingji.messaging.outbox")


@dataclass(frozen=True)
class SendResult:
    """The answer of one send. ``ok``: the carrier accepted it. For a failure, ``final`` says that
    retrying cannot help (invalid number, unknown account); otherwise the delivery is retried."""

    ok: bool
    provider_id: str = ""
    error: str = ""
    final: bool = False


class Channel:
    """One way of reaching people. Subclasses set ``code``, ``label``, ``address_kind`` and implement
    :meth:`send`. ``send`` may raise: an exception counts as a transient failure (retried)."""

    code: str = ""
    label: str = ""
    #: what the channel sends to (see :class:`~yingji.messaging.choices.AddressKind`)
    address_kind: str = AddressKind.MOBILE

    def send(self, delivery) -> SendResult:
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.code}>"


class InAppChannel(Channel):
    """站内消息: the recipient's inbox. Idempotent: a repeated send finds the existing notification."""

    code = ChannelCode.INAPP
    label = ChannelCode.INAPP.label
    address_kind = AddressKind.USER

    def send(self, delivery) -> SendResult:
        from yingji.messaging.services import create_notification

        if delivery.user_id is None:
            return SendResult(ok=False, error="接收账号已不存在", final=True)
        notification = create_notification(delivery.message, delivery.user)
        return SendResult(ok=True, provider_id=f"notification:{notification.pk}")


#: The last would-be sends of the logging adapters (newest last), for the demo and for tests.
OUTBOX: deque = deque(maxlen=1000)


class LoggingChannel(Channel):
    """A development adapter: records the would-be send in the log and :data:`OUTBOX` and succeeds."""

    def send(self, delivery) -> SendResult:
        provider_id = f"log:{uuid.uuid4().hex[:16]}"
        message = delivery.message
        OUTBOX.append(
            {
                "channel": self.code,
                "address": delivery.address,
                "delivery": delivery.pk,
                "subject": message.subject,
                "provider_id": provider_id,
            }
        )
        logger.info(
            "%s → %s [%s] %s (%s)",
            self.code,
            delivery.address,
            delivery.idempotency_key,
            message.subject,
            provider_id,
        )
        return SendResult(ok=True, provider_id=provider_id)


class SmsLoggingChannel(LoggingChannel):
    code = ChannelCode.SMS
    label = ChannelCode.SMS.label


class VoiceLoggingChannel(LoggingChannel):
    code = ChannelCode.VOICE
    label = ChannelCode.VOICE.label


class WeChatLoggingChannel(LoggingChannel):
    """政务微信/钉钉-style work messengers; accounts are looked up by the person's mobile number."""

    code = ChannelCode.WECHAT
    label = ChannelCode.WECHAT.label


class BroadcastLoggingChannel(LoggingChannel):
    """应急广播: the loudspeakers of a place (village, town); the address is the 12-digit place code."""

    code = ChannelCode.BROADCAST
    label = ChannelCode.BROADCAST.label
    address_kind = AddressKind.PLACE


class ScreenLoggingChannel(LoggingChannel):
    """Public information screens of a place; the address is the 12-digit place code."""

    code = ChannelCode.SCREEN
    label = ChannelCode.SCREEN.label
    address_kind = AddressKind.PLACE


class FailingChannel(LoggingChannel):
    """A test and rehearsal adapter that fails its first ``fail_times`` sends, then succeeds.

    ``final=True`` makes the failures final (no retry). Configure it for a code to rehearse retries::

        MESSAGING_CHANNELS=sms=yingji.messaging.channels.FailingChannel
    """

    address_kind = AddressKind.MOBILE

    def __init__(
        self,
        code: str = ChannelCode.SMS,
        fail_times: int = 2,
        final: bool = False,
        error: str = "网关超时（模拟）",
        address_kind: str | None = None,
    ):
        self.code = code
        self.label = f"{code}（模拟失败）"
        self.fail_times = fail_times
        self.final = final
        self.error = error
        if address_kind is not None:
            self.address_kind = address_kind
        self.calls = 0
        self._lock = threading.Lock()

    def send(self, delivery) -> SendResult:
        with self._lock:
            self.calls += 1
            failing = self.calls <= self.fail_times
        if failing:
            return SendResult(ok=False, error=self.error, final=self.final)
        return super().send(delivery)


DEFAULT_CHANNELS = {
    ChannelCode.INAPP: InAppChannel,
    ChannelCode.SMS: SmsLoggingChannel,
    ChannelCode.VOICE: VoiceLoggingChannel,
    ChannelCode.WECHAT: WeChatLoggingChannel,
    ChannelCode.BROADCAST: BroadcastLoggingChannel,
    ChannelCode.SCREEN: ScreenLoggingChannel,
}

_registry: dict[str, Channel] | None = None
_overrides: dict[str, Channel] = {}
_registry_lock = threading.Lock()


def _build() -> dict[str, Channel]:
    from django.conf import settings

    classes = {str(code): cls for code, cls in DEFAULT_CHANNELS.items()}
    for code, path in (getattr(settings, "MESSAGING_CHANNELS", None) or {}).items():
        try:
            classes[code] = import_string(path) if isinstance(path, str) else path
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"MESSAGING_CHANNELS[{code!r}]: cannot import {path!r}: {exc}"
            ) from exc
    channels = {}
    for code, cls in classes.items():
        channel = cls() if isinstance(cls, type) else cls
        if not isinstance(channel, Channel):
            raise ImproperlyConfigured(
                f"MESSAGING_CHANNELS[{code!r}] is not a yingji.messaging.channels.Channel"
            )
        channel.code = code  # one adapter class may serve several codes (e.g. FailingChannel)
        channels[code] = channel
    return channels


def channels() -> dict[str, Channel]:
    """Every configured channel by code (built-in adapters replaced by settings)."""
    global _registry
    if _registry is None:
        with _registry_lock:
            if _registry is None:
                _registry = _build()
    return {**_registry, **_overrides}


def get_channel(code: str) -> Channel | None:
    return channels().get(code)


def channel_choices() -> list[tuple[str, str]]:
    labels = dict(ChannelCode.choices)
    return [(code, str(labels.get(code, ch.label or code))) for code, ch in channels().items()]


def reset() -> None:
    """Forget the built registry (after settings change)."""
    global _registry
    with _registry_lock:
        _registry = None


@contextmanager
def override_channel(code: str, channel: Channel):
    """Replace one channel while the block runs (tests, rehearsals)."""
    previous = _overrides.get(code)
    channel.code = code
    _overrides[code] = channel
    try:
        yield channel
    finally:
        if previous is None:
            _overrides.pop(code, None)
        else:
            _overrides[code] = previous


def _on_setting_changed(setting, **kwargs):
    if setting == "MESSAGING_CHANNELS":
        reset()


setting_changed.connect(_on_setting_changed, dispatch_uid="yingji-messaging-channels")
