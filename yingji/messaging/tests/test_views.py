"""Pages: the inbox with HTMX mark-read, opening a notification, the send form, delivery lists in scope."""

from django.urls import reverse

from yingji.framework.roles import Role
from yingji.messaging import services
from yingji.messaging.models import Delivery, Message, Notification


def _login(client, user):
    client.force_login(user)
    return client


def test_inbox_lists_my_notifications_unread_first(client, region, make_user, committed):
    admin = make_user()
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    other = make_user(Role.GRID_WORKER, place=region["village000"])
    with committed():
        old = services.notify(actor=admin, subject="旧消息", users=[worker])
        services.notify(actor=admin, subject="新消息", users=[worker])
        services.notify(actor=admin, subject="别人的消息", users=[other])
    services.mark_read(Notification.objects.get(message=old), actor=worker)
    page = _login(client, worker).get(reverse("messaging:inbox"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("新消息") < html.index("旧消息")
    assert "别人的消息" not in html
    assert 'id="unread-count"' in html  # the bell shows 1 unread
    unread = client.get(reverse("messaging:inbox") + "?unread=1").content.decode()
    assert "新消息" in unread and "旧消息" not in unread


def test_mark_read_with_htmx_updates_the_item_and_the_bell(client, region, make_user, committed):
    admin = make_user()
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    with committed():
        services.notify(actor=admin, subject="请确认", users=[worker])
        services.notify(actor=admin, subject="再确认", users=[worker])
    n = Notification.objects.get(message__subject="请确认")
    _login(client, worker)
    response = client.post(reverse("messaging:notification_read", args=[n.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{n.pk}"' in html and "未读" not in html.split('id="unread-count"')[0]
    assert 'id="unread-count" hx-swap-oob="true">1<' in html
    assert services.unread_count(worker) == 1

    response = client.post(
        reverse("messaging:notification_read_all"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-list"
    )
    assert response.status_code == 200 and 'id="inbox-list"' in response.content.decode()
    assert services.unread_count(worker) == 0


def test_someone_elses_notification_is_not_found(client, region, make_user, committed):
    admin = make_user()
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    neighbour = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    with committed():
        services.notify(actor=admin, subject="私信", users=[worker])
    n = Notification.objects.get()
    _login(client, neighbour)  # an officer whose scope covers the worker's village
    assert client.get(reverse("messaging:notification_open", args=[n.pk])).status_code == 404
    assert client.post(reverse("messaging:notification_read", args=[n.pk])).status_code == 404
    assert Notification.objects.get().read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, region, make_user, committed):
    admin = make_user()
    with committed():
        services.notify(actor=admin, subject="查看企业", users=[admin], link="/orgs/enterprises/")
        services.notify(actor=admin, subject="外部链接", users=[admin], link="https://evil.example/")
    n = Notification.objects.get(message__subject="查看企业")
    _login(client, admin)
    response = client.get(reverse("messaging:notification_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/orgs/enterprises/"
    n.refresh_from_db()
    assert n.read_at is not None
    external = Notification.objects.get(message__subject="外部链接")
    response = client.get(reverse("messaging:notification_open", args=[external.pk]))
    assert response.status_code == 200 and "外部链接" in response.content.decode()  # no open redirect


def test_officer_sends_a_message_from_the_form(client, region, make_user, make_person, committed):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    make_person(user=worker, place=region["village000"], mobile="")
    person = make_person(place=region["village001"], mobile="13900001111")
    _login(client, officer)
    assert client.get(reverse("messaging:message_send")).status_code == 200
    with committed():
        response = client.post(
            reverse("messaging:message_send"),
            {
                "subject": "防汛值守",
                "body": "今晚加强值守",
                "category": "general",
                "channels": ["inapp", "sms"],
                "users": [worker.pk],
                "persons": [person.pk],
            },
        )
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == message.get_absolute_url()
    assert sorted(message.deliveries.values_list("channel", "address", "status")) == [
        ("inapp", "", "failed"),
        ("inapp", f"user:{worker.pk}", "sent"),
        ("sms", "", "failed"),
        ("sms", "13900001111", "sent"),
    ]
    assert services.unread_count(worker) == 1
    detail = client.get(message.get_absolute_url())
    assert detail.status_code == 200 and "13900001111" in detail.content.decode()


def test_send_form_rejects_out_of_scope_and_empty_input(client, region, make_user, make_person):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    far_person = make_person(place=region["village100"])
    _login(client, officer)
    response = client.post(
        reverse("messaging:message_send"),
        {"subject": "通知", "category": "general", "channels": ["sms"], "persons": [far_person.pk]},
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    response = client.post(
        reverse("messaging:message_send"), {"subject": "通知", "category": "general", "channels": ["sms"]}
    )
    assert "请至少选择一个接收人" in response.content.decode()
    assert not Message.objects.exists()


def test_roles_without_send_rights_get_403(client, region, make_user):
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    _login(client, worker)
    assert client.get(reverse("messaging:message_send")).status_code == 403
    assert client.get(reverse("messaging:delivery_list")).status_code == 403
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert 'id="send-message"' not in inbox


def test_town_officer_sees_only_deliveries_of_own_town(client, region, make_user, make_person):
    admin = make_user()
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    mine = make_person(place=region["village000"], mobile="13700000001", name="本镇人员")
    theirs = make_person(place=region["village100"], mobile="13700000002", name="外镇人员")
    services.notify(actor=admin, subject="全市通知", persons=[mine, theirs], channels=["sms"])
    _login(client, officer)
    page = client.get(reverse("messaging:delivery_list")).content.decode()
    assert "13700000001" in page and "13700000002" not in page
    other = Delivery.objects.get(person=theirs)
    assert client.get(reverse("messaging:delivery_detail", args=[other.pk])).status_code == 404
    own = Delivery.objects.get(person=mine)
    assert client.get(reverse("messaging:delivery_detail", args=[own.pk])).status_code == 200
    failed = client.get(reverse("messaging:delivery_list") + "?status=failed").content.decode()
    assert "13700000001" not in failed
