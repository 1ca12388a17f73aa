"""Base classes every domain model stands on.

``BaseModel`` carries created/updated stamps, the scoped manager (``objects.visible_to``) and the
change log (every save and delete of a ``BaseModel`` is audited by ``yingji.audit``). Its subclass
declares ``scope`` (see ``yingji.framework.access.Scope``) to say how its rows map to places and
organisations.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope, restrict


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """The rows ``user`` may ``action``: the only way views, API, exports and maps read rows."""
        return restrict(self, user, action)


class BaseModel(models.Model):
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    #: How rows map to places and organisations; subclasses override.
    scope = Scope(place=None)
    #: Field names never written to the change log (derived or bulky values).
    audit_exclude: tuple[str, ...] = ("created", "updated")

    class Meta:
        abstract = True

    def get_absolute_url(self):
        meta = self._meta
        return reverse(f"{meta.app_label}:{meta.model_name}_detail", args=[self.pk])


class GeoMixin(models.Model):
    """A point location in WGS84 longitude/latitude (no spatial database needed)."""

    longitude = models.FloatField(_("经度"), null=True, blank=True, help_text=_("WGS84，例如 120.894"))
    latitude = models.FloatField(_("纬度"), null=True, blank=True, help_text=_("WGS84，例如 31.981"))

    class Meta:
        abstract = True

    @property
    def has_location(self) -> bool:
        return self.longitude is not None and self.latitude is not None
