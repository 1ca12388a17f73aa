"""Account pages."""

from django.db import connection

from yingji.framework.roles import Role


def test_user_list_page_queries_do_not_grow_with_rows(region, make_user, client):
    from django.test.utils import CaptureQueriesContext

    admin = make_user(username="lister")
    client.force_login(admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/accounts/users/").status_code == 200
        return len(queries.captured_queries)

    before = count()
    for i in range(5):
        make_user(Role.GRID_WORKER, username=f"extra{i}", place=region["village000"])
    assert count() == before
