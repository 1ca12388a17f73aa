"""Scope-matrix specs of the warnings object types (collected by yingji/framework/tests/test_scope_matrix.py).

``SPECS[label] = {"make": callable(village) -> obj, "create": callable(village) -> payload, "patch": {...}}``;
``EXEMPT[label] = "reason"``.
"""

import datetime as dt
import itertools

_n = itertools.count(1)

# --- publication and consultation (W3/W2) ---


def _times():
    from django.utils import timezone

    now = timezone.now()
    return now, now + dt.timedelta(hours=12)


def _warning(place):
    from yingji.warnings.models import Warning

    start, end = _times()
    n = next(_n)
    return Warning.objects.create(
        identifier=f"{place.code[:6]}00000000_20260701080000_{n}",
        warning_type="rainstorm",
        level="yellow",
        headline=f"暴雨黄色预警{n}",
        description="预计未来6小时降雨量将达50毫米以上。",
        effective_at=start,
        expires_at=end,
        place=place,
    )


def _consultation(place):
    from django.utils import timezone

    from yingji.warnings.models import Consultation

    return Consultation.objects.create(
        kind="monthly", title=f"月度会商{next(_n)}", held_at=timezone.now(), place=place
    )


def _prompt(place):
    from yingji.warnings.models import WorkPrompt

    return WorkPrompt.objects.create(
        consultation=_consultation(place), title=f"工作提示单{next(_n)}", content="加强巡查。", place=place
    )


def _subscription(place):
    from yingji.warnings.models import Subscription

    return Subscription.objects.create(
        place=place, channel="sms", address=f"139{next(_n):08d}", confirm_code="123456", confirmed=True
    )


SPECS: dict = {
    "warnings.warning": {
        "make": _warning,
        "create": lambda place: {
            "warning_type": "typhoon",
            "level": "blue",
            "headline": f"台风蓝色预警{next(_n)}",
            "description": "受台风影响，沿江地区将出现6级以上大风。",
            "effective_at": _times()[0].isoformat(),
            "expires_at": _times()[1].isoformat(),
            "place": place.code,
        },
        "patch": {"area_description": "沿江各镇"},
    },
    "warnings.subscription": {"make": _subscription, "patch": {"name": "张先生"}},
    "warnings.consultation": {
        "make": _consultation,
        "create": lambda place: {
            "kind": "realtime",
            "title": f"台风实时会商{next(_n)}",
            "held_at": _times()[0].isoformat(),
            "place": place.code,
        },
        "patch": {"conclusions": "加强值守"},
    },
    "warnings.workprompt": {
        "make": _prompt,
        "create": lambda place: {
            "consultation": _consultation(place).pk,
            "title": f"提示单{next(_n)}",
            "content": "做好防汛准备。",
        },
        "patch": {"number": "〔2026〕第1期"},
    },
}
EXEMPT: dict[str, str] = {}

# --- response (fan-out / 叫应) ---


def _response_warning(place):
    from django.utils import timezone

    from yingji.warnings.models import Warning

    now = timezone.now()
    return Warning.objects.create(
        identifier=f"matrix-response-{next(_n)}-{place.code}",
        warning_type="rainstorm",
        level="red",
        headline="矩阵预警",
        description="矩阵",
        effective_at=now,
        expires_at=now + dt.timedelta(hours=2),
        sent_at=now,
        status="published",
        place=place,
    )


def _acknowledgement(place):
    from django.utils import timezone

    from yingji.warnings.models_response import Acknowledgement

    now = timezone.now()
    return Acknowledgement.objects.create(
        warning=_response_warning(place),
        place=place,
        tier="village",
        name="责任人",
        called_at=now,
        due_at=now,
    )


def _vulnerable(place):
    from yingji.warnings.models_response import VulnerableContact

    return VulnerableContact.objects.create(
        name="特殊群体", group="elderly", place=place, mobile="13812345678"
    )


SPECS.update(
    {
        # 叫应 records are created by the system (read-only: list, detail, the answer action)
        "warnings.acknowledgement": {"make": _acknowledgement},
        "warnings.vulnerablecontact": {
            "make": _vulnerable,
            "create": lambda place: {
                "name": "新联系人",
                "group": "disabled",
                "place": place.code,
                "mobile": "13900002222",
            },
            "patch": {"note": "行动不便"},
        },
    }
)
