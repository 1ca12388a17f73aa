"""API routes of fan-out and call-and-respond (叫应)."""

urlpatterns: list = []
