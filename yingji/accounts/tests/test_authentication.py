"""Token authentication: one query for token, user and role assignments, same answers as DRF's."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from yingji.framework.roles import Role


def test_token_user_and_assignments_in_one_query(region, make_user, api, make_enterprise):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    from yingji.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=officer, role=Role.GRID_WORKER, place=region["village100"])
    inside = make_enterprise(place=region["village000"])
    other = make_enterprise(place=region["village100"])
    elsewhere = make_enterprise(place=region["village110"])
    client = api(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/enterprises/", {"page_size": 100})
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {inside.pk, other.pk} and elsewhere.pk not in ids
    assert sum("role" in q["sql"] and "authtoken" in q["sql"] for q in queries.captured_queries) == 1
    assert not any(
        q["sql"].lstrip().upper().startswith("SELECT")
        and "accounts_roleassignment" in q["sql"]
        and "authtoken" not in q["sql"]
        for q in queries.captured_queries
    )


def test_role_changes_apply_on_the_next_request(region, make_user, api, make_enterprise):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    enterprise = make_enterprise(place=region["village000"])
    client = api(officer)
    assert client.get(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 200
    officer.role_assignments.all().delete()
    assert client.get(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 403


def test_invalid_token_and_inactive_user(make_user, api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/places/")
    assert response.status_code == 401 and response.json()["error"]["code"] == "authentication_failed"
    user = make_user()
    client = api(user)
    user.is_active = False
    user.save()
    response = client.get("/api/v1/places/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_the_acting_user_is_recorded_for_token_writes(region, make_user, api):
    from yingji.audit.models import ObjectChange

    admin = make_user(username="token-writer")
    response = api(admin).patch(
        f"/api/v1/places/{region['village000'].pk}/", {"population": 1234}, format="json"
    )
    assert response.status_code == 200
    entry = ObjectChange.objects.filter(object_id=str(region["village000"].pk)).latest("id")
    assert (entry.actor_id, entry.actor_name, entry.source) == (admin.pk, "token-writer", "api")
