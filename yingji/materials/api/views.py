"""API of the materials app under ``/api/v1/materials/``: view sets of the objects (routed from the
registry) and one POST endpoint per kind of movement and per transfer step."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.framework.access import can
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import error_body
from yingji.materials import services
from yingji.materials.api import serializers as s
from yingji.materials.filtersets import (
    ItemFilterSet,
    LedgerEntryFilterSet,
    MovementFilterSet,
    ReserveFilterSet,
    StockFilterSet,
    WarehouseFilterSet,
)
from yingji.materials.models import Item, LedgerEntry, Movement, Reserve, Stock, Warehouse

#: domain refusals that conflict with the current state of the stock or the document
CONFLICTS = {"insufficient_stock", "invalid_transition"}


def domain_error_response(exc: services.MaterialsError) -> Response:
    """A refused operation in the one error shape, with its own stable code (e.g. ``insufficient_stock``)."""
    fields = None
    if hasattr(exc, "error_dict"):
        fields = {
            name: [
                {"code": e.code or exc.domain_code, "message": " ".join(e.messages), **exc.extra}
                for e in errs
            ]
            for name, errs in exc.error_dict.items()
        }
    body = error_body(exc.domain_code, exc.text, fields)
    code = status.HTTP_409_CONFLICT if exc.domain_code in CONFLICTS else status.HTTP_400_BAD_REQUEST
    return Response(body, status=code)


class ItemViewSet(ScopedModelViewSet):
    queryset = Item.objects.all()
    serializer_class = s.ItemSerializer
    filterset_class = ItemFilterSet
    ordering_fields = ["name", "category"]


class WarehouseViewSet(ScopedModelViewSet):
    queryset = Warehouse.objects.all()
    serializer_class = s.WarehouseSerializer
    filterset_class = WarehouseFilterSet
    ordering_fields = ["name", "level"]


class ReserveViewSet(ScopedModelViewSet):
    queryset = Reserve.objects.all()
    serializer_class = s.ReserveSerializer
    filterset_class = ReserveFilterSet


class StockViewSet(ScopedModelViewSet):
    """Stock per batch (read-only: stock changes only through movement documents)."""

    queryset = Stock.objects.all()
    serializer_class = s.StockSerializer
    filterset_class = StockFilterSet
    http_method_names = ["get", "head", "options"]
    ordering_fields = ["expiry_date", "quantity"]


class LedgerEntryViewSet(ScopedModelViewSet):
    """The append-only stock ledger (read-only)."""

    queryset = LedgerEntry.objects.all()
    serializer_class = s.LedgerEntrySerializer
    filterset_class = LedgerEntryFilterSet
    http_method_names = ["get", "head", "options"]
    ordering_fields = ["at"]

    def get_queryset(self):
        return super().get_queryset().select_related("line__movement")


class MovementViewSet(ScopedModelViewSet):
    """Movement documents (read-only) with the transfer steps as actions:
    ``POST …/movements/{id}/approve|reject|dispatch|receive|cancel/``."""

    queryset = Movement.objects.all()
    serializer_class = s.MovementSerializer
    filterset_class = MovementFilterSet
    http_method_names = ["get", "head", "options", "post"]
    ordering_fields = ["occurred_at", "number"]

    def get_queryset(self):
        # steps are decided by the services' own rules; finding the document needs only ``view``
        return (
            Movement.objects.visible_to(self.request.user, "view")
            .select_related("place", "destination_place")
            .prefetch_related("lines")
        )

    def create(self, request, *args, **kwargs):
        return Response(
            error_body("method_not_allowed", "请使用 /api/v1/materials/receipts/ 等各类单据的接口填制单据。"),
            status=status.HTTP_405_METHOD_NOT_ALLOWED,
        )

    def _step(self, request, operation, **kwargs):
        movement = self.get_object()
        try:
            movement = operation(movement, actor=request.user, **kwargs)
        except services.MaterialsError as exc:
            return domain_error_response(exc)
        movement = self.get_queryset().get(pk=movement.pk)
        return Response(s.MovementSerializer(movement, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=s.MovementSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """批准调拨 (source owner or a higher level; not the requester)."""
        return self._step(request, services.approve_transfer)

    @extend_schema(request=s.ReasonInSerializer, responses=s.MovementSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """驳回调拨, with a reason."""
        body = s.ReasonInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step(request, services.reject_transfer, reason=body.validated_data["reason"])

    @extend_schema(request=None, responses=s.MovementSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_transfer(self, request, pk=None):
        """发运: the stock leaves the source warehouse."""
        return self._step(request, services.dispatch_transfer)

    @extend_schema(request=None, responses=s.MovementSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """接收: the stock enters the destination warehouse."""
        return self._step(request, services.receive_transfer)

    @extend_schema(request=s.ReasonInSerializer, responses=s.MovementSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """撤销 a transfer before dispatch."""
        body = s.ReasonInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step(request, services.cancel_transfer, reason=body.validated_data["reason"])


def _lines(data, key="lines"):
    return [services.LineIn(**row) for row in data.get(key, [])]


class _PostDocument(APIView):
    """POST one movement document; answers 201 with the posted document."""

    permission_classes = [IsAuthenticated]
    input_serializer = None

    def call(self, data, user):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request):
        if not can(request.user, "add", Movement):
            return Response(
                error_body("permission_denied", "您的角色没有此功能的权限。"),
                status=status.HTTP_403_FORBIDDEN,
            )
        body = self.input_serializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            movement = self.call(body.validated_data, request.user)
        except services.MaterialsError as exc:
            return domain_error_response(exc)
        movement = (
            Movement.objects.select_related("place", "destination_place")
            .prefetch_related("lines")
            .get(pk=movement.pk)
        )
        return Response(
            s.MovementSerializer(movement, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ReceiptView(_PostDocument):
    """入库: receive accepted goods (acceptance check: ``accepted_by``, ``acceptance_result``)."""

    input_serializer = s.ReceiptInSerializer

    @extend_schema(request=s.ReceiptInSerializer, responses={201: s.MovementSerializer})
    def post(self, request):
        return super().post(request)

    def call(self, d, user):
        return services.receive_stock(
            warehouse=d["warehouse"],
            lines=_lines(d),
            actor=user,
            accepted_by=d["accepted_by"],
            acceptance_result=d["acceptance_result"],
            source=d["source"],
            supplier=d["supplier"],
            note=d["note"],
        )


class IssueView(_PostDocument):
    """出库: issue to an incident, a place (12-digit code) or a person; refused with
    ``insufficient_stock`` (409) when the warehouse holds less than asked."""

    input_serializer = s.IssueInSerializer

    @extend_schema(request=s.IssueInSerializer, responses={201: s.MovementSerializer})
    def post(self, request):
        return super().post(request)

    def call(self, d, user):
        return services.issue_stock(
            warehouse=d["warehouse"],
            lines=_lines(d),
            actor=user,
            incident=d["incident"],
            destination_place=d["place"],
            recipient=d["recipient"],
            longitude=d["longitude"],
            latitude=d["latitude"],
            note=d["note"],
        )


class TransferView(_PostDocument):
    """申请调拨: creates a transfer in state ``requested``."""

    input_serializer = s.TransferInSerializer

    @extend_schema(request=s.TransferInSerializer, responses={201: s.MovementSerializer})
    def post(self, request):
        return super().post(request)

    def call(self, d, user):
        return services.request_transfer(
            source=d["source"], destination=d["destination"], lines=_lines(d), actor=user, reason=d["reason"]
        )


class StocktakeView(_PostDocument):
    """盘点: counted quantities per batch; variances are posted."""

    input_serializer = s.StocktakeInSerializer

    @extend_schema(request=s.StocktakeInSerializer, responses={201: s.MovementSerializer})
    def post(self, request):
        return super().post(request)

    def call(self, d, user):
        counts = [services.LineIn(stock=c["stock"], counted=c["counted"]) for c in d["counts"]]
        return services.take_stock(warehouse=d["warehouse"], counts=counts, actor=user, reason=d["reason"])


class ScrapView(_PostDocument):
    """报废 of named batches, with a reason."""

    input_serializer = s.ScrapInSerializer

    @extend_schema(request=s.ScrapInSerializer, responses={201: s.MovementSerializer})
    def post(self, request):
        return super().post(request)

    def call(self, d, user):
        return services.scrap_stock(warehouse=d["warehouse"], lines=_lines(d), actor=user, reason=d["reason"])


class RotationView(_PostDocument):
    """轮换: old batches out, new batches of the same items in."""

    input_serializer = s.RotationInSerializer

    @extend_schema(request=s.RotationInSerializer, responses={201: s.MovementSerializer})
    def post(self, request):
        return super().post(request)

    def call(self, d, user):
        return services.rotate_stock(
            warehouse=d["warehouse"],
            out_lines=_lines(d, "out_lines"),
            in_lines=_lines(d, "in_lines"),
            actor=user,
            reason=d["reason"],
        )


def _parse_at(value):
    if not value:
        return None
    at = parse_datetime(value)
    if at is None:
        day = parse_date(value)
        if day is None:
            raise serializers.ValidationError(
                {"at": ["时间格式应为 ISO 8601，例如 2026-06-01T08:00:00+08:00。"]}
            )
        import datetime as dt

        at = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    elif timezone.is_naive(at):
        at = timezone.make_aware(at)
    return at


class BalanceView(APIView):
    """The balance of an item in a warehouse at a time (from the ledger); ``at`` defaults to now, a
    date means the end of that day."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("warehouse", int, required=True),
            OpenApiParameter("item", int, required=True),
            OpenApiParameter("at", str, description="ISO 8601 时间或日期"),
        ],
        responses=inline_serializer(
            "MaterialsBalance",
            {
                "warehouse": serializers.IntegerField(),
                "item": serializers.IntegerField(),
                "at": serializers.DateTimeField(),
                "balance": serializers.DecimalField(max_digits=14, decimal_places=2),
                "unit": serializers.CharField(),
            },
        ),
    )
    def get(self, request):
        try:
            warehouse_id = int(request.query_params.get("warehouse", ""))
            item_id = int(request.query_params.get("item", ""))
        except ValueError:
            raise serializers.ValidationError({"warehouse": ["请指定仓库和物资编号。"]}) from None
        warehouse = get_object_or_404(Warehouse.objects.visible_to(request.user), pk=warehouse_id)
        item = get_object_or_404(Item.objects.visible_to(request.user), pk=item_id)
        at = _parse_at(request.query_params.get("at"))
        balance = services.balance_at(warehouse, item, at)
        return Response(
            {
                "warehouse": warehouse.pk,
                "item": item.pk,
                "at": (at or timezone.now()).isoformat(),
                "balance": f"{balance:.2f}",
                "unit": item.unit,
            }
        )


class AvailableView(APIView):
    """Available (unexpired) quantity of an item per warehouse the caller may view."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("item", int, required=True)],
        responses=inline_serializer(
            "MaterialsAvailable",
            {
                "item": serializers.IntegerField(),
                "warehouses": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        try:
            item_id = int(request.query_params.get("item", ""))
        except ValueError:
            raise serializers.ValidationError({"item": ["请指定物资编号。"]}) from None
        item = get_object_or_404(Item.objects.visible_to(request.user), pk=item_id)
        available = services.available_by_warehouse(item.pk, user=request.user)
        names = dict(Warehouse.objects.filter(pk__in=available).values_list("pk", "name"))
        return Response(
            {
                "item": item.pk,
                "warehouses": [
                    {"warehouse": pk, "name": names.get(pk, ""), "available": f"{q:.2f}"}
                    for pk, q in sorted(available.items(), key=lambda kv: -kv[1])
                ],
            }
        )
