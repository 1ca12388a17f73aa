"""Generic pages for every registered object type: list (filter, search, sort, paginate, export),
detail with history, create/edit form, delete. Configured by the object type; one view renders the
full page or, for HTMX requests, just the fragment that changed."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from yingji.audit.services import history_of
from yingji.framework import registry
from yingji.framework.access import AccessDenied, can
from yingji.framework.errors import protected_message
from yingji.framework.masking import display_value, mask_dict
from yingji.framework.services import delete_object, save_object


def htmx_redirect(request, url):
    """Redirect that also works for HTMX requests (which follow HX-Redirect, not 302)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class ObjectTypeMixin(LoginRequiredMixin):
    model = None
    action = "view"

    @property
    def object_type(self) -> registry.ObjectType:
        return registry.get(self.model)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, self.action, self.model):
            raise PermissionDenied(_("您的角色没有此功能的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, action=None):
        qs = self.model.objects.visible_to(self.request.user, action or self.action)
        qs = self.object_type.with_related(qs)
        prefetch = self.object_type.list_prefetch_related
        return qs.prefetch_related(*prefetch) if prefetch else qs

    def has_page(self, kind: str) -> bool:
        """Whether the type has a generic page of ``kind`` (an app may leave out add/edit/delete when its
        objects are made and changed only by its own workflow pages)."""
        try:
            reverse(f"{self.object_type.url_base}_{kind}", args=[0] if kind != "add" else [])
        except NoReverseMatch:
            return False
        return True

    def base_context(self, **extra):
        meta = self.model._meta
        user = self.request.user
        return {
            "object_type": self.object_type,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "url_base": self.object_type.url_base,
            "can_add": can(user, "add", self.model) and self.has_page("add"),
            "can_change": can(user, "change", self.model) and self.has_page("edit"),
            "can_delete": can(user, "delete", self.model) and self.has_page("delete"),
            **extra,
        }


class ObjectListView(ObjectTypeMixin, View):
    template_name = "framework/object_list.html"
    per_page = 25

    def filtered(self):
        otype = self.object_type
        return otype.filterset(self.request.GET or None, queryset=self.scoped(), request=self.request)

    def get(self, request):
        filterset = self.filtered()
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        if request.GET.get("export") == "xlsx":
            from yingji.exchange.excel import export_response

            return export_response(self.object_type, queryset, request.user)
        table = self.object_type.table(queryset, request=request)
        RequestConfig(request, paginate={"per_page": self.per_page}).configure(table)
        context = self.base_context(table=table, filterset=filterset)
        if request.htmx and request.htmx.target == "object-table":
            return render(request, "framework/_table.html", context)
        return render(request, self.template_name, context)


def detail_rows(user, obj, field_names):
    """(label, value, url) rows of an object's detail page, masked for the user."""
    rows = []
    model = type(obj)
    for name in field_names:
        field = model._meta.get_field(name)
        value = getattr(obj, name)
        url = None
        if field.is_relation and value is not None:
            url = value.get_absolute_url() if hasattr(value, "get_absolute_url") else None
        elif field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif hasattr(field, "display"):  # custom fields (flags) know how to show themselves
            value = field.display(value)
        elif isinstance(value, datetime.datetime):
            value = formats.date_format(timezone.localtime(value), "Y-m-d H:i")
        elif isinstance(value, bool):
            value = _("是") if value else _("否")
        rows.append((field.verbose_name, display_value(user, model, name, value), url))
    return rows


class ObjectDetailView(ObjectTypeMixin, View):
    """The detail page; an app may extend it with ``<app>/<model>_detail.html``."""

    template_name = "framework/object_detail.html"

    def get_object(self, pk):
        return get_object_or_404(self.scoped(), pk=pk)

    def extra_context(self, obj) -> dict:
        return {}

    def get(self, request, pk):
        obj = self.get_object(pk)
        user = request.user
        history = [
            (
                entry,
                mask_dict(user, self.model, entry.before or {}),
                mask_dict(user, self.model, entry.after or {}),
            )
            for entry in history_of(obj)[:100]
        ]
        context = self.base_context(
            object=obj,
            rows=detail_rows(user, obj, self.object_type.detail_fields),
            history=history,
            can_change_object=self.has_page("edit")
            and self.model.objects.visible_to(user, "change").filter(pk=obj.pk).exists(),
            can_delete_object=self.has_page("delete")
            and self.model.objects.visible_to(user, "delete").filter(pk=obj.pk).exists(),
            **self.extra_context(obj),
        )
        meta = self.model._meta
        return render(
            request, [f"{meta.app_label}/{meta.model_name}_detail.html", self.template_name], context
        )


class ObjectEditView(ObjectTypeMixin, View):
    """Create (no pk) or edit; validation errors stay next to their fields."""

    template_name = "framework/object_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.action = "change" if kwargs.get("pk") else "add"
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self, pk):
        if pk is None:
            return self.model()
        return get_object_or_404(self.scoped("change"), pk=pk)

    def get(self, request, pk=None):
        instance = self.get_instance(pk)
        form = self.object_type.form(instance=instance, user=request.user, initial=request.GET.dict())
        return render(request, self.template_name, self.base_context(form=form, object=instance))

    def post(self, request, pk=None):
        instance = self.get_instance(pk)
        form = self.object_type.form(request.POST, request.FILES, instance=instance, user=request.user)
        if form.is_valid():
            obj = form.save(commit=False)
            save = self.object_type.save or save_object
            try:
                save(obj, actor=request.user)
            except ValidationError as exc:
                form.add_validation_error(exc)
            except AccessDenied as exc:
                form.add_error(None, exc.message)
            else:
                form.save_m2m()
                messages.success(request, _("已保存：%(obj)s") % {"obj": obj})
                return htmx_redirect(request, obj.get_absolute_url())
        return render(request, self.template_name, self.base_context(form=form, object=instance), status=200)


class ObjectDeleteView(ObjectTypeMixin, View):
    template_name = "framework/object_delete.html"
    action = "delete"

    def get(self, request, pk):
        obj = get_object_or_404(self.scoped(), pk=pk)
        return render(request, self.template_name, self.base_context(object=obj))

    def post(self, request, pk):
        obj = get_object_or_404(self.scoped(), pk=pk)
        try:
            delete_object(obj, actor=request.user)
        except ProtectedError as exc:
            messages.error(request, protected_message(exc, obj))
            return htmx_redirect(request, obj.get_absolute_url())
        except AccessDenied as exc:
            messages.error(request, exc.message)
            return htmx_redirect(request, obj.get_absolute_url())
        messages.success(request, _("已删除：%(obj)s") % {"obj": obj})
        return htmx_redirect(request, reverse(f"{self.object_type.url_base}_list"))


def object_urls(
    model,
    list_view=ObjectListView,
    detail_view=ObjectDetailView,
    edit_view=ObjectEditView,
    delete_view=ObjectDeleteView,
):
    """The five standard pages of an object type, named ``<model>_list`` … ``<model>_delete``."""
    name = model._meta.model_name
    plural = f"{name}s"
    return [
        path(f"{plural}/", list_view.as_view(model=model), name=f"{name}_list"),
        path(f"{plural}/add/", edit_view.as_view(model=model), name=f"{name}_add"),
        path(f"{plural}/<int:pk>/", detail_view.as_view(model=model), name=f"{name}_detail"),
        path(f"{plural}/<int:pk>/edit/", edit_view.as_view(model=model), name=f"{name}_edit"),
        path(f"{plural}/<int:pk>/delete/", delete_view.as_view(model=model), name=f"{name}_delete"),
    ]


class SearchView(LoginRequiredMixin, View):
    """One search box over every object type the user may view (through the access filter)."""

    per_type = 10

    def get(self, request):
        from django.db.models import Q

        query = request.GET.get("q", "").strip()
        groups = []
        if query:
            for otype in registry.all_types():
                if not otype.search_fields or not can(request.user, "view", otype.model):
                    continue
                condition = Q()
                for field in otype.search_fields:
                    condition |= Q(**{f"{field}__icontains": query})
                rows = list(
                    otype.model.objects.visible_to(request.user).filter(condition)[: self.per_type + 1]
                )
                if rows:
                    groups.append(
                        {
                            "type": otype,
                            "label": otype.model._meta.verbose_name_plural,
                            "rows": rows[: self.per_type],
                            "more": len(rows) > self.per_type,
                            "list_url": reverse(f"{otype.url_base}_list") + "?" + urlencode({"q": query}),
                        }
                    )
        return render(request, "framework/search.html", {"query": query, "groups": groups})
