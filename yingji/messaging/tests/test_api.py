"""API: my notifications only, scoped deliveries, sending with input validation in the one error shape."""

from django.contrib.contenttypes.models import ContentType

from yingji.audit.models import ObjectChange
from yingji.framework.roles import Role
from yingji.messaging import services
from yingji.messaging.models import Message, Notification


def test_notifications_are_mine_only(api, region, make_user, committed):
    admin = make_user()
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    with committed():
        services.notify(actor=admin, subject="给网格员", users=[worker])
        services.notify(actor=admin, subject="给干部", users=[officer])
    client = api(worker)
    data = client.get("/api/v1/notifications/").json()
    assert [n["subject"] for n in data["results"]] == ["给网格员"]
    assert data["results"][0]["is_read"] is False and data["results"][0]["sender"] == admin.username
    theirs = Notification.objects.get(recipient=officer)
    response = client.get(f"/api/v1/notifications/{theirs.pk}/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_read_through_the_api(api, region, make_user, committed):
    admin = make_user()
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    with committed():
        services.notify(actor=admin, subject="一", users=[worker])
        services.notify(actor=admin, subject="二", users=[worker])
    client = api(worker)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 2}
    mine = Notification.objects.get(message__subject="一")
    response = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert [n["subject"] for n in client.get("/api/v1/notifications/?unread=true").json()["results"]] == [
        "二"
    ]
    assert client.post("/api/v1/notifications/read-all/").json() == {"updated": 1}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 0}


def test_deliveries_are_scoped_and_read_only(api, region, make_user, make_person):
    admin = make_user()
    officer = make_user(Role.DUTY_OFFICER, place=region["town00"])
    mine = make_person(place=region["village000"])
    theirs = make_person(place=region["village110"])
    message = services.notify(actor=admin, subject="通知", persons=[mine, theirs], channels=["sms"])
    client = api(officer)
    data = client.get("/api/v1/deliveries/").json()
    assert [d["person"] for d in data["results"]] == [mine.pk]
    assert data["results"][0]["place"] == region["village000"].code
    other = message.deliveries.get(person=theirs)
    assert client.get(f"/api/v1/deliveries/{other.pk}/").status_code == 404
    assert client.get("/api/v1/deliveries/?status=failed").json()["count"] == 0
    assert client.post("/api/v1/deliveries/", {}, format="json").status_code == 403  # no "add" right
    assert api(admin).post("/api/v1/deliveries/", {}, format="json").status_code == 405  # read-only
    grid = make_user(Role.GRID_WORKER, place=region["village000"])
    assert api(grid).get("/api/v1/deliveries/").status_code == 403


def test_send_through_the_api(api, region, make_user, make_person, committed):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    make_person(user=worker, place=region["village000"], mobile="")  # users are in scope by their person
    person = make_person(place=region["village010"], mobile="13600000001")
    with committed():
        response = api(officer).post(
            "/api/v1/messages/",
            {
                "subject": "橙色预警",
                "body": "请立即转移",
                "users": [worker.pk],
                "persons": [person.pk],
                "places": [region["village010"].code],
                "channels": ["inapp", "sms", "broadcast"],
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["subject"] == "橙色预警" and body["sender"] == officer.username
    # inapp → worker; sms → person; broadcast → village; failed: person has no account, worker no mobile
    message = Message.objects.get(pk=body["id"])
    assert sorted(message.deliveries.values_list("channel", "status")) == [
        ("broadcast", "sent"),
        ("inapp", "failed"),
        ("inapp", "sent"),
        ("sms", "failed"),
        ("sms", "sent"),
    ]
    assert body["deliveries"] == {"queued": 3, "sent": 0, "delivered": 0, "failed": 2}  # sent after commit
    assert api(officer).get(f"/api/v1/messages/{message.pk}/").json()["deliveries"] == {
        "queued": 0,
        "sent": 3,
        "delivered": 0,
        "failed": 2,
    }
    entry = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(Message), object_id=str(message.pk)
    )
    assert (entry.action, entry.actor, entry.source) == ("create", officer, "api")
    assert entry.after["subject"] == "橙色预警"


def test_send_validates_input_with_the_error_shape(api, region, make_user, make_person):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    make_person(user=officer, place=region["town00"])
    far = make_person(place=region["village100"])
    client = api(officer)

    error = client.post("/api/v1/messages/", {"body": "无标题", "users": [officer.pk]}, format="json").json()[
        "error"
    ]
    assert error["code"] == "validation_error" and error["fields"]["subject"][0]["code"] == "required"

    error = client.post(
        "/api/v1/messages/", {"subject": "通知", "persons": [far.pk], "channels": ["sms"]}, format="json"
    ).json()["error"]
    assert error["fields"]["persons"][0]["code"] == "does_not_exist"  # out of scope reads as missing

    error = client.post(
        "/api/v1/messages/", {"subject": "通知", "users": [officer.pk], "channels": ["fax"]}, format="json"
    ).json()["error"]
    assert error["fields"]["channels"][0]["code"] == "unknown_channel"
    assert "fax" in error["fields"]["channels"][0]["message"]

    response = client.post("/api/v1/messages/", {"subject": "通知", "channels": ["sms"]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field_errors"][0]["code"] == "no_recipients"

    response = client.post(
        "/api/v1/messages/", {"subject": "通知", "users": [officer.pk], "link": "ftp://x"}, format="json"
    )
    assert (
        response.status_code == 400
        and response.json()["error"]["fields"]["link"][0]["code"] == "invalid_link"
    )
    assert not Message.objects.exists()


def test_roles_without_send_rights_cannot_send(api, region, make_user):
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    response = api(worker).post("/api/v1/messages/", {"subject": "通知", "users": [worker.pk]}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert api().get("/api/v1/notifications/").status_code in (401, 403)


def test_an_enterprise_user_reads_own_notifications(api, region, make_user, make_enterprise, committed):
    enterprise = make_enterprise(place=region["village000"])
    manager = make_user(Role.ENTERPRISE_USER, enterprise=enterprise)  # scoped by enterprise, not by place
    colleague = make_user(Role.ENTERPRISE_USER, enterprise=enterprise)
    with committed():
        services.notify(actor=None, subject="请完成风险辨识", users=[manager, colleague])
    client = api(manager)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [r["subject"] for r in rows] == ["请完成风险辨识"] and len(rows) == 1
    assert client.post(f"/api/v1/notifications/{rows[0]['id']}/read/").json()["is_read"] is True
    theirs = Notification.objects.get(recipient=colleague)
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
