from yingji.framework.views import object_urls
from yingji.orgs.models import Committee, CommitteeMembership, Department, Enterprise, Intermediary

app_name = "orgs"
urlpatterns = [
    *object_urls(Enterprise),
    *object_urls(Department),
    *object_urls(Committee),
    *object_urls(CommitteeMembership),
    *object_urls(Intermediary),
]
