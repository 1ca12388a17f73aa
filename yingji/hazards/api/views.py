from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from yingji.framework.access import can
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import RolePermission, error_body
from yingji.hazards import workflow
from yingji.hazards.api import serializers as s
from yingji.hazards.filtersets import HazardFilterSet
from yingji.hazards.models import Hazard, HazardPhoto

#: POST actions on one hazard: they need only the view right here; the workflow decides who may act
STEPS = {
    "confirm",
    "assign",
    "progress",
    "rectify",
    "verify",
    "close",
    "fix_immediately",
    "dismiss",
    "supervise",
    "photos",
    "events",
}


class HazardPermission(RolePermission):
    def has_permission(self, request, view):
        if getattr(view, "action", None) in STEPS:
            return bool(request.user and request.user.is_authenticated and can(request.user, "view", Hazard))
        return super().has_permission(request, view)


class HazardViewSet(ScopedModelViewSet):
    """Hazards in the caller's scope. ``POST`` reports a hazard; the POST actions make the steps of the
    closed loop; refused steps answer ``{"error": {"code": "invalid_transition" | "missing_five_items" | …}}``."""

    queryset = Hazard.objects.all()
    serializer_class = s.HazardSerializer
    filterset_class = HazardFilterSet
    permission_classes = [HazardPermission]
    ordering_fields = ["found_at", "due_at", "created", "status", "grade"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if self.action in STEPS:
            return Hazard.objects.visible_to(self.request.user, "view").select_related("place", "enterprise")
        return super().get_queryset()

    def handle_exception(self, exc):
        if isinstance(exc, workflow.WorkflowError):
            code = (
                status.HTTP_409_CONFLICT if exc.code == "invalid_transition" else status.HTTP_400_BAD_REQUEST
            )
            return Response(error_body(exc.code, exc.message, exc.fields), status=code)
        return super().handle_exception(exc)

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _answer(self, hazard):
        hazard = Hazard.objects.select_related("place", "supervised_by").get(pk=hazard.pk)
        return Response(s.HazardSerializer(hazard, context=self.get_serializer_context()).data)

    @extend_schema(request=s.ConfirmBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """确认定级: grade ``general``/``major``; a major hazard names ``major_standard`` and ``major_criterion``."""
        data = self._body(s.ConfirmBody)
        return self._answer(workflow.confirm_hazard(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.DismissBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """不予认定, with the ``reason``."""
        data = self._body(s.DismissBody)
        return self._answer(workflow.dismiss_hazard(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.AssignBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """交办整改 with the 五落实; a major hazard also needs ``plan`` (the six elements of the 治理方案)."""
        data = self._body(s.AssignBody)
        return self._answer(workflow.assign_rectification(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.NoteBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """整改进展 (``note``)."""
        data = self._body(s.NoteBody)
        return self._answer(workflow.add_progress(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.EvidenceBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        """整改完成, with the ``evidence`` (photos: ``/photos/`` with stage ``rectification``)."""
        data = self._body(s.EvidenceBody)
        return self._answer(workflow.submit_rectification(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.VerifyBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """验收 one level: ``approve`` true passes it, false sends the hazard back to 整改中."""
        data = self._body(s.VerifyBody)
        return self._answer(workflow.verify_hazard(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.NoteBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """销号."""
        data = self._body(s.NoteBody)
        return self._answer(workflow.close_hazard(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.EvidenceBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"], url_path="fix-immediately")
    def fix_immediately(self, request, pk=None):
        """立查立改: close a general hazard at once with the ``evidence``."""
        data = self._body(s.EvidenceBody)
        return self._answer(workflow.fix_immediately(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.SuperviseBody, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        """挂牌督办 of a major hazard by ``level_place`` with its own ``due_at``."""
        data = self._body(s.SuperviseBody)
        return self._answer(workflow.list_for_supervision(self.get_object(), actor=request.user, **data))

    @extend_schema(responses=s.HazardEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """The timeline: every step with who and when."""
        hazard = self.get_object()
        events = hazard.events.prefetch_related(
            Prefetch("photos", queryset=HazardPhoto.objects.only("id", "event_id"))
        )
        return Response(s.HazardEventSerializer(events, many=True).data)

    @extend_schema(request={"multipart/form-data": s.PhotoBody}, responses=s.HazardPhotoSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def photos(self, request, pk=None):
        """GET: the hazard's photos; POST (multipart ``stage``, ``image``, ``caption``): add one."""
        hazard = self.get_object()
        if request.method == "POST":
            data = self._body(s.PhotoBody)
            photo = workflow.add_photo(hazard, actor=request.user, **data)
            return Response(s.HazardPhotoSerializer(photo).data, status=status.HTTP_201_CREATED)
        return Response(s.HazardPhotoSerializer(hazard.photos.all(), many=True).data)
