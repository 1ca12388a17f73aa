"""Pages of the materials app: the generic lists and details (registry), a form per kind of movement,
the transfer steps, the ledger (balance at any time) and the batches near expiry."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from yingji.framework.access import AccessDenied, can
from yingji.framework.views import ObjectDetailView, ObjectListView, htmx_redirect
from yingji.materials import forms, services
from yingji.materials.models import Item, LedgerEntry, Movement, Stock, Warehouse


class MovementListView(ObjectListView):
    template_name = "materials/movement_list.html"

    def base_context(self, **extra):
        return super().base_context(can_post=can(self.request.user, "add", Movement), **extra)


class MovementDetailView(ObjectDetailView):
    template_name = "materials/movement_detail.html"

    def extra_context(self, obj):
        lines = list(obj.lines.select_related("item", "stock", "to_stock").order_by("id"))
        entries = list(
            LedgerEntry.objects.visible_to(self.request.user)
            .filter(line__movement=obj)
            .select_related("warehouse", "item")
            .order_by("at", "id")
        )
        return {
            "lines": lines,
            "entries": entries,
            "steps": services.allowed_steps(obj, self.request.user),
            "reason_form": forms.ReasonForm(),
        }


class WarehouseDetailView(ObjectDetailView):
    template_name = "materials/warehouse_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        summary = (
            Stock.objects.visible_to(user)
            .filter(warehouse=obj, quantity__gt=0)
            .values("item_id", "item__name", "item__specification", "item__unit")
            .annotate(total=Sum("quantity"), batches=Count("id"))
            .order_by("item__name")
        )
        return {"summary": summary, "can_operate": services.may_operate(user, obj)}


class StockDetailView(ObjectDetailView):
    template_name = "materials/stock_detail.html"

    def extra_context(self, obj):
        entries = list(
            LedgerEntry.objects.visible_to(self.request.user)
            .filter(stock=obj)
            .select_related("line__movement")
            .order_by("-at", "-id")[:200]
        )
        return {"entries": entries, "can_operate": services.may_operate(self.request.user, obj.warehouse)}


# --- movement forms -------------------------------------------------------------------------------
class DocumentFormView(LoginRequiredMixin, View):
    """GET shows the form (prefilled from the query string), POST posts the document through its
    service and opens it; refusals stay on the form next to their fields."""

    form_class = forms.MovementForm
    title = ""
    #: the form lists the batches of one warehouse: ask for the warehouse first
    needs_warehouse = False
    template_name = "materials/movement_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", Movement):
            raise PermissionDenied(_("您的角色没有此功能的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def warehouse(self, data):
        value = data.get("warehouse")
        if not value or not str(value).isdigit():
            return None
        return forms.operable_warehouses(self.request.user).filter(pk=value).first()

    def initial(self):
        return self.request.GET.dict()

    def render_form(self, form, warehouse, status=200):
        hidden = warehouse if "warehouse" not in form.fields else None
        context = {
            "form": form,
            "title": self.title,
            "warehouse": warehouse,
            "hidden_warehouse": hidden,
            "pick": None,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        warehouse = self.warehouse(request.GET)
        if self.needs_warehouse and warehouse is None:
            pick = forms.WarehousePickForm(user=request.user)
            return render(
                request,
                self.template_name,
                {"pick": pick, "title": self.title, "form": None, "warehouse": None},
            )
        form = self.form_class(initial=self.initial(), user=request.user, warehouse=warehouse)
        return self.render_form(form, warehouse)

    def post(self, request):
        warehouse = self.warehouse(request.POST) or self.warehouse(request.GET)
        form = self.form_class(request.POST, user=request.user, warehouse=warehouse)
        if form.is_valid():
            try:
                movement = self.post_document(form.cleaned_data, warehouse)
            except services.MaterialsError as exc:
                form.add_service_error(exc)
            except AccessDenied as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存单据：%(number)s") % {"number": movement.number})
                return htmx_redirect(request, movement.get_absolute_url())
        return self.render_form(form, warehouse)

    def post_document(self, data, warehouse):  # pragma: no cover - overridden
        raise NotImplementedError


class ReceiptView(DocumentFormView):
    form_class = forms.ReceiptForm
    title = gettext_lazy("物资入库")

    def post_document(self, d, warehouse):
        line = services.LineIn(
            item=d["item"],
            quantity=d["quantity"],
            batch_no=d["batch_no"],
            production_date=d["production_date"],
            expiry_date=d["expiry_date"],
        )
        return services.receive_stock(
            warehouse=d["warehouse"],
            lines=[line],
            actor=self.request.user,
            accepted_by=d["accepted_by"],
            acceptance_result=d["acceptance_result"],
            source=d["source"],
            supplier=d["supplier"],
            note=d["note"],
        )


class IssueView(DocumentFormView):
    """出库（发放）: ``?warehouse=<id>&item=<id>&longitude=&latitude=&place=<12-digit code>`` prefill it
    (the resource map and incident pages link here)."""

    form_class = forms.IssueForm
    title = gettext_lazy("物资出库（发放）")

    def post_document(self, d, warehouse):
        return services.issue_stock(
            warehouse=d["warehouse"],
            lines=[services.LineIn(item=d["item"], quantity=d["quantity"], stock=d["stock"])],
            actor=self.request.user,
            incident=d["incident"],
            destination_place=d["place"],
            recipient=d["recipient"],
            longitude=d["longitude"],
            latitude=d["latitude"],
            note=d["note"],
        )


class TransferRequestView(DocumentFormView):
    form_class = forms.TransferRequestForm
    title = gettext_lazy("申请调拨")

    def post_document(self, d, warehouse):
        return services.request_transfer(
            source=d["source"],
            destination=d["destination"],
            lines=[services.LineIn(item=d["item"], quantity=d["quantity"])],
            actor=self.request.user,
            reason=d["reason"],
        )


class ScrapView(DocumentFormView):
    form_class = forms.ScrapForm
    title = gettext_lazy("物资报废")
    needs_warehouse = True

    def post_document(self, d, warehouse):
        return services.scrap_stock(
            warehouse=warehouse,
            lines=[services.LineIn(stock=d["stock"], quantity=d["quantity"])],
            actor=self.request.user,
            reason=d["reason"],
        )


class RotationView(DocumentFormView):
    form_class = forms.RotationForm
    title = gettext_lazy("物资轮换")
    needs_warehouse = True

    def post_document(self, d, warehouse):
        stock = d["stock"]
        return services.rotate_stock(
            warehouse=warehouse,
            out_lines=[services.LineIn(stock=stock, quantity=d["out_quantity"])],
            in_lines=[
                services.LineIn(
                    item=stock.item,
                    quantity=d["in_quantity"],
                    batch_no=d["batch_no"],
                    production_date=d["production_date"],
                    expiry_date=d["expiry_date"],
                )
            ],
            actor=self.request.user,
            reason=d["reason"],
        )


class StocktakeView(DocumentFormView):
    form_class = forms.StocktakeForm
    title = gettext_lazy("库存盘点")
    needs_warehouse = True

    def post_document(self, d, warehouse):
        form_counts = self._form.counts()
        if not form_counts:
            raise services.MaterialsError(_("请至少填写一个批次的实盘数量。"), "lines_required")
        return services.take_stock(
            warehouse=warehouse, counts=form_counts, actor=self.request.user, reason=d["reason"]
        )

    def post(self, request):
        warehouse = self.warehouse(request.POST) or self.warehouse(request.GET)
        if warehouse is None:
            raise PermissionDenied(_("请选择您管理的仓库。"))
        self._form = forms.StocktakeForm(request.POST, user=request.user, warehouse=warehouse)
        form = self._form
        if form.is_valid():
            try:
                movement = self.post_document(form.cleaned_data, warehouse)
            except services.MaterialsError as exc:
                form.add_service_error(exc)
            except AccessDenied as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存单据：%(number)s") % {"number": movement.number})
                return htmx_redirect(request, movement.get_absolute_url())
        return self.render_form(form, warehouse)


# --- transfer steps -------------------------------------------------------------------------------
STEP_MESSAGES = {
    "approve": gettext_lazy("已批准调拨：%(number)s"),
    "reject": gettext_lazy("已驳回调拨：%(number)s"),
    "dispatch": gettext_lazy("已发运：%(number)s"),
    "receive": gettext_lazy("已接收：%(number)s"),
    "cancel": gettext_lazy("已撤销调拨：%(number)s"),
}


@require_POST
def transfer_step(request, pk, step):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if step not in STEP_MESSAGES:
        raise Http404
    movement = get_object_or_404(Movement.objects.visible_to(request.user), pk=pk)
    reason_form = forms.ReasonForm(request.POST)
    if not reason_form.is_valid():  # the reason box of the detail page: too long for the document
        messages.error(request, " ".join(reason_form.errors["reason"]))
        return htmx_redirect(request, movement.get_absolute_url())
    reason = reason_form.cleaned_data["reason"]
    operations = {
        "approve": lambda: services.approve_transfer(movement, actor=request.user),
        "reject": lambda: services.reject_transfer(movement, actor=request.user, reason=reason),
        "dispatch": lambda: services.dispatch_transfer(movement, actor=request.user),
        "receive": lambda: services.receive_transfer(movement, actor=request.user),
        "cancel": lambda: services.cancel_transfer(movement, actor=request.user, reason=reason),
    }
    try:
        operations[step]()
    except services.MaterialsError as exc:
        messages.error(request, exc.text)
    except AccessDenied as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, STEP_MESSAGES[step] % {"number": movement.number})
    return htmx_redirect(request, movement.get_absolute_url())


# --- ledger and expiry ----------------------------------------------------------------------------
class LedgerView(LoginRequiredMixin, View):
    """台账: the balance of an item in a warehouse at any time, and the entries up to it."""

    def get(self, request):
        if not can(request.user, "view", LedgerEntry):
            raise PermissionDenied(_("您的角色没有此功能的权限。"))
        form = forms.LedgerQueryForm(request.GET or None, user=request.user)
        context = {"form": form, "balance": None, "entries": []}
        if form.is_bound and form.is_valid():
            warehouse, item, at = (
                form.cleaned_data["warehouse"],
                form.cleaned_data["item"],
                form.cleaned_data["at"],
            )
            entries = LedgerEntry.objects.filter(warehouse=warehouse, item=item)
            if at is not None:
                entries = entries.filter(at__lte=at)
            context.update(
                warehouse=warehouse,
                item=item,
                at=at or timezone.now(),
                balance=services.balance_at(warehouse, item, at),
                entries=list(entries.select_related("line__movement").order_by("-at", "-id")[:200]),
            )
        return render(request, "materials/ledger.html", context)


class ExpiringView(LoginRequiredMixin, View):
    """Batches near (or past) expiry in the user's scope: rotate or scrap them."""

    def get(self, request):
        if not can(request.user, "view", Stock):
            raise PermissionDenied(_("您的角色没有此功能的权限。"))
        from yingji.materials import conf

        rows = services.near_expiry(Stock.objects.visible_to(request.user)).select_related(
            "item", "warehouse__place"
        )[:500]
        today = timezone.localdate()
        operable = (
            set(Warehouse.objects.visible_to(request.user, "change").values_list("pk", flat=True))
            if can(request.user, "add", Movement)
            else set()
        )
        context = {
            "rows": [(s, (s.expiry_date - today).days, s.warehouse_id in operable) for s in rows],
            "warning_days": conf.expiry_warning_days(),
            "categories": dict(Item._meta.get_field("category").choices),
        }
        return render(request, "materials/expiring.html", context)
