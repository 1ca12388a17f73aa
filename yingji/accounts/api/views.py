from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from yingji.accounts import services
from yingji.accounts.api.serializers import PersonSerializer, RoleAssignmentSerializer, UserSerializer
from yingji.accounts.filtersets import PersonFilterSet, RoleAssignmentFilterSet, UserFilterSet
from yingji.accounts.models import Person, RoleAssignment, User
from yingji.audit.middleware import client_ip
from yingji.framework.api import ScopedModelViewSet, error_body


class PersonViewSet(ScopedModelViewSet):
    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["name", "created"]


class UserViewSet(ScopedModelViewSet):
    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    ordering_fields = ["username", "last_login"]

    def get_queryset(self):
        qs = super().get_queryset().select_related("person__place")
        if self.action == "list":  # lists get the object type's prefetch from the framework
            return qs
        return qs.prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("place"))
        )


class RoleAssignmentViewSet(ScopedModelViewSet):
    queryset = RoleAssignment.objects.all()
    serializer_class = RoleAssignmentSerializer
    filterset_class = RoleAssignmentFilterSet


class TokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token …``)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        from django.contrib.auth import authenticate

        username = str(request.data.get("username", ""))
        password = str(request.data.get("password", ""))
        ip = client_ip(request)
        if not username or not password:
            return Response(
                error_body("credentials_required", _("请提供用户名 username 和密码 password。")), status=400
            )
        if services.login_locked(username, ip):
            return Response(error_body("login_locked", _("登录失败次数过多，请15分钟后再试。")), status=429)
        user = authenticate(request._request, username=username, password=password)
        if user is None:
            services.record_login_failure(username, ip)
            return Response(error_body("invalid_credentials", _("用户名或密码错误。")), status=400)
        services.clear_login_failures(username, ip)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
