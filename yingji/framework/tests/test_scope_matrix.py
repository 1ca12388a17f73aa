"""The scope matrix: for every registered object type, through the API and through the pages,
an object outside the user's scope is neither listed, nor readable, nor writable — and one inside
is. A meta-test makes sure no registered type escapes the matrix.

Each spec builds an object whose scope place is a given village (`make`), and optionally a create
payload and a harmless patch for the API. Domain apps keep their specs beside their tests, in
``yingji/<app>/tests/scope_specs.py`` (``SPECS`` and ``EXEMPT`` dicts), merged in below.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from yingji.accounts.models import Person, RoleAssignment, User
from yingji.audit.models import ObjectChange
from yingji.framework import registry
from yingji.framework.roles import Role
from yingji.orgs.models import Committee, CommitteeMembership, Department, Enterprise, Intermediary
from yingji.places.models import Place

_n = iter(range(1, 10**6))


def _uscc():
    from yingji.conftest import new_uscc

    return new_uscc()


def _enterprise(place):
    return Enterprise.objects.create(name=f"企业{next(_n)}", uscc=_uscc(), industry="26", place=place)


def _department(place):
    return Department.objects.create(name=f"部门{next(_n)}", place=place)


def _committee(place):
    return Committee.objects.create(name=f"安委会{next(_n)}", kind="safety", place=place)


def _person(place):
    return Person.objects.create(name=f"人员{next(_n)}", place=place, mobile="13812345678")


def _user(place):
    return User.objects.create_user(f"user{next(_n)}", person=_person(place))


def _audit_entry(place):
    _enterprise(place)  # creating it writes a change-log entry placed at `place`
    return ObjectChange.objects.filter(place=place).latest("id")


def _deadline(place):
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from yingji.deadlines.models import Deadline

    enterprise = _enterprise(place)
    now = timezone.now()
    return Deadline.objects.create(
        content_type=ContentType.objects.get_for_model(Enterprise),
        object_id=str(enterprise.pk),
        rule="matrix.test",
        title=f"期限{next(_n)}",
        start_at=now,
        due_at=now + dt.timedelta(days=3),
        place=place,
        enterprise=enterprise,
    )


def _message(place):
    from yingji.messaging.models import Message

    return Message.objects.create(subject=f"消息{next(_n)}", place=place)


def _delivery(place):
    from yingji.messaging.models import Delivery

    return Delivery.objects.create(
        message=_message(place),
        channel="sms",
        address=f"139{next(_n):08d}",
        person=_person(place),
        place=place,
    )


def _import_job(place):
    from yingji.exchange.models import ImportJob

    return ImportJob.objects.create(
        kind="enterprises", file="imports/matrix.xlsx", created_by=_user(place), place=place
    )


SPECS = {
    "deadlines.deadline": {"make": _deadline},
    "places.place": {
        "make": lambda place: Place.objects.create(
            code=place.code[:9] + f"{next(_n) % 700 + 300:03d}",
            name=f"新村{next(_n)}",
            level="village",
            parent=place.parent,
        ),
        "patch": {"population": 4321},
    },
    "orgs.enterprise": {
        "make": _enterprise,
        "create": lambda place: {
            "name": f"新企业{next(_n)}",
            "uscc": _uscc(),
            "industry": "33",
            "place": place.code,
        },
        "patch": {"employees": 77},
    },
    "orgs.department": {
        "make": _department,
        "create": lambda place: {"name": f"新部门{next(_n)}", "place": place.code},
        "patch": {"short_name": "简称"},
    },
    "orgs.committee": {
        "make": _committee,
        "create": lambda place: {"name": f"新委员会{next(_n)}", "kind": "special", "place": place.code},
        "patch": {"remit": "危险化学品"},
    },
    "orgs.committeemembership": {
        "make": lambda place: CommitteeMembership.objects.create(
            committee=_committee(place), department=_department(place)
        ),
        "patch": {"role": "chair"},
    },
    "orgs.intermediary": {
        "make": lambda place: Intermediary.objects.create(
            name=f"机构{next(_n)}", uscc=_uscc(), kind="testing", place=place
        ),
        "create": lambda place: {
            "name": f"新机构{next(_n)}",
            "uscc": _uscc(),
            "kind": "evaluation",
            "place": place.code,
        },
        "patch": {"qualification_no": "APJ-001"},
    },
    "accounts.person": {
        "make": _person,
        "create": lambda place: {"name": f"新人员{next(_n)}", "place": place.code, "mobile": "13900001111"},
        "patch": {"position": "站长"},
    },
    "accounts.user": {"make": _user},
    "accounts.roleassignment": {
        "make": lambda place: RoleAssignment.objects.create(
            user=_user(place), role=Role.GRID_WORKER, place=place
        ),
    },
    "audit.objectchange": {"make": _audit_entry},
    "messaging.message": {"make": _message},
    "messaging.delivery": {"make": _delivery},
    "exchange.importjob": {"make": _import_job},
}

#: Types that are deliberately outside this matrix, with the reason.
EXEMPT: dict[str, str] = {
    "deadlines.calendarday": "the national holiday calendar has no place: only platform administrators "
    "(global scope) read or write it; covered by yingji/deadlines/tests",
}


def _collect_app_specs() -> None:
    """Merge ``SPECS``/``EXEMPT`` of every installed yingji app's ``tests/scope_specs.py``."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("yingji."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.scope_specs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.scope_specs" and exc.name != f"{config.name}.tests":
                raise
            continue
        clash = (set(module.SPECS) | set(module.EXEMPT)) & (set(SPECS) | set(EXEMPT))
        assert not clash, f"scope specs defined twice: {clash}"
        SPECS.update(module.SPECS)
        EXEMPT.update(module.EXEMPT)


