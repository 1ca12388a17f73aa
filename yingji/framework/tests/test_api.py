"""The API's shared behaviour: token sign-in, error shape, masking, schema, health."""

from yingji.framework.roles import Role


def test_token_sign_in_and_use(make_user, api):
    make_user(Role.PLATFORM_ADMIN, username="integrator", password="a-long-password-1")
    response = api().post(
        "/api/v1/auth/token/", {"username": "integrator", "password": "a-long-password-1"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/places/").status_code == 200


def test_wrong_password_and_lockout(make_user, api, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user(username="victim", password="a-long-password-1")
    client = api()
    for _ in range(3):
        r = client.post("/api/v1/auth/token/", {"username": "victim", "password": "nope"}, format="json")
        assert r.json()["error"]["code"] == "invalid_credentials"
    r = client.post(
        "/api/v1/auth/token/", {"username": "victim", "password": "a-long-password-1"}, format="json"
    )
    assert r.status_code == 429 and r.json()["error"]["code"] == "login_locked"


def test_validation_errors_share_one_shape_with_field_codes(region, make_user, api):
    client = api(make_user())
    r = client.post(
        "/api/v1/enterprises/",
        {"name": "", "uscc": "91350100M000100Y42", "industry": "99", "place": region["village000"].code},
        format="json",
    )
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    fields = error["fields"]
    assert {"name", "uscc", "industry"} <= set(fields)
    assert fields["uscc"][0]["code"] == "uscc_checksum"
    assert "校验" in fields["uscc"][0]["message"]


def test_unknown_place_code_is_a_field_error(region, make_user, api):
    from yingji.conftest import new_uscc

    r = api(make_user()).post(
        "/api/v1/enterprises/",
        {"name": "甲", "uscc": new_uscc(), "industry": "26", "place": "999999999999"},
        format="json",
    )
    assert r.status_code == 400 and "place" in r.json()["error"]["fields"]


def test_enterprise_place_is_derived_from_location(region, make_user, api):
    from yingji.conftest import new_uscc

    client = api(make_user())
    r = client.post(
        "/api/v1/enterprises/",
        {"name": "定位企业", "uscc": new_uscc(), "industry": "26", "longitude": 121.15, "latitude": 32.07},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["place"] == region["village111"].code
    r = client.post(
        "/api/v1/enterprises/",
        {"name": "海上企业", "uscc": new_uscc(), "industry": "26", "longitude": 125.0, "latitude": 35.0},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["longitude"][0]["code"] == "location_outside"


def test_deleting_a_referenced_place_is_a_conflict_not_a_500(region, make_user, api):
    r = api(make_user()).delete(f"/api/v1/places/{region['town00'].pk}/")
    assert r.status_code == 409 and r.json()["error"]["code"] == "protected"


def test_personal_data_masked_without_clearance(region, make_user, api):
    from yingji.accounts.models import Person

    person = Person.objects.create(
        name="李四", place=region["village000"], mobile="13812345678", id_number="11010519491231002X"
    )
    grid = make_user(Role.GRID_WORKER, place=region["town00"])
    data = api(grid).get(f"/api/v1/persons/{person.pk}/").json()
    assert data["mobile"] == "138****5678" and data["id_number"] == "110105********002X"
    duty = make_user(Role.DUTY_OFFICER, place=region["city"])
    assert api(duty).get(f"/api/v1/persons/{person.pk}/").json()["mobile"] == "13812345678"


def test_masked_value_sent_back_does_not_overwrite(region, make_user, api):
    from yingji.accounts.models import Person

    person = Person.objects.create(name="王五", place=region["village000"], mobile="13812345678")
    owner = make_user(Role.DEPARTMENT_OFFICER, place=region["town00"])  # may change persons, no clearance
    client = api(owner)
    shown = client.get(f"/api/v1/persons/{person.pk}/").json()
    r = client.put(f"/api/v1/persons/{person.pk}/", {**shown, "position": "村主任"}, format="json")
    assert r.status_code == 200, r.content
    person.refresh_from_db()
    assert person.mobile == "13812345678" and person.position == "村主任"


def test_users_endpoint_lists_role_assignments_with_place_codes(region, make_user, api):
    officer = make_user(Role.BUREAU_OFFICER, username="town", place=region["town00"])
    rows = api(make_user()).get("/api/v1/users/", {"page_size": 100}).json()["results"]
    row = next(r for r in rows if r["username"] == "town")
    assert row["id"] == officer.pk
    assert row["role_assignments"] == [
        {
            "id": officer.role_assignments.get().pk,
            "role": "bureau_officer",
            "place": region["town00"].code,
            "enterprise": None,
            "department": None,
        }
    ]


def test_schema_docs_and_health(client, db):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["database"]["ok"] and health["queue"]["ok"]


def test_a_date_time_off_the_calendar_is_a_field_error_in_every_api(region, make_user, api):
    """A naive time near year 1 leaves the calendar when DRF converts it to UTC: a 400 naming the
    field, for every model serializer (here the incidents API), never a 500."""
    r = api(make_user()).post(
        "/api/v1/incidents/",
        {
            "title": "测试",
            "event_type": "fire",
            "place": region["village000"].code,
            "occurred_at": "0001-01-01T00:00",
        },
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["occurred_at"][0]["code"] == "overflow"
