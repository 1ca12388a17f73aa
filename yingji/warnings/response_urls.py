"""Routes of fan-out coverage and call-and-respond (叫应) pages, kept apart from the warning pages."""

urlpatterns: list = []
