"""Pages of the import workflow: job list (generic), upload, job detail with live progress,
report and the confirm button, template downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from yingji.exchange import services
from yingji.exchange.choices import ImportKind, ImportStatus
from yingji.exchange.excel import XLSX_TYPE, build_template, template_filename
from yingji.exchange.forms import ImportUploadForm
from yingji.exchange.importers import IMPORTERS
from yingji.framework.access import AccessDenied
from yingji.framework.views import ObjectDetailView, ObjectListView, ObjectTypeMixin, htmx_redirect

STATUS_COLORS = {
    ImportStatus.UPLOADED: "secondary",
    ImportStatus.VALIDATING: "info",
    ImportStatus.VALIDATED: "primary",
    ImportStatus.INVALID: "danger",
    ImportStatus.COMMITTING: "warning",
    ImportStatus.DONE: "success",
    ImportStatus.FAILED: "danger",
}


class ImportJobListView(ObjectListView):
    template_name = "exchange/importjob_list.html"

    def base_context(self, **extra):
        return super().base_context(kinds=_kinds(self.request.user), **extra)


def _kinds(user):
    allowed = services.allowed_kinds(user)
    return [(k, label) for k, label in ImportKind.choices if k in allowed]


class ImportJobCreateView(ObjectTypeMixin, View):
    """Choose the kind, download its template, upload the filled-in file."""

    action = "add"
    template_name = "exchange/importjob_form.html"

    def get(self, request):
        kinds = _kinds(request.user)
        form = ImportUploadForm(kinds=[k for k, _l in kinds], initial={"kind": request.GET.get("kind")})
        return render(request, self.template_name, self.base_context(form=form, kinds=kinds))

    def post(self, request):
        kinds = _kinds(request.user)
        form = ImportUploadForm(request.POST, request.FILES, kinds=[k for k, _l in kinds])
        if form.is_valid():
            try:
                job = services.create_import_job(
                    actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except AccessDenied as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("文件已上传，正在校验。校验期间不会写入任何数据。"))
                return htmx_redirect(request, job.get_absolute_url())
        return render(request, self.template_name, self.base_context(form=form, kinds=kinds))


class ImportJobDetailView(ObjectDetailView):
    """The job with its progress (polled every second while it runs), report and confirm button."""

    template_name = "exchange/importjob_detail.html"

    def get(self, request, pk):
        if request.htmx and request.htmx.target == "job-panel":
            job = self.get_object(pk)
            return render(request, "exchange/_job_panel.html", self.panel_context(job))
        return super().get(request, pk)

    def panel_context(self, job):
        processed = job.live_processed_rows()
        percent = min(100, int(100 * processed / job.total_rows)) if job.total_rows else 0
        return {
            "job": job,
            "processed": processed,
            "percent": percent,
            "status_color": STATUS_COLORS.get(job.status, "secondary"),
            "can_confirm": job.created_by_id == self.request.user.pk,
            "list_url": _list_url(job.kind),
        }

    def extra_context(self, obj):
        return self.panel_context(obj)


def _list_url(kind):
    from django.urls import reverse

    names = {
        ImportKind.PLACES: "places:place_list",
        ImportKind.ENTERPRISES: "orgs:enterprise_list",
        ImportKind.DEPARTMENTS: "orgs:department_list",
        ImportKind.PERSONS: "accounts:person_list",
    }
    return reverse(names[kind])


class ImportJobCommitView(ObjectTypeMixin, View):
    """The uploader confirms a validated job; the commit runs in the background."""

    action = "add"

    def post(self, request, pk):
        job = get_object_or_404(self.scoped(), pk=pk)
        try:
            services.confirm_import(job, actor=request.user)
        except (services.ImportStateError, AccessDenied) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已确认，正在导入。全部写入成功前不会改动任何数据。"))
        return htmx_redirect(request, job.get_absolute_url())


class ImportTemplateView(ObjectTypeMixin, View):
    """Download the .xlsx template of one kind."""

    def get(self, request, kind):
        importer = IMPORTERS.get(kind)
        if importer is None:
            raise Http404
        response = HttpResponse(build_template(importer), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, template_filename(importer))
        return response


def go_to_list(request):
    return redirect("exchange:importjob_list")
