from yingji.places import services


def test_ancestors_and_descendants(region):
    village = region["village011"]
    assert [p.code for p in services.ancestors(village)] == ["320600000000", "320602000000", "320602002000"]
    county = region["county0"]
    assert services.descendants(county).count() == 6  # 2 towns + 4 villages
    assert services.descendants(county, level="village").count() == 4
    assert services.descendants(county, include_self=True).count() == 7


def test_locate_point_finds_the_containing_village(region):
    # town 1 of county 0 spans lon 120.1–120.2; its upper village lat 32.05–32.1
    assert services.locate_point(120.15, 32.07) == region["village011"]
    assert services.locate_point(120.15, 32.02) == region["village010"]
    assert services.locate_point(121.05, 32.02) == region["village100"]
    assert services.locate_point(120.15, 32.07, level="town") == region["town01"]
    assert services.locate_point(125.0, 40.0) is None


def test_moving_a_town_repaths_its_villages(region, make_user):
    admin = make_user()
    town = region["town00"]
    town.parent = region["county1"]
    town.code = "320612009000"
    services.save_place(town, actor=admin)
    village = type(town).objects.get(pk=region["village000"].pk)
    assert village.path.startswith("320600000000/320612000000/320612009000/")
