"""Builders shared by the fan-out and call-and-respond tests (no tests here)."""

import datetime as dt
import itertools

from django.utils import timezone

from yingji.accounts.models import Person, RoleAssignment, User

_n = itertools.count(1)


def mobile() -> str:
    return f"139{next(_n):08d}"


def person(place, *, position="", mobile_no=None, user_role=None, role_place=None, **kw):
    p = Person.objects.create(
        name=f"人员{next(_n)}",
        place=place,
        position=position,
        mobile=mobile_no if mobile_no is not None else mobile(),
        **kw,
    )
    if user_role:
        user = User.objects.create_user(f"resp{next(_n)}", password="correct-horse-battery", person=p)
        RoleAssignment.objects.create(user=user, role=user_role, place=role_place or place)
    return p


def make_warning(region, *, places=(), level="red", groups=("village",), channels=("sms",), **kw):
    from yingji.warnings.models import Warning

    now = timezone.now()
    fields = {
        "identifier": f"32060000000000_{next(_n):014d}_0",
        "warning_type": "rainstorm",
        "level": level,
        "headline": f"暴雨预警{next(_n)}",
        "description": "预计未来3小时降雨量将达100毫米以上",
        "instruction": "转移危险区域人员",
        "effective_at": now,
        "expires_at": now + dt.timedelta(hours=12),
        "sent_at": now,
        "status": "published",
        "place": region["city"],
        "target_groups": list(groups),
        "channels": list(channels),
    }
    fields.update(kw)
    warning = Warning.objects.create(**fields)
    if places:
        warning.area_places.set(places)
    return warning
