"""Write services of organisations."""

from django.db import transaction
from django.utils.translation import gettext as _

from yingji.framework.errors import field_error
from yingji.framework.services import save_object
from yingji.orgs.models import Enterprise


def derive_place(enterprise: Enterprise) -> None:
    """Fill the 属地 village from the location when no place was given (F2)."""
    if enterprise.place_id is None and enterprise.has_location:
        from yingji.places.services import locate_point_id

        pk = locate_point_id(enterprise.longitude, enterprise.latitude)
        if pk is None:
            raise field_error(
                "longitude",
                _("该坐标不在本市任何村/社区范围内：请核对经纬度，或直接选择属地。"),
                "location_outside",
            )
        enterprise.place_id = pk
    if enterprise.place_id is None:
        raise field_error("place", _("请选择属地，或填写经纬度由系统自动确定属地。"), "place_required")


@transaction.atomic
def save_enterprise(enterprise: Enterprise, *, actor) -> Enterprise:
    """Create or update an enterprise; its place is derived from its location when not given."""
    derive_place(enterprise)
    return save_object(enterprise, actor=actor)
