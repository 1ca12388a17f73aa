# /api/v1/imports/ is routed from the registry (api_prefix "imports", ImportJobViewSet), with the
# actions imports/{id}/commit/ and imports/templates/{kind}/.
urlpatterns = []
