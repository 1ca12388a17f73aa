from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from yingji.framework.access import can
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import RolePermission
from yingji.warnings import cap, lifecycle, services
from yingji.warnings.api import serializers as s
from yingji.warnings.filtersets import (
    ConsultationFilterSet,
    SubscriptionFilterSet,
    WarningFilterSet,
    WorkPromptFilterSet,
)
from yingji.warnings.models import Consultation, Subscription, Warning, WorkPrompt, WorkPromptAck

CAP_TYPE = "application/cap+xml; charset=utf-8"
#: lifecycle steps: the role must at least see warnings; the service checks the step's own right
STEPS = {"submit", "approve", "reject", "publish", "update_warning", "cancel", "cap"}


class WarningPermission(RolePermission):
    def has_permission(self, request, view):
        if getattr(view, "action", None) in STEPS:
            return bool(request.user and request.user.is_authenticated and can(request.user, "view", Warning))
        if getattr(view, "action", None) == "import_cap":
            return bool(request.user and request.user.is_authenticated and can(request.user, "add", Warning))
        return super().has_permission(request, view)


class WarningViewSet(ScopedModelViewSet):
    """Warnings in the caller's scope, with the lifecycle steps as POST actions and the CAP 1.2 document.

    Errors of a step: ``invalid_transition`` (the status does not allow it), ``four_eyes`` (approver composed
    or edited it), ``not_author``, ``permission_denied`` (role lacks the right), ``out_of_scope``.
    """

    queryset = Warning.objects.all()
    serializer_class = s.WarningSerializer
    filterset_class = WarningFilterSet
    permission_classes = [WarningPermission]
    ordering_fields = ["effective_at", "expires_at", "sent_at", "created", "level"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.WarningDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        if self.action in STEPS:
            return Warning.objects.visible_to(self.request.user, "view").select_related("place", "references")
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related("events__actor")
        return qs.prefetch_related("area_places")

    def perform_destroy(self, instance):
        """Only drafts (and rejected drafts) may be deleted; their timeline goes with them (CASCADE)."""
        if not instance.is_editable:
            raise ValidationError(_("只有草稿或被退回的预警可以删除。"), code="not_editable")
        super().perform_destroy(instance)

    def _answer(self, warning, code=status.HTTP_200_OK):
        warning = Warning.objects.prefetch_related("events__actor", "area_places").get(pk=warning.pk)
        return Response(
            s.WarningDetailSerializer(warning, context=self.get_serializer_context()).data, status=code
        )

    def _note(self, request) -> str:
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data.get("note", "")

    @extend_schema(request=s.NoteSerializer, responses=s.WarningDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The author submits the draft for review (draft/rejected → review)."""
        return self._answer(lifecycle.submit(self.get_object(), actor=request.user, note=self._note(request)))

    @extend_schema(request=s.NoteSerializer, responses=s.WarningDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve (review → approved); needs the approve right and someone other than the author."""
        return self._answer(
            lifecycle.approve(self.get_object(), actor=request.user, note=self._note(request))
        )

    @extend_schema(request=s.NoteSerializer, responses=s.WarningDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Send back to the author with a reason (review → rejected)."""
        return self._answer(lifecycle.reject(self.get_object(), actor=request.user, note=self._note(request)))

    @extend_schema(request=s.NoteSerializer, responses=s.WarningDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish (approved → published); starts the fan-out."""
        return self._answer(
            lifecycle.publish(self.get_object(), actor=request.user, note=self._note(request))
        )

    @extend_schema(request=s.UpdateSerializer, responses={201: s.WarningDetailSerializer})
    @action(detail=True, methods=["post"], url_path="update")
    def update_warning(self, request, pk=None):
        """Open an update of a published warning: a new draft (msgType Update) referencing it."""
        body = s.UpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = lifecycle.start_update(self.get_object(), actor=request.user, **body.validated_data)
        return self._answer(new, status.HTTP_201_CREATED)

    @extend_schema(request=s.NoteSerializer, responses={201: s.WarningDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Lift a published warning: publishes a Cancel document at once; returns it."""
        notice = lifecycle.cancel(self.get_object(), actor=request.user, note=self._note(request))
        return self._answer(notice, status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/cap+xml"): OpenApiResponse(description="CAP 1.2 XML")})
    @action(detail=True, methods=["get"])
    def cap(self, request, pk=None):
        """The warning as a CAP 1.2 document (valid against the OASIS schema)."""
        warning = self.get_object()
        return HttpResponse(cap.to_cap_xml(warning), content_type=CAP_TYPE)

    @extend_schema(
        request={"multipart/form-data": s.CapImportSerializer, "application/xml": OpenApiResponse()},
        responses={201: s.WarningDetailSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import-cap",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def import_cap(self, request):
        """Import a CAP 1.2 document from another issuer (a weather bureau feed) as a published warning.

        Send the XML as the body (``Content-Type: application/xml``), as a ``file`` upload or as ``xml``.
        Refused with ``cap_invalid`` (not valid against the schema), ``cap_not_actual``, ``cap_duplicate``.
        """
        if request.content_type.split(";")[0].strip() in (
            "application/xml",
            "text/xml",
            "application/cap+xml",
        ):
            document = request.body
        else:
            upload = request.data.get("file")
            document = upload.read(cap.MAX_BYTES + 1) if upload else (request.data.get("xml") or "").encode()
        warning = cap.from_cap_xml(document, actor=request.user)
        return self._answer(warning, status.HTTP_201_CREATED)


class SubscriptionViewSet(ScopedModelViewSet):
    """Public subscriptions (made on the public page) in the caller's scope; officers correct or end them."""

    queryset = Subscription.objects.all()
    serializer_class = s.SubscriptionSerializer
    filterset_class = SubscriptionFilterSet
    http_method_names = ["get", "patch", "delete", "head", "options"]


class ConsultationViewSet(ScopedModelViewSet):
    queryset = Consultation.objects.all()
    serializer_class = s.ConsultationSerializer
    filterset_class = ConsultationFilterSet
    ordering_fields = ["held_at", "created"]


ACK_ACTIONS = {"acknowledge"}


class WorkPromptPermission(RolePermission):
    def has_permission(self, request, view):
        if getattr(view, "action", None) == "issue":
            return bool(
                request.user and request.user.is_authenticated and can(request.user, "change", WorkPrompt)
            )
        if getattr(view, "action", None) in ACK_ACTIONS:
            return bool(
                request.user and request.user.is_authenticated and can(request.user, "change", WorkPromptAck)
            )
        return super().has_permission(request, view)


class WorkPromptViewSet(ScopedModelViewSet):
    """Work prompts (工作提示单) with ``issue`` and ``acknowledge`` actions; the PDF is at ``pdf_url``."""

    queryset = WorkPrompt.objects.all()
    serializer_class = s.WorkPromptSerializer
    filterset_class = WorkPromptFilterSet
    permission_classes = [WorkPromptPermission]

    def get_queryset(self):
        if self.action in ACK_ACTIONS:
            return WorkPrompt.objects.all()  # the acknowledgement row's scope decides (below)
        return super().get_queryset().prefetch_related("acks__acknowledged_by", "acks__target_place")

    @extend_schema(request=None, responses=s.WorkPromptSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the prompt: one acknowledgement per target, a message to their people."""
        prompt = services.issue_prompt(self.get_object(), actor=request.user)
        return Response(s.WorkPromptSerializer(prompt, context=self.get_serializer_context()).data)

    @extend_schema(request=s.NoteSerializer, responses=s.WorkPromptAckSerializer(many=True))
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Acknowledge (签收) the prompt for every target the caller may answer for."""
        from rest_framework.exceptions import NotFound

        prompt = WorkPrompt.objects.filter(pk=pk).first()
        acks = list(services.acks_for(request.user, prompt)) if prompt else []
        if not acks:
            raise NotFound()
        note = s.NoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        done = [
            services.acknowledge_prompt(a, actor=request.user, note=note.validated_data.get("note", ""))
            for a in acks
        ]
        return Response(s.WorkPromptAckSerializer(done, many=True).data)
