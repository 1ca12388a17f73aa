from django.urls import path

from yingji.framework.views import object_urls
from yingji.risks import views
from yingji.risks.models import (
    ControlMeasure,
    RegionRisk,
    RegionRiskMeasure,
    RiskPoint,
    RiskProfile,
    RiskReport,
)

app_name = "risks"
urlpatterns = [
    *object_urls(RiskPoint, detail_view=views.RiskPointDetailView, delete_view=views.RiskPointDeleteView),
    *object_urls(ControlMeasure),
    *object_urls(RiskProfile, detail_view=views.RiskProfileDetailView),
    path("riskreports/status/", views.ReportStatusView.as_view(), name="report_status"),
    *object_urls(RiskReport),
    *object_urls(RegionRisk, detail_view=views.RegionRiskDetailView),
    *object_urls(RegionRiskMeasure),
    path("riskprofiles/<int:pk>/site-plan/", views.SitePlanView.as_view(), name="riskprofile_siteplan"),
    path(
        "riskprofiles/<int:pk>/site-plan/upload/",
        views.SitePlanUploadView.as_view(),
        name="riskprofile_siteplan_upload",
    ),
    path("riskprofiles/<int:pk>/place/", views.PlacePointView.as_view(), name="riskprofile_place"),
    path("riskprofiles/<int:pk>/recompute/", views.RecomputeView.as_view(), name="riskprofile_recompute"),
    path("riskprofiles/<int:pk>/export/", views.ListExportView.as_view(), name="riskprofile_export"),
    path("riskprofiles/<int:pk>/cards/", views.CardsView.as_view(), name="riskprofile_cards"),
    path(
        "enterprises/<int:enterprise_pk>/", views.EnterpriseProfileView.as_view(), name="enterprise_profile"
    ),
]
