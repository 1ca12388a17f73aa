from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "yingji.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")

    def ready(self):
        import datetime as dt

        from yingji.deadlines.rules import register_rule
        from yingji.framework.registry import ObjectType, register
        from yingji.framework.roles import ADD, CHANGE, READ, VIEW, Role, grant
        from yingji.hazards import config, forms, models, tables
        from yingji.hazards import filtersets as f
        from yingji.hazards.api import serializers as s
        from yingji.hazards.api import views as v
        from yingji.hazards.services import save_hazard

        register(
            ObjectType(
                model=models.Hazard,
                filterset=f.HazardFilterSet,
                table=tables.HazardTable,
                form=forms.HazardEditForm,
                serializer=s.HazardSerializer,
                viewset=v.HazardViewSet,
                save=save_hazard,
                section="supervision",
                api_prefix="hazards",
                detail_fields=(
                    "number",
                    "title",
                    "kind",
                    "disaster_type",
                    "status",
                    "grade",
                    "major_standard",
                    "major_criterion",
                    "source",
                    "enterprise",
                    "place",
                    "department",
                    "address",
                    "category",
                    "description",
                    "found_at",
                    "finder_name",
                    "responsible",
                    "responsible_unit",
                    "measures",
                    "funds",
                    "due_at",
                    "contingency_plan",
                    "rectification_note",
                    "dismiss_reason",
                    "supervised_by",
                    "supervision_due_at",
                    "closed_at",
                ),
                export_fields=(
                    ("number", "隐患编号"),
                    ("title", "隐患名称"),
                    ("kind", "隐患类别"),
                    ("status", "状态"),
                    ("grade", "隐患等级"),
                    ("source", "来源"),
                    ("enterprise", "企业"),
                    ("place", "所在区划"),
                    ("disaster_type", "灾害隐患类型"),
                    ("address", "具体位置"),
                    ("found_at", "发现时间"),
                    ("due_at", "整改期限"),
                    ("closed_at", "销号时间"),
                ),
                list_select_related=("place", "enterprise"),
                search_fields=("number", "title", "enterprise__name", "address"),
            )
        )

        # Who may do what (the steps of the loop are further limited by yingji.hazards.workflow.WHO):
        # regulators report, correct and act in their scope; enterprise users, grid workers and disaster
        # information officers report and see the hazards of their enterprise / area; only platform
        # administrators delete.
        hazard, event, photo, plan = (
            "hazards.hazard",
            "hazards.hazardevent",
            "hazards.hazardphoto",
            "hazards.rectificationplan",
        )
        for role in (Role.BUREAU_OFFICER, Role.DEPARTMENT_OFFICER, Role.ENFORCEMENT_OFFICER):
            grant(role, hazard, {VIEW, ADD, CHANGE})
            grant(role, event, READ)
            grant(role, photo, {VIEW, ADD})
            grant(role, plan, READ)
        for role in (Role.ENTERPRISE_USER, Role.GRID_WORKER, Role.DISASTER_INFO_OFFICER):
            grant(role, hazard, {VIEW, ADD})
            grant(role, event, READ)
            grant(role, photo, {VIEW, ADD})
            grant(role, plan, READ)
        for role in (Role.DUTY_OFFICER, Role.LEADER):
            for label in (hazard, event, photo, plan):
                grant(role, label, READ)

        day = dt.timedelta(days=1)
        register_rule(
            "hazards.confirm",
            "隐患确认（认定）",
            working_days=config.CONFIRM_WORKING_DAYS,
            remind_before=day,
            source="本平台默认值（可配置 YINGJI_HAZARDS_CONFIRM_WORKING_DAYS）",
        )
        register_rule(
            "hazards.rectify_general",
            "一般隐患整改",
            working_days=config.RECTIFY_GENERAL_WORKING_DAYS,
            remind_before=day * config.REMIND_GENERAL_DAYS,
            source="《安全生产事故隐患排查治理暂行规定》：按“五落实”确定的整改期限",
        )
        register_rule(
            "hazards.rectify_major",
            "重大隐患治理",
            calendar_days=config.RECTIFY_MAJOR_CALENDAR_DAYS,
            remind_before=day * config.REMIND_MAJOR_DAYS,
            source="《安全生产事故隐患排查治理暂行规定》第十五条：治理方案确定的时限",
        )
        register_rule(
            "hazards.supervision",
            "重大隐患挂牌督办",
            remind_before=day * config.REMIND_MAJOR_DAYS,
            source="挂牌督办单位确定的督办时限",
        )
