class ContentSecurityPolicyMiddleware:
    """A strict CSP: every script and style comes from the platform itself (no CDN, no inline code).

    Map tiles may come from the configured tile server.
    """

    def __init__(self, get_response):
        from django.conf import settings

        img = "'self' data: blob:"
        if settings.MAP_TILE_URL:
            from urllib.parse import urlsplit

            parts = urlsplit(settings.MAP_TILE_URL)
            img += f" {parts.scheme}://{parts.netloc.replace('{s}', '*')}"
        self.policy = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src {img}; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'self'; form-action 'self'"
        )
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/docs"):
            response.setdefault("Content-Security-Policy", self.policy)
        return response
