"""API policy shared by every endpoint: the role permission, pagination and the one error shape.

Error responses always look like::

    {"error": {"code": "validation_error", "message": "…", "fields": {"uscc": [{"code": "…", "message": "…"}]}}}

This module must not import ``rest_framework.views`` at import time: DRF loads it from settings
while ``rest_framework.views`` itself is being imported.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, permissions, status
from rest_framework.response import Response

from yingji.framework.access import AccessDenied, can
from yingji.framework.errors import protected_message

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class RolePermission(permissions.BasePermission):
    """The user must be signed in and hold a role that grants the method's action on the model.

    Which rows are reachable is decided by the view set's scoped queryset (404 outside scope).
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        action = METHOD_ACTIONS.get(request.method, "change")
        return can(request.user, action, model)


def _field_errors(detail) -> dict:
    out = {}
    for name, errors in detail.items():
        if isinstance(errors, dict):
            for sub, suberrs in _field_errors(errors).items():
                out[f"{name}.{sub}"] = suberrs
            continue
        out[name] = [
            {"code": e["code"], "message": str(e["message"])}
            if isinstance(e, dict)
            else {"code": "invalid", "message": str(e)}
            for e in (errors if isinstance(errors, list) else [errors])
        ]
    return out


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return body


def exception_handler(exc, context):
    """Render every error in the one shape; never let a domain error become a 500."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {
                ("non_field_errors" if k == "__all__" else k): [
                    {"code": e.code or "invalid", "message": " ".join(e.messages)} for e in errs
                ]
                for k, errs in exc.error_dict.items()
            }
        else:
            fields = {
                "non_field_errors": [
                    {"code": e.code or "invalid", "message": " ".join(e.messages)} for e in exc.error_list
                ]
            }
        return Response(
            error_body("validation_error", _("提交的数据有误，请按字段提示修改。"), fields),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, AccessDenied):
        return Response(error_body(exc.code, exc.message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ProtectedError):
        return Response(error_body("protected", protected_message(exc)), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IntegrityError):
        return Response(
            error_body("conflict", _("与已有记录冲突（例如编码重复），请检查后重试。")),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.get_full_details()
        fields = (
            _field_errors(detail)
            if isinstance(detail, dict)
            else {"non_field_errors": [{"code": d["code"], "message": str(d["message"])} for d in detail]}
        )
        response.data = error_body("validation_error", _("提交的数据有误，请按字段提示修改。"), fields)
    else:
        code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        code = code if isinstance(code, str) else getattr(exc, "default_code", "error")
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
        response.data = error_body(code, message)
    return response