_collect_app_specs()


def api_types():
    return [t for t in registry.all_types() if t.viewset is not None and t.api_prefix]


def test_every_registered_type_is_in_the_matrix():
    missing = [t.label for t in registry.all_types() if t.label not in SPECS and t.label not in EXEMPT]
    assert missing == [], f"add a scope spec (or an exemption with a reason) for: {missing}"


@pytest.fixture
def town_officer(make_user, region):
    """A bureau officer of town 0 of county 0: sees villages 000 and 001, not county 1."""
    return make_user(Role.BUREAU_OFFICER, place=region["town00"])


def _api_url(otype, pk=None):
    return f"/api/v1/{otype.api_prefix}/" + (f"{pk}/" if pk else "")


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("label", sorted(SPECS))
def test_api_lists_and_reads_only_in_scope(label, region, town_officer, api):
    otype = registry.get(label)
    inside = SPECS[label]["make"](region["village000"])
    outside = SPECS[label]["make"](region["village100"])
    client = api(town_officer)
    listed = client.get(_api_url(otype), {"page_size": 500})
    assert listed.status_code == 200, listed.content
    assert inside.pk in _ids(listed)
    assert outside.pk not in _ids(listed)
    assert client.get(_api_url(otype, inside.pk)).status_code == 200
    denied = client.get(_api_url(otype, outside.pk))
    assert denied.status_code == 404
    assert denied.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("label", sorted(SPECS))
def test_api_refuses_anonymous(label, region, api):
    response = api().get(_api_url(registry.get(label)))
    assert response.status_code in (401, 403)
    assert "error" in response.json()


@pytest.mark.parametrize("label", sorted(k for k, v in SPECS.items() if "patch" in v))
def test_api_writes_only_in_scope(label, region, town_officer, api, make_user):
    otype = registry.get(label)
    spec = SPECS[label]
    inside = spec["make"](region["village000"])
    outside = spec["make"](region["village100"])
    # the town officer's role may or may not change this kind; an admin always may
    client = api(town_officer)
    for method in ("patch", "delete"):
        response = getattr(client, method)(_api_url(otype, outside.pk), spec["patch"], format="json")
        assert response.status_code in (403, 404), (method, response.content)
        assert type(outside).objects.filter(pk=outside.pk).exists()
    response = client.patch(_api_url(otype, inside.pk), spec["patch"], format="json")
    from yingji.framework.access import can

    if can(town_officer, "change", otype.model):
        assert response.status_code == 200, response.content
        inside.refresh_from_db()
        field, value = next(iter(spec["patch"].items()))
        assert getattr(inside, field) == value
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("label", sorted(k for k, v in SPECS.items() if "create" in v))
def test_api_creates_only_in_scope(label, region, town_officer, api):
    otype = registry.get(label)
    spec = SPECS[label]
    client = api(town_officer)
    before = otype.model.objects.count()
    refused = client.post(_api_url(otype), spec["create"](region["village100"]), format="json")
    assert refused.status_code == 403, refused.content
    assert refused.json()["error"]["code"] == "out_of_scope"
    assert otype.model.objects.count() == before
    created = client.post(_api_url(otype), spec["create"](region["village000"]), format="json")
    assert created.status_code == 201, created.content
    assert otype.model.objects.count() == before + 1


def _page(otype, kind, *args):
    try:
        return reverse(f"{otype.url_base}_{kind}", args=args)
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("label", sorted(SPECS))
def test_pages_list_and_show_only_in_scope(label, region, town_officer, client):
    otype = registry.get(label)
    inside = SPECS[label]["make"](region["village000"])
    outside = SPECS[label]["make"](region["village100"])
    client.force_login(town_officer)
    listing = client.get(_page(otype, "list"), {"per_page": 500})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert inside.get_absolute_url() in html
    assert outside.get_absolute_url() not in html
    assert client.get(inside.get_absolute_url()).status_code == 200
    assert client.get(outside.get_absolute_url()).status_code == 404
    edit = _page(otype, "edit", outside.pk)
    if edit:
        assert client.get(edit).status_code in (403, 404)
        assert client.post(edit, {}).status_code in (403, 404)
    delete = _page(otype, "delete", outside.pk)
    if delete:
        assert client.post(delete).status_code in (403, 404)
        assert type(outside).objects.filter(pk=outside.pk).exists()


@pytest.mark.parametrize("label", sorted(SPECS))
def test_export_contains_only_in_scope(label, region, town_officer, client):
    import io

    from openpyxl import load_workbook

    otype = registry.get(label)
    SPECS[label]["make"](region["village000"])
    SPECS[label]["make"](region["village100"])
    client.force_login(town_officer)
    response = client.get(_page(otype, "list"), {"export": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    data_rows = [
        row for row in sheet.iter_rows(min_row=2, values_only=True) if any(c is not None for c in row)
    ]
    visible = otype.model.objects.visible_to(town_officer).count()
    assert len(data_rows) == visible
    assert visible < otype.model.objects.count()


def test_global_search_finds_only_in_scope(region, town_officer, client, make_enterprise):
    inside = make_enterprise(name="搜索目标甲", place=region["village000"])
    outside = make_enterprise(name="搜索目标乙", place=region["village100"])
    client.force_login(town_officer)
    html = client.get("/search/", {"q": "搜索目标"}).content.decode()
    assert inside.get_absolute_url() in html
    assert outside.get_absolute_url() not in html
