from django.shortcuts import get_object_or_404, render

from yingji.framework.masking import mask_dict
from yingji.framework.views import ObjectListView, ObjectTypeMixin, View


class ObjectChangeListView(ObjectListView):
    """The searchable global change log."""


class ObjectChangeDetailView(ObjectTypeMixin, View):
    def get(self, request, pk):
        entry = get_object_or_404(self.scoped().select_related("content_type"), pk=pk)
        model = entry.content_type.model_class()
        before = mask_dict(request.user, model, entry.before or {}) if model else entry.before or {}
        after = mask_dict(request.user, model, entry.after or {}) if model else entry.after or {}
        keys = sorted(set(before) | set(after))
        rows = [(k, before.get(k), after.get(k), before.get(k) != after.get(k)) for k in keys]
        return render(
            request,
            "audit/objectchange_detail.html",
            self.base_context(object=entry, rows=rows, target=_target(entry)),
        )


def _target(entry):
    model = entry.content_type.model_class()
    if model is None or entry.action == "delete":
        return None
    return model._default_manager.filter(pk=entry.object_id).first()
