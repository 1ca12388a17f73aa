from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.errors import field_error
from yingji.framework.models import BaseModel
from yingji.places.choices import LEVEL_DEPTH, PlaceLevel
from yingji.utilities.validators import region_code_validator


class Place(BaseModel):
    """A node of the region tree (F1) identified by its 12-digit 统计用区划代码 (国家统计局).

    ``path`` is the materialised chain of codes from the root ("320600000000/320602000000/…/"), so
    that "this place and everything below it" is one indexed prefix match; it is maintained by
    ``save()`` and by :func:`yingji.places.services.move_place`.
    """

    code = models.CharField(
        _("统计用区划代码"),
        max_length=12,
        unique=True,
        validators=[region_code_validator],
        help_text=_("12位统计用区划代码，例如 320602001001"),
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=PlaceLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=120, db_index=True, editable=False)
    population = models.PositiveIntegerField(_("常住人口"), null=True, blank=True)
    area_km2 = models.FloatField(_("面积（平方公里）"), null=True, blank=True)
    boundary = models.JSONField(
        _("边界"), null=True, blank=True, help_text=_("GeoJSON Polygon 或 MultiPolygon（WGS84）")
    )
    centroid_lon = models.FloatField(_("中心经度"), null=True, blank=True)
    centroid_lat = models.FloatField(_("中心纬度"), null=True, blank=True)

    scope = Scope(place="self", org_optional=True)
    audit_exclude = ("created", "updated", "boundary")
    #: columns left out when a place is joined to other records' lists and details
    bulky_fields = ("boundary",)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    def chain_paths(self, include_self: bool = True) -> list[str]:
        """The paths of the places above this one, root first, and its own ("a/", "a/b/", "a/b/c/"):
        ``Model.objects.filter(place__path__in=...)`` finds the rows of this place and its ancestors."""
        parts = self.path.strip("/").split("/")
        paths = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
        return paths if include_self else paths[:-1]

    def clean(self):
        if self.parent is None and self.level != PlaceLevel.CITY:
            raise field_error("parent", _("只有市级区划可以没有上级，请选择上级区划。"), "parent_required")
        if self.parent is not None and LEVEL_DEPTH[self.level] != self.parent.depth + 1:
            raise field_error(
                "level",
                _("层级须比上级低一级：上级为“%(p)s”。") % {"p": self.parent.get_level_display()},
                "level_mismatch",
            )

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "") + self.code + "/"
        super().save(*args, **kwargs)
