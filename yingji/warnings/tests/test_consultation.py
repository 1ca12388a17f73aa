"""Consultations (会商) and work prompts (工作提示单): PDF, issue, notification, acknowledgement."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yingji.framework.access import AccessDenied
from yingji.framework.roles import Role
from yingji.messaging.models import Delivery
from yingji.warnings import services
from yingji.warnings.models import Consultation, WorkPrompt

pytestmark = pytest.mark.django_db


@pytest.fixture
def prompt(region, officers, make_department):
    weather = make_department(name="气象局", place=region["county0"])
    consultation = services.save_consultation(
        Consultation(kind="realtime", title="台风实时会商", held_at=timezone.now(), place=region["county0"]),
        actor=make_user_county(region),
    )
    consultation.departments.set([weather])
    p = services.save_work_prompt(
        WorkPrompt(
            consultation=consultation,
            number="〔2026〕第9期",
            title="关于做好台风“梅花”防御工作的提示",
            content="一、落实24小时值班。\n二、转移危险区域人员。",
        ),
        actor=consultation.created_by,
    )
    p.target_places.set([region["town00"], region["town10"]])
    p.target_departments.set([weather])
    return p


def make_user_county(region):
    from yingji.accounts.models import RoleAssignment, User
    from yingji.conftest import _seq

    user = User.objects.create_user(f"county{next(_seq)}", password="x")
    RoleAssignment.objects.create(user=user, role=Role.BUREAU_OFFICER, place=region["county0"])
    return user


def test_pdf_opens(prompt):
    pdf = services.prompt_pdf(prompt)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert b"STSong-Light" in pdf


def test_issue_opens_acknowledgements_and_notifies(prompt, officers, region, make_user):
    weather_user = make_user(
        Role.DEPARTMENT_OFFICER, place=region["county0"], department=prompt.target_departments.get()
    )
    services.issue_prompt(prompt, actor=prompt.consultation.created_by)
    prompt.refresh_from_db()
    assert prompt.issued_at is not None and prompt.message is not None
    targets = {(a.target_place_id, a.department_id) for a in prompt.acks.all()}
    weather = prompt.target_departments.get()
    assert targets == {(region["town00"].pk, None), (region["town10"].pk, None), (None, weather.pk)}
    # the town 00 officers and the weather department's user got the prompt in their inbox
    told = set(Delivery.objects.filter(message=prompt.message).values_list("user__username", flat=True))
    assert {"author", "approver", "duty", weather_user.username} <= told
    assert "outsider" not in told
    with pytest.raises(ValidationError):
        services.issue_prompt(prompt, actor=prompt.consultation.created_by)  # once
    with pytest.raises(ValidationError):
        prompt.title = "改"
        services.save_work_prompt(prompt, actor=prompt.consultation.created_by)


def test_targets_acknowledge_their_own_rows(prompt, officers, api, region):
    services.issue_prompt(prompt, actor=prompt.consultation.created_by)
    town_ack = prompt.acks.get(target_place=region["town00"])
    other_ack = prompt.acks.get(target_place=region["town10"])
    with pytest.raises(AccessDenied):
        services.acknowledge_prompt(other_ack, actor=officers["duty"])  # town 10 is not theirs
    response = api(officers["duty"]).post(
        f"/api/v1/work-prompts/{prompt.pk}/acknowledge/", {"note": "已部署"}
    )
    assert response.status_code == 200, response.content
    assert [a["target_place"] for a in response.json()] == [region["town00"].code]
    town_ack.refresh_from_db()
    assert town_ack.acknowledged_by == officers["duty"] and town_ack.note == "已部署"
    again = api(officers["duty"]).post(f"/api/v1/work-prompts/{prompt.pk}/acknowledge/", {})
    assert again.status_code == 404  # nothing left to acknowledge for them
    with pytest.raises(ValidationError):
        services.acknowledge_prompt(town_ack, actor=officers["author"])
    # county 1's officer answers for town 10 (in county 1), not for town 00
    theirs = api(officers["outsider"]).post(f"/api/v1/work-prompts/{prompt.pk}/acknowledge/", {})
    assert [a["target_place"] for a in theirs.json()] == [region["town10"].code]


def test_prompt_pages(prompt, client, officers, region):
    services.issue_prompt(prompt, actor=prompt.consultation.created_by)
    client.force_login(officers["duty"])
    page = client.get(f"/warnings/workprompts/{prompt.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "签收情况" in html and region["town10"].name in html
    ack = prompt.acks.get(target_place=region["town00"])
    assert f"/warnings/workprompts/{prompt.pk}/acks/{ack.pk}/acknowledge/" in html
    client.post(f"/warnings/workprompts/{prompt.pk}/acks/{ack.pk}/acknowledge/")
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None
    pdf = client.get(f"/warnings/workprompts/{prompt.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(officers["outsider"])
    assert client.get(f"/warnings/workprompts/{prompt.pk}/pdf/").status_code == 404
