"""Fixtures of the hazard tests: the people of one town, an enterprise, photos and hazard factories."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yingji.accounts.models import Person
from yingji.framework.roles import Role
from yingji.hazards import workflow
from yingji.hazards.choices import Grade


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes(color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def photo():
    def factory(name="site.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return factory


@pytest.fixture
def town(region, make_user, make_enterprise):
    """Town 00 (villages 000, 001): its officers, an enterprise in village 000 with a user and a
    responsible person, a grid worker; a county and a city officer; another town's officer."""
    enterprise = make_enterprise(place=region["village000"], name="通达化工有限公司")
    other = make_enterprise(place=region["village100"], name="远方机械厂")
    person = Person.objects.create(name="王建国", place=region["village000"], enterprise=enterprise)
    return {
        "region": region,
        "enterprise": enterprise,
        "other_enterprise": other,
        "person": person,
        "admin": make_user(Role.PLATFORM_ADMIN),
        "officer": make_user(Role.BUREAU_OFFICER, place=region["town00"]),
        "enforcer": make_user(Role.ENFORCEMENT_OFFICER, place=region["town00"]),
        "county_officer": make_user(Role.BUREAU_OFFICER, place=region["county0"]),
        "city_officer": make_user(Role.BUREAU_OFFICER, place=region["city"]),
        "other_officer": make_user(Role.BUREAU_OFFICER, place=region["town10"]),
        "company": make_user(Role.ENTERPRISE_USER, enterprise=enterprise),
        "other_company": make_user(Role.ENTERPRISE_USER, enterprise=other),
        "grid": make_user(Role.GRID_WORKER, place=region["village000"]),
        "info": make_user(Role.DISASTER_INFO_OFFICER, place=region["village001"]),
        "leader": make_user(Role.LEADER, place=region["town00"]),
    }


FIVE = {
    "measures": "更换老化的可燃气体报警器并重新标定",
    "funds": "2.5",
    "contingency_plan": "整改期间停用该区域动火作业，专人值守",
}
PLAN = {
    "goals": "消除储罐区报警联锁失效的重大隐患",
    "methods": "更换传感器、恢复联锁、第三方检测",
    "funding": "企业安全生产费用列支12万元",
    "organisation": "主要负责人牵头，设备部实施",
    "schedule": "30日内完成，完成后申请验收",
    "safety_measures": "停用储罐区，落实专项应急预案",
}


def future(days=10):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def make_hazard(town):
    """``make_hazard(state, grade=...)``: a hazard of the town's enterprise brought to ``state`` through
    the services (so every event and deadline is real)."""

    def factory(state="reported", grade=Grade.GENERAL, **fields):
        t = town
        fields.setdefault("title", "储罐区可燃气体报警器失效")
        if "place" not in fields and "longitude" not in fields:
            fields.setdefault("enterprise", t["enterprise"])
        hazard = workflow.report_hazard(actor=t["grid"], source="grid", **fields)
        if state == "reported":
            return hazard
        if state == "dismissed":
            return workflow.dismiss_hazard(hazard, actor=t["officer"], reason="经核实不属于隐患")
        extra = (
            {"major_standard": "chemicals", "major_criterion": "第十条 未实现紧急停车"}
            if grade == "major"
            else {}
        )
        hazard = workflow.confirm_hazard(hazard, actor=t["officer"], grade=grade, **extra)
        if state == "confirmed":
            return hazard
        hazard = workflow.assign_rectification(
            hazard,
            actor=t["officer"],
            responsible=t["person"],
            due_at=future(),
            plan=PLAN if grade == "major" else None,
            **FIVE,
        )
        if state == "assigned":
            return hazard
        hazard = workflow.add_progress(hazard, actor=t["company"], note="已采购报警器")
        if state == "rectifying":
            return hazard
        hazard = workflow.submit_rectification(hazard, actor=t["company"], evidence="报警器已更换并标定")
        if state == "rectified":
            return hazard
        hazard = workflow.verify_hazard(hazard, actor=t["company"], approve=True)
        if grade == "major":
            hazard = workflow.verify_hazard(hazard, actor=t["officer"], approve=True)
        if state == "verified":
            return hazard
        return workflow.close_hazard(hazard, actor=t["officer"])

    return factory
