from yingji.hazards import stats_urls

app_name = "hazards"
urlpatterns: list = [
    *stats_urls.urlpatterns,
]
