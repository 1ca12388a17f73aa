"""Special API routes of hazards under /api/v1/; its view sets are routed from the registry."""

urlpatterns: list = []
