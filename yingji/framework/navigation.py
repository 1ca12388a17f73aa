"""The navigation menu, by the SPEC's domains. Entries whose module is not built yet are shown as
placeholders that name the issue that will fill them; an entry appears only if the user's roles
allow viewing its object type."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import can

# (section code, label, icon, [(label, url name, model label or None, placeholder issue or None)])
SECTIONS = [
    (
        "platform",
        _("基础平台"),
        "bi-grid",
        [
            (_("首页"), "dashboard:home", None, None),
            (_("一张图"), "dashboard:map", None, None),
            (_("行政区划"), "places:place_list", "places.place", None),
            (_("企业"), "orgs:enterprise_list", "orgs.enterprise", None),
            (_("政府部门"), "orgs:department_list", "orgs.department", None),
            (_("安委会及专委会"), "orgs:committee_list", "orgs.committee", None),
            (_("中介机构"), "orgs:intermediary_list", "orgs.intermediary", None),
            (_("人员"), "accounts:person_list", "accounts.person", None),
            (_("用户"), "accounts:user_list", "accounts.user", None),
            (_("角色授权"), "accounts:roleassignment_list", "accounts.roleassignment", None),
            (_("消息中心"), "messaging:inbox", None, None),
            (_("已发消息"), "messaging:message_list", "messaging.message", None),
            (_("发送记录"), "messaging:delivery_list", "messaging.delivery", None),
            (_("期限督办"), "deadlines:deadline_list", "deadlines.deadline", None),
            (_("节假日日历"), "deadlines:calendarday_list", "deadlines.calendarday", None),
            (_("数据导入"), "exchange:importjob_list", "exchange.importjob", None),
            (_("变更记录"), "audit:objectchange_list", "audit.objectchange", None),
        ],
    ),
    (
        "supervision",
        _("监督管理"),
        "bi-shield-check",
        [
            (_("风险点"), "risks:riskpoint_list", "risks.riskpoint", None),
            (_("企业风险等级"), "risks:riskprofile_list", "risks.riskprofile", None),
            (_("安全风险报告"), "risks:riskreport_list", "risks.riskreport", None),
            (_("风险报告情况"), "risks:report_status", "risks.riskreport", None),
            (_("区域风险清单"), "risks:regionrisk_list", "risks.regionrisk", None),
            (_("隐患排查治理"), "hazards:hazard_list", "hazards.hazard", None),
            (_("隐患统计"), "hazards:stats", "hazards.hazard", None),
            (_("隐患自查计划"), "checklists:checkplan_list", "checklists.checkplan", None),
            (_("漏检情况"), "checklists:missed", "checklists.checkplan", None),
            (_("群众举报"), "reports:publicreport_list", "reports.publicreport", None),
        ],
    ),
    (
        "warning",
        _("监测预警"),
        "bi-broadcast",
        [
            (_("预警发布"), "warnings:warning_list", "warnings.warning", None),
            (_("叫应"), "warnings:response_board", "warnings.acknowledgement", None),
            (_("会商研判"), "warnings:consultation_list", "warnings.consultation", None),
            (_("公众订阅"), "warnings:subscription_list", "warnings.subscription", None),
        ],
    ),
    (
        "command",
        _("指挥救援"),
        "bi-telephone-inbound",
        [
            (_("值班值守"), "duty:overview", "duty.dutyroom", None),
            (_("值班室"), "duty:dutyroom_list", "duty.dutyroom", None),
            (_("排班表"), "duty:roster", "duty.shift", None),
            (_("换班申请"), "duty:swaprequest_list", "duty.swaprequest", None),
            (_("交接班"), "duty:handover_list", "duty.handover", None),
            (_("点名"), "duty:rollcall_list", "duty.rollcall", None),
            (_("值班考评"), "duty:evaluation", "duty.dutyroom", None),
            (_("接报登记"), "reporting:incominginfo_list", "reporting.incominginfo", None),
            (_("信息报送"), "reporting:upwardreport_list", "reporting.upwardreport", None),
            (_("报送督查"), "reporting:supervision", "reporting.upwardreport", None),
            (_("谎报瞒报"), "reporting:misreport_list", "reporting.misreport", None),
            (_("值班简报"), "reporting:documents", "incidents.incident", None),
            (_("事件指挥"), "incidents:incident_list", "incidents.incident", None),
            (_("一图一表"), "incidents:responseplan_list", "incidents.responseplan", None),
            (_("部门应急职责"), "incidents:departmentduty_list", "incidents.departmentduty", None),
            (_("调度任务"), "dispatch:task_list", "dispatch.task", None),
            (_("资源一张图"), "resources:map", "resources.team", None),
            (_("救援队伍"), "resources:team_list", "resources.team", None),
            (_("专家"), "resources:expert_list", "resources.expert", None),
            (_("装备"), "resources:equipment_list", "resources.equipment", None),
            (_("避难场所"), "resources:shelter_list", "resources.shelter", None),
            (_("资源覆盖"), "resources:coverage", "resources.team", None),
            (_("物资仓库"), "materials:warehouse_list", "materials.warehouse", None),
            (_("物资库存"), "materials:stock_list", "materials.stock", None),
            (_("出入库单据"), "materials:movement_list", "materials.movement", None),
            (_("物资台账"), "materials:ledger", "materials.ledgerentry", None),
            (_("临期物资"), "materials:expiring", "materials.stock", None),
            (_("协议及产能储备"), "materials:reserve_list", "materials.reserve", None),
            (_("物资目录"), "materials:item_list", "materials.item", None),
        ],
    ),
    (
        "disaster",
        _("防灾减灾救灾"),
        "bi-cloud-lightning-rain",
        [
            (_("灾害风险隐患"), "hazards:disaster_list", "hazards.hazard", None),
            (_("灾害隐患月报"), "hazards:disaster_monthly", "hazards.hazard", None),
        ],
    ),
]


def menu_for(user):
    """The sections and entries this user may open, with placeholders marked."""
    from django.apps import apps

    out = []
    for code, label, icon, entries in SECTIONS:
        items = []
        for item_label, url_name, model_label, issue in entries:
            if model_label:
                try:
                    model = apps.get_model(model_label)
                except LookupError:
                    continue
                if not can(user, "view", model):
                    continue
            try:
                url = reverse(url_name) if url_name else None
            except NoReverseMatch:
                continue
            items.append({"label": item_label, "url": url, "placeholder_issue": issue, "url_name": url_name})
        if items:
            out.append({"code": code, "label": label, "icon": icon, "items": items})
    return out
