"""Uploaded photos and documents: checked on the way in, served only through scoped views.

Files live under ``MEDIA_ROOT`` but are never served as public ``/media/`` URLs: a domain view first
reads the owning row through ``visible_to`` and then answers with :func:`file_response`. Images are
opened with Pillow, so a file renamed to ``.jpg`` is refused, and their size is capped.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

#: Largest accepted photo (bytes); phones produce 2–8 MB JPEGs.
MAX_IMAGE_BYTES = getattr(settings, "YINGJI_MAX_IMAGE_BYTES", 10 * 1024 * 1024)
#: Largest accepted document (PDF, Office) in bytes.
MAX_DOCUMENT_BYTES = getattr(settings, "YINGJI_MAX_DOCUMENT_BYTES", 20 * 1024 * 1024)
#: Pillow format → file extension of the accepted photo types.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
DOCUMENT_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"}


def validate_image(upload, *, max_bytes: int | None = None) -> str:
    """Check that ``upload`` is a real photo of an accepted type and size; return its extension.

    Raises ``ValidationError`` with code ``image_too_large``, ``image_type`` or ``image_invalid``.
    """
    from PIL import Image, UnidentifiedImageError

    limit = max_bytes or MAX_IMAGE_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("照片“%(name)s”大小为 %(size).1f MB，超过上限 %(limit).0f MB，请压缩后重新上传。")
            % {"name": upload.name, "size": upload.size / 2**20, "limit": limit / 2**20},
            code="image_too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("文件“%(name)s”不是有效的图片，请上传 JPG、PNG 或 WebP 格式的照片。") % {"name": upload.name},
            code="image_invalid",
        ) from exc
    finally:
        upload.seek(0)
    if kind not in IMAGE_FORMATS:
        raise ValidationError(
            _("不支持 %(kind)s 格式的图片，请上传 JPG、PNG 或 WebP 格式的照片。") % {"kind": kind},
            code="image_type",
        )
    return IMAGE_FORMATS[kind]


def validate_document(upload, *, max_bytes: int | None = None) -> str:
    """Check a document's extension and size; return the extension (codes ``file_too_large``, ``file_type``)."""
    limit = max_bytes or MAX_DOCUMENT_BYTES
    ext = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    if ext not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("不支持“.%(ext)s”类型的文件，可上传：%(allowed)s。")
            % {"ext": ext, "allowed": "、".join(sorted(DOCUMENT_EXTENSIONS))},
            code="file_type",
        )
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”超过大小上限 %(limit).0f MB。") % {"name": upload.name, "limit": limit / 2**20},
            code="file_too_large",
        )
    return ext


def stored_name(prefix: str, ext: str) -> str:
    """A new, unguessable storage name ``<prefix>/<yyyy>/<mm>/<uuid>.<ext>`` (the user's name is not kept)."""
    today = dt.date.today()
    return f"{prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{ext}"


def file_response(field_file, *, download_name: str | None = None, attachment: bool = False) -> FileResponse:
    """Stream a stored file after the caller has checked that the user may see its owner."""
    name = download_name or PurePosixPath(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"), as_attachment=attachment, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
