"""API of call-and-respond (叫应) and coverage.

* ``/api/v1/warning-acks/`` — acknowledgements in scope (read-only), ``POST …/{id}/acknowledge/``;
* ``POST /api/v1/warning-acks/by-token/`` ``{"token": …}`` — the personal link's answer, no sign-in;
* ``POST /api/v1/warning-acks/by-token/batch/`` ``{"answers": [{"token", "at", "via"}, …]}`` — replies
  relayed in bulk by the SMS/voice carrier or the 政务微信 gateway (an account that may change
  acknowledgements);
* ``/api/v1/vulnerable-contacts/`` — 特殊群体联系人 (CRUD in scope);
* ``GET /api/v1/warnings/{id}/coverage/`` — reached/targeted per place and channel, public estimate.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from yingji.framework.access import can
from yingji.framework.api import PlaceCodeField, ScopedModelViewSet, ScopedSerializer
from yingji.framework.api_policy import RolePermission
from yingji.warnings import response
from yingji.warnings.models_response import Acknowledgement, AckVia, VulnerableContact
from yingji.warnings.response_views import AcknowledgementFilterSet, VulnerableContactFilterSet

_STAMPS = ["created", "updated"]


class AcknowledgementSerializer(ScopedSerializer):
    place = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="责任地区的12位区划代码"
    )
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    answered = serializers.BooleanField(read_only=True)
    late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Acknowledgement
        fields = [
            "id",
            "warning",
            "place",
            "tier",
            "person",
            "user",
            "name",
            "mobile",
            "called_at",
            "due_at",
            "stage",
            "stage_label",
            "stage_at",
            "answered",
            "late",
            "acknowledged_at",
            "via",
            "acknowledged_by",
            *_STAMPS,
        ]
        read_only_fields = fields


class AckPermission(RolePermission):
    def has_permission(self, request, view):
        if getattr(view, "action", None) == "acknowledge":
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class AcknowledgementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """叫应 records in the caller's scope, with the answer action."""

    queryset = Acknowledgement.objects.all()
    serializer_class = AcknowledgementSerializer
    filterset_class = AcknowledgementFilterSet
    permission_classes = [AckPermission]
    ordering_fields = ["called_at", "due_at", "acknowledged_at"]

    def get_queryset(self):
        return Acknowledgement.objects.visible_to(self.request.user).select_related("place")

    @extend_schema(request=None, responses=AcknowledgementSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Answer (应): the responsible person, or an officer who may change the record."""
        ack = response.acknowledge(self.get_object(), actor=request.user, via=AckVia.API)
        return Response(AcknowledgementSerializer(ack, context=self.get_serializer_context()).data)


class TokenThrottle(AnonRateThrottle):
    rate = "120/min"


class AckByTokenView(APIView):
    """Answer through the personal link's token (no sign-in)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=inline_serializer("AckToken", {"token": serializers.CharField()}),
        responses=inline_serializer(
            "AckTokenAnswer",
            {
                "id": serializers.IntegerField(),
                "acknowledged_at": serializers.DateTimeField(),
                "late": serializers.BooleanField(),
            },
        ),
    )
    def post(self, request):
        # the hot path of mass answering: one UPDATE … RETURNING and one change-log row, no model
        answer = response.answer_token(str(request.data.get("token", "")))
        return Response({"id": answer.pk, "acknowledged_at": answer.acknowledged_at, "late": answer.late})


class MayChangeAcknowledgements(BasePermission):
    """Signed in with a role that may change acknowledgements (platform admin, bureau or duty officer;
    the carrier's integration account is a duty-officer account)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and can(user, "change", Acknowledgement))


class AckBatchView(APIView):
    """Answers relayed in bulk by the SMS/voice carrier or the 政务微信 gateway (per-item results)."""

    permission_classes = [MayChangeAcknowledgements]

    @extend_schema(
        request=inline_serializer(
            "AckBatch",
            {
                "answers": serializers.ListField(
                    child=inline_serializer(
                        "AckBatchItem",
                        {
                            "token": serializers.CharField(),
                            "at": serializers.DateTimeField(required=False),
                            "via": serializers.ChoiceField(choices=response.BATCH_VIA),
                        },
                    )
                )
            },
        ),
        responses=inline_serializer(
            "AckBatchAnswer",
            {
                "accepted": serializers.IntegerField(),
                "already_answered": serializers.IntegerField(),
                "unknown": serializers.IntegerField(),
                "duplicate": serializers.IntegerField(),
                "invalid": serializers.IntegerField(),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def post(self, request):
        from django.utils.translation import gettext as _

        from yingji.framework.errors import field_error

        answers = request.data.get("answers") if isinstance(request.data, dict) else None
        if not isinstance(answers, list) or not answers:
            raise field_error("answers", _("请提供应答列表。"), "required")
        limit = response.batch_max()
        if len(answers) > limit:
            raise field_error("answers", _("每次最多提交%(n)d条应答。") % {"n": limit}, "too_many")
        return Response(response.answer_batch(answers, actor=request.user))


class VulnerableContactSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="所属地区的12位区划代码")

    class Meta:
        model = VulnerableContact
        fields = [
            "id",
            "name",
            "group",
            "place",
            "mobile",
            "guardian_name",
            "guardian_mobile",
            "note",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class VulnerableContactViewSet(ScopedModelViewSet):
    queryset = VulnerableContact.objects.all()
    serializer_class = VulnerableContactSerializer
    filterset_class = VulnerableContactFilterSet
    permission_classes = [RolePermission]


class CoverageView(APIView):
    """Coverage of one warning's fan-out: per town row and channel, totals and the public estimate."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=inline_serializer("WarningCoverage", {"public": serializers.DictField()}))
    def get(self, request, pk):
        from yingji.warnings.fanout import coverage
        from yingji.warnings.models import Warning

        warning = get_object_or_404(Warning.objects.visible_to(request.user), pk=pk)
        data = coverage(warning, user=request.user)
        job = data.pop("job")
        data["job"] = (
            None
            if job is None
            else {
                "state": job.state,
                "targeted": job.targeted,
                "unreachable": job.unreachable,
                "runs": job.runs,
                "started_at": job.started_at,
                "finished_at": job.finished_at,
            }
        )
        data["warning"] = warning.pk
        return Response(data)
