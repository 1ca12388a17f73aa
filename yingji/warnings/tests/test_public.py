"""The public side: active-warning page, Atom feed, subscriptions (code, rate limit, unsubscribe, masking)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from lxml import etree

from yingji.framework.roles import Role
from yingji.messaging.models import Delivery
from yingji.warnings import cap, lifecycle
from yingji.warnings.models import Subscription

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def mix(make_warning, publish_now, officers):
    """An active warning, a draft, a cancelled one (and its Cancel notice) and one about to expire."""
    now = timezone.now()
    active = publish_now(make_warning(headline="生效中的暴雨预警", warning_type="rainstorm", level="orange"))
    draft = make_warning(headline="草稿中的预警")
    cancelled = publish_now(make_warning(headline="已解除的预警"))
    notice = lifecycle.cancel(cancelled, actor=officers["duty"])
    soon = publish_now(make_warning(headline="即将过期的预警", expires_at=now + dt.timedelta(hours=1)))
    return {"active": active, "draft": draft, "cancelled": cancelled, "notice": notice, "soon": soon}


def test_public_page_lists_only_active_warnings(client, mix):
    html = client.get("/warnings/public/").content.decode()
    assert "生效中的暴雨预警" in html and "即将过期的预警" in html
    assert "草稿中的预警" not in html
    assert f"/warnings/public/{mix['active'].pk}/cap.xml" in html
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        html = client.get("/warnings/public/").content.decode()
    assert "即将过期的预警" not in html and "生效中的暴雨预警" in html


def test_atom_feed_parses_and_links_cap(client, mix):
    response = client.get("/warnings/public/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert feed.find(required, ATOM) is not None, required
    entries = feed.findall("a:entry", ATOM)
    titles = {e.findtext("a:title", namespaces=ATOM) for e in entries}
    # the active ones; the Cancel notice is published too (it tells the public the warning was lifted)
    assert titles == {"生效中的暴雨预警", "即将过期的预警", mix["notice"].headline}
    for entry in entries:
        assert entry.findtext("a:id", namespaces=ATOM) and entry.findtext("a:updated", namespaces=ATOM)
        link = entry.find("a:link[@rel='alternate']", ATOM)
        assert link.get("type") == "application/cap+xml"
        document = client.get(link.get("href").replace("http://testserver", "")).content
        assert cap.validate_cap(document) == []


def test_subscription_with_code(client, region):
    response = client.post(
        "/warnings/public/subscribe/",
        {"place": region["town00"].pk, "channel": "sms", "address": "13912345678", "name": "王女士"},
    )
    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert not sub.confirmed and sub.active and len(sub.confirm_code) == 6
    delivery = Delivery.objects.get(address="13912345678")
    assert sub.confirm_code in delivery.message.subject and delivery.channel == "sms"
    confirm_url = response["Location"]
    assert sub.token in confirm_url
    wrong = "000000" if sub.confirm_code != "000000" else "111111"
    assert "确认码不正确" in client.post(confirm_url, {"code": wrong}).content.decode()
    sub.refresh_from_db()
    assert not sub.confirmed
    assert client.post(confirm_url, {"code": sub.confirm_code}).status_code == 302
    sub.refresh_from_db()
    assert sub.confirmed and sub.confirmed_at is not None
    client.post(f"/warnings/public/unsubscribe/{sub.token}/")
    sub.refresh_from_db()
    assert not sub.active


def test_bad_mobile_and_rate_limit(client, region):
    bad = client.post(
        "/warnings/public/subscribe/", {"place": region["town00"].pk, "channel": "sms", "address": "123"}
    )
    assert bad.status_code == 200 and "手机号码格式不正确" in bad.content.decode()
    for i in range(4):  # the bad one counted too: 5 per hour
        ok = client.post(
            "/warnings/public/subscribe/",
            {"place": region["town00"].pk, "channel": "sms", "address": f"1391234{i:04d}"},
        )
        assert ok.status_code == 302
    limited = client.post(
        "/warnings/public/subscribe/",
        {"place": region["town00"].pk, "channel": "sms", "address": "13912349999"},
    )
    assert limited.status_code == 429 and "请求过于频繁" in limited.content.decode()
    assert Subscription.objects.count() == 4
    other_ip = client.post(
        "/warnings/public/subscribe/",
        {"place": region["town00"].pk, "channel": "sms", "address": "13912349999"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other_ip.status_code == 302


def test_five_wrong_codes_block(client, region):
    client.post(
        "/warnings/public/subscribe/",
        {"place": region["town00"].pk, "channel": "sms", "address": "13912345678"},
    )
    sub = Subscription.objects.get()
    wrong = "000000" if sub.confirm_code != "000000" else "111111"
    url = f"/warnings/public/subscribe/{sub.token}/confirm/"
    for _ in range(5):
        client.post(url, {"code": wrong})
    assert "错误次数过多" in client.post(url, {"code": sub.confirm_code}).content.decode()
    sub.refresh_from_db()
    assert not sub.confirmed


def test_subscriber_mobiles_are_masked_without_clearance(client, api, region, make_user):
    Subscription.objects.create(
        place=region["village000"], channel="sms", address="13912345678", confirm_code="1"
    )
    leader = make_user(Role.LEADER, place=region["town00"])
    data = api(leader).get("/api/v1/warning-subscriptions/").json()["results"]
    assert data[0]["address"] == "139****5678"
    client.force_login(leader)
    html = client.get("/warnings/subscriptions/").content.decode()
    assert "139****5678" in html and "13912345678" not in html
