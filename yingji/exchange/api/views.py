from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from yingji.exchange import services
from yingji.exchange.api.serializers import ImportJobSerializer, ImportUploadSerializer
from yingji.exchange.excel import XLSX_TYPE, build_template, template_filename
from yingji.exchange.filtersets import ImportJobFilterSet
from yingji.exchange.models import ImportJob
from yingji.framework.api import ScopedModelViewSet, error_body


class ImportJobViewSet(ScopedModelViewSet):
    """Bulk import: upload a filled-in template, poll the job, read the report, confirm the commit."""

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobSerializer
    filterset_class = ImportJobFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer}, responses={201: ImportJobSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Upload a workbook (fields ``kind``, ``file``); validation starts in the background."""
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        job = services.create_import_job(
            actor=request.user, kind=upload.validated_data["kind"], upload=upload.validated_data["file"]
        )
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """Confirm a validated job: every row is written in the background, in one transaction."""
        job = self.get_object()
        try:
            job = services.confirm_import(job, actor=request.user)
        except services.ImportStateError as exc:
            return Response(error_body(exc.code, exc.message), status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    @action(
        detail=False,
        methods=["get"],
        url_path=r"templates/(?P<kind>[a-z_]+)",
        filterset_class=None,
        pagination_class=None,
    )
    def templates(self, request, kind=None):
        """The .xlsx import template of a kind: places, enterprises, departments or persons."""
        importer = services.importer_for(kind)
        response = HttpResponse(build_template(importer), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, template_filename(importer))
        return response
