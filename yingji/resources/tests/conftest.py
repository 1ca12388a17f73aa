import pytest


@pytest.fixture(autouse=True)
def fresh_nearest_index():
    """The nearest-search indexes are per process; tests roll the database back under them."""
    from yingji.resources import nearest

    nearest.indexes.clear()
    yield
    nearest.indexes.clear()


@pytest.fixture
def team_factory(region):
    from yingji.resources.models import Team

    seq = iter(range(1, 10**6))

    def make(place=None, **kwargs):
        defaults = {
            "name": f"队伍{next(seq)}",
            "kind": "grassroots",
            "place": place or region["village000"],
            "longitude": 120.05,
            "latitude": 32.02,
            "headcount": 10,
        }
        defaults.update(kwargs)
        return Team.objects.create(**defaults)

    return make


@pytest.fixture
def shelter_factory(region):
    from decimal import Decimal

    from yingji.resources.models import Shelter

    seq = iter(range(1, 10**6))

    def make(place=None, **kwargs):
        defaults = {
            "name": f"避难场所{next(seq)}",
            "shelter_type": "emergency",
            "grade": "village",
            "place": place or region["village000"],
            "effective_area_m2": Decimal("3000"),
            "capacity": 1000,
            "longitude": 120.05,
            "latitude": 32.02,
        }
        defaults.update(kwargs)
        return Shelter.objects.create(**defaults)

    return make
