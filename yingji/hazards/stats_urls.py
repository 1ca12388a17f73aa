"""Routes of the hazard statistics dashboard (``hazards:stats``), kept apart from the workflow pages."""

urlpatterns: list = []
