"""Special API routes of materials under /api/v1/materials/; its view sets are routed from the registry."""

from django.urls import path

from yingji.materials.api import views

urlpatterns = [
    path("materials/receipts/", views.ReceiptView.as_view(), name="materials-receipt"),
    path("materials/issues/", views.IssueView.as_view(), name="materials-issue"),
    path("materials/transfers/", views.TransferView.as_view(), name="materials-transfer"),
    path("materials/stocktakes/", views.StocktakeView.as_view(), name="materials-stocktake"),
    path("materials/scraps/", views.ScrapView.as_view(), name="materials-scrap"),
    path("materials/rotations/", views.RotationView.as_view(), name="materials-rotation"),
    path("materials/balance/", views.BalanceView.as_view(), name="materials-balance"),
    path("materials/available/", views.AvailableView.as_view(), name="materials-available"),
]
