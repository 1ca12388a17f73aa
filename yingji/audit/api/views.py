from rest_framework import viewsets

from yingji.audit.api.serializers import ObjectChangeSerializer
from yingji.audit.filtersets import ObjectChangeFilterSet
from yingji.audit.models import ObjectChange


class ObjectChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """The global change log (read-only; entries are written by the platform itself)."""

    queryset = ObjectChange.objects.all()
    serializer_class = ObjectChangeSerializer
    filterset_class = ObjectChangeFilterSet
    ordering_fields = ["time"]

    def get_queryset(self):
        return ObjectChange.objects.visible_to(self.request.user).select_related("content_type", "place")
