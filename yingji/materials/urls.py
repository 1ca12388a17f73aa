from django.urls import path

from yingji.framework.views import ObjectDetailView, ObjectListView, object_urls
from yingji.materials import views
from yingji.materials.models import Item, LedgerEntry, Movement, Reserve, Stock, Warehouse

app_name = "materials"
urlpatterns = [
    *object_urls(Item),
    *object_urls(Warehouse, detail_view=views.WarehouseDetailView),
    *object_urls(Reserve),
    # stock, documents and the ledger change only through the movement services: list and detail
    path("stocks/", ObjectListView.as_view(model=Stock), name="stock_list"),
    path("stocks/<int:pk>/", views.StockDetailView.as_view(model=Stock), name="stock_detail"),
    path("movements/", views.MovementListView.as_view(model=Movement), name="movement_list"),
    path("movements/<int:pk>/", views.MovementDetailView.as_view(model=Movement), name="movement_detail"),
    path(
        "movements/<int:pk>/<slug:step>/",
        views.transfer_step,
        name="transfer_step",
    ),
    path("ledgerentries/", ObjectListView.as_view(model=LedgerEntry), name="ledgerentry_list"),
    path("ledgerentries/<int:pk>/", ObjectDetailView.as_view(model=LedgerEntry), name="ledgerentry_detail"),
    path("receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("issue/", views.IssueView.as_view(), name="issue"),
    path("transfer/", views.TransferRequestView.as_view(), name="transfer"),
    path("stocktake/", views.StocktakeView.as_view(), name="stocktake"),
    path("scrap/", views.ScrapView.as_view(), name="scrap"),
    path("rotation/", views.RotationView.as_view(), name="rotation"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
    path("expiring/", views.ExpiringView.as_view(), name="expiring"),
]
