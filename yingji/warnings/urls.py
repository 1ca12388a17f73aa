from yingji.warnings import response_urls

app_name = "warnings"
urlpatterns: list = [
    *response_urls.urlpatterns,
]
