from yingji.audit.context import change_context


def client_ip(request) -> str | None:
    """The client address; behind a trusted proxy set by gunicorn's forwarded-allow-ips."""
    return request.META.get("REMOTE_ADDR")


class ChangeContextMiddleware:
    """Gives each request an id and a change context: source ``api``, ``admin`` or ``ui``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        source = "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "ui"
        with change_context(source, request=request, ip=client_ip(request)) as ctx:
            request.request_id = ctx.request_id
            response = self.get_response(request)
            response["X-Request-ID"] = ctx.request_id
            return response
