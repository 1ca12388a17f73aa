import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from yingji.framework.roles import Role


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Photos go to a throwaway media root; rate-limit counters start from zero."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def photo(name="scene.jpg", fmt="JPEG", size=(40, 30)):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world(region, make_department, make_user):
    """The county-0 emergency bureau (where reports of county 0 go), officers and other roles."""
    bureau0 = make_department(place=region["county0"], kind="emergency", name="崇川区应急管理局")
    bureau1 = make_department(place=region["county1"], kind="emergency", name="通州区应急管理局")
    housing = make_department(place=region["county0"], kind="industry", name="崇川区住建局")
    return {
        "region": region,
        "bureau0": bureau0,
        "bureau1": bureau1,
        "housing": housing,
        "officer": make_user(Role.BUREAU_OFFICER, place=region["county0"]),
        "town_officer": make_user(Role.BUREAU_OFFICER, place=region["town00"]),
        "other_officer": make_user(Role.BUREAU_OFFICER, place=region["county1"]),
        "dept_officer": make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=bureau0),
        "housing_officer": make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=housing),
        "enforcer": make_user(Role.ENFORCEMENT_OFFICER, place=region["county0"]),
        "leader": make_user(Role.LEADER, place=region["city"]),
        "grid": make_user(Role.GRID_WORKER, place=region["village000"]),
    }


#: a point inside village000 (town 0 of county 0, lower half)
INSIDE = {"longitude": "120.05", "latitude": "32.02"}


@pytest.fixture
def submit():
    """``submit(**fields)`` → a report filed through the service as the public would."""
    from yingji.reports import services

    def factory(**fields):
        fields.setdefault("kind", "hazard")
        fields.setdefault("title", "仓库违规存放液化气瓶")
        fields.setdefault("description", "某仓库内堆放二十余只液化气瓶，无通风。")
        fields.setdefault("longitude", 120.05)
        fields.setdefault("latitude", 32.02)
        return services.submit_public_report(**fields)

    return factory
