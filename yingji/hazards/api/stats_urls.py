"""API routes of the hazard statistics (``/api/v1/hazard-stats/…``)."""

urlpatterns: list = []
