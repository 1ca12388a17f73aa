from rest_framework import serializers

from yingji.exchange.choices import ImportKind
from yingji.exchange.models import ImportJob
from yingji.framework.api import ScopedSerializer


class ImportJobSerializer(ScopedSerializer):
    """An import job with its live progress and validation report (read-only: jobs change by workflow)."""

    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    processed_rows = serializers.IntegerField(source="live_processed_rows", read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "original_name",
            "created_by",
            "total_rows",
            "processed_rows",
            "progress_percent",
            "error_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "report",
            "message",
            "created",
            "validated_at",
            "finished",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    """``multipart/form-data`` upload: what to import and the filled-in .xlsx template."""

    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField()
