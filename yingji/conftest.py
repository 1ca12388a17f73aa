"""Shared test fixtures: a small region tree, organisations, users per role, API clients."""

import pytest
from rest_framework.test import APIClient

from yingji.accounts.models import RoleAssignment, User
from yingji.framework.roles import Role
from yingji.orgs.models import Department, Enterprise
from yingji.places.models import Place
from yingji.utilities.identifiers import make_uscc


def rect(lon0, lat0, lon1, lat1):
    return {
        "type": "Polygon",
        "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]],
    }


@pytest.fixture
def region(db):
    """南通市 → 2 counties → 2 towns each → 2 villages each, with rectangular boundaries.

    Keys: ``city``, ``county{c}``, ``town{c}{t}``, ``village{c}{t}{v}``. Town ``t`` of county ``c``
    covers lon ``120+c + 0.1t`` … ``+0.1``, lat 32.0–32.1; village ``v`` is its lower or upper half.
    """
    city = Place.objects.create(code="320600000000", name="南通市", level="city")
    tree = {"city": city}
    for c, (ccode, cname) in enumerate([("320602", "崇川区"), ("320612", "通州区")]):
        county = Place.objects.create(code=ccode + "000000", name=cname, level="county", parent=city)
        tree[f"county{c}"] = county
        for t in range(2):
            lon = 120.0 + c + 0.1 * t
            town = Place.objects.create(
                code=f"{ccode}{t + 1:03d}000",
                name=f"{cname}{t}镇",
                level="town",
                parent=county,
                boundary=rect(lon, 32.0, lon + 0.1, 32.1),
            )
            tree[f"town{c}{t}"] = town
            for v in range(2):
                tree[f"village{c}{t}{v}"] = Place.objects.create(
                    code=f"{ccode}{t + 1:03d}{v + 201:03d}",
                    name=f"{cname}{t}镇{v}村",
                    level="village",
                    parent=town,
                    boundary=rect(lon, 32.0 + 0.05 * v, lon + 0.1, 32.05 + 0.05 * v),
                    population=1000,
                )
    from yingji.places.services import boundaries_changed

    boundaries_changed()
    return tree


_seq = iter(range(10_000_000, 99_999_999))


def new_uscc() -> str:
    return make_uscc("9", "1", "320600", f"{next(_seq):08d}")


@pytest.fixture
def make_enterprise(region):
    def factory(place=None, **kwargs):
        place = place or region["village000"]
        defaults = {"name": f"企业{next(_seq)}", "uscc": new_uscc(), "industry": "26", "place": place}
        defaults.update(kwargs)
        return Enterprise.objects.create(**defaults)

    return factory


@pytest.fixture
def make_department(region):
    def factory(place=None, **kwargs):
        defaults = {"name": f"部门{next(_seq)}", "place": place or region["county0"]}
        defaults.update(kwargs)
        return Department.objects.create(**defaults)

    return factory


@pytest.fixture
def make_user(db):
    def factory(role=Role.PLATFORM_ADMIN, username=None, password="correct-horse-battery", **scope):
        user = User.objects.create_user(username or f"u{next(_seq)}", password=password)
        if role:
            RoleAssignment.objects.create(user=user, role=role, **scope)
        return user

    return factory


@pytest.fixture
def admin_user_(make_user):
    return make_user(Role.PLATFORM_ADMIN, username="root")


@pytest.fixture
def api(db):
    """``api(user)`` → an APIClient authenticated as that user (token auth, like integrators)."""

    def factory(user=None):
        client = APIClient()
        if user is not None:
            from rest_framework.authtoken.models import Token

            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return factory


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server, settings):
    """A Playwright page in Debian's headless Chromium (never a downloaded browser), at phone or desktop size.

    Use ``browser_page(viewport=...)``; the fixture yields a factory. Install Chromium with
    ``make chromium`` (CI does).
    """
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed: run `make chromium` (CI installs it)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = (
        "true"  # Playwright's sync API runs an event loop in this thread
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        contexts = []

        def factory(viewport=None, accept_downloads=True):
            context = browser.new_context(
                viewport=viewport or {"width": 1280, "height": 900},
                accept_downloads=accept_downloads,
                locale="zh-CN",
            )
            context.set_default_timeout(15_000)
            contexts.append(context)
            page = context.new_page()
            page.base_url = live_server.url
            return page

        yield factory
        for context in contexts:
            context.close()
        browser.close()


def sign_in(page, username, password="correct-horse-battery"):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL: on the embedded SQLite they are skipped, with the reason."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language: a request with another Accept-Language
    activates it for the thread, which must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
