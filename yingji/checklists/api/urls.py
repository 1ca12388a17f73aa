"""Special API routes of checklists under /api/v1/; its view sets are routed from the registry."""

urlpatterns: list = []
