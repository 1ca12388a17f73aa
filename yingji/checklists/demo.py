"""Demo self-check plans: a few hundred demo enterprises with daily, weekly and monthly plans, their
checklists and records — most enterprises check diligently, some miss periods (see the 漏检 page).

Called by ``yingji demo load`` after the core demo city exists; deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from yingji.checklists import periods
from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord, CheckResult

#: enterprises that get plans
ENTERPRISES = 250
BATCH = 2000

#: (plan name, post, frequency, [(item, category, basis)])
TEMPLATES = [
    (
        "仓库日常安全检查",
        "仓库保管员",
        "daily",
        [
            ("灭火器压力正常、在有效期内", "消防安全", "GB 50140-2005 《建筑灭火器配置设计规范》"),
            ("安全出口、疏散通道畅通无堆物", "消防安全", "《中华人民共和国消防法》第二十八条"),
            ("货物堆垛“五距”符合要求", "仓储安全", "GB 15603-2022 《危险化学品仓库储存通则》"),
            ("仓库内无违规用电、私拉电线", "用电安全", "企业安全用电管理制度"),
        ],
    ),
    (
        "生产车间班前检查",
        "班组长",
        "daily",
        [
            ("设备防护罩、急停装置完好", "设备安全", "GB/T 8196-2018 《机械安全 防护装置》"),
            ("员工劳动防护用品佩戴齐全", "个体防护", "《中华人民共和国安全生产法》第四十五条"),
            ("作业区域无油污、积水", "现场管理", "企业6S管理制度"),
        ],
    ),
    (
        "配电房周检",
        "电工",
        "weekly",
        [
            ("配电柜接地可靠、无异味异响", "用电安全", "GB 50054-2011 《低压配电设计规范》"),
            ("绝缘垫、绝缘手套完好并在检测期内", "用电安全", "DL/T 1476-2015"),
            ("配电房防小动物措施完好", "用电安全", "企业电气安全管理制度"),
        ],
    ),
    (
        "特种设备周检",
        "设备管理员",
        "weekly",
        [
            ("叉车、行车检验合格证在有效期内", "特种设备", "《中华人民共和国特种设备安全法》第四十条"),
            ("特种作业人员持证上岗", "人员资质", "《中华人民共和国安全生产法》第三十条"),
            ("起重吊具、钢丝绳无断丝变形", "特种设备", "GB 6067.1-2010"),
        ],
    ),
    (
        "安全管理月度检查",
        "安全管理人员",
        "monthly",
        [
            ("应急预案按期演练并有记录", "应急管理", "《生产安全事故应急预案管理办法》第三十三条"),
            ("安全生产教育培训记录完整", "教育培训", "《中华人民共和国安全生产法》第二十八条"),
            ("隐患排查治理台账及时更新", "隐患治理", "《中华人民共和国安全生产法》第四十一条"),
            ("有限空间作业审批记录齐全", "危险作业", "《工贸企业有限空间作业安全规定》"),
        ],
    ),
]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
_PROBLEMS = ["压力表指针在红区", "通道堆放纸箱", "个别员工未戴安全帽", "记录未签字", "线路老化需更换"]


def _start(frequency: str, today: dt.date, rng: random.Random) -> dt.date:
    if frequency == "daily":
        return today - dt.timedelta(days=rng.randint(7, 12))
    if frequency == "weekly":
        return today - dt.timedelta(weeks=rng.randint(5, 9), days=rng.randint(0, 6))
    return (today.replace(day=1) - dt.timedelta(days=31 * rng.randint(2, 5))).replace(day=rng.randint(1, 28))


def load_demo(*, seed: int, counts) -> None:
    from yingji.audit.services import record_bulk
    from yingji.orgs.models import Enterprise
    from yingji.places.models import Place

    rng = random.Random(f"{seed}-checklists")
    today = timezone.localdate()
    ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
    chosen = sorted(rng.sample(ids, min(ENTERPRISES, len(ids))))
    enterprises = list(Enterprise.objects.filter(id__in=chosen).order_by("id"))
    # places from one small query (a join would make SQLite read their bulky boundaries)
    places = {p.pk: p for p in Place.objects.filter(level="village").only("id", "code", "name", "path")}
    for enterprise in enterprises:
        enterprise.place = places.get(enterprise.place_id)
    plans, items_of = [], {}
    for enterprise in enterprises:
        for template in rng.sample(TEMPLATES, rng.choice((1, 1, 1, 2))):
            name, post, frequency, items = template
            plan = CheckPlan(
                enterprise=enterprise,
                name=name,
                post=post,
                frequency=frequency,
                start_date=_start(frequency, today, rng),
                active=rng.random() > 0.03,
            )
            plans.append(plan)
            items_of[id(plan)] = items
    CheckPlan.objects.bulk_create(plans, batch_size=BATCH)
    record_bulk(plans)
    items = []
    plan_items = {}
    for plan in plans:
        rows = [
            CheckItem(plan=plan, order=n, text=text, category=category, basis=basis)
            for n, (text, category, basis) in enumerate(items_of[id(plan)], 1)
        ]
        plan_items[plan.pk] = rows
        items += rows
    CheckItem.objects.bulk_create(items, batch_size=BATCH)
    record_bulk(items)

    # how diligent each enterprise is: most check almost always, some often skip
    diligence = {e.pk: rng.choice((0.98, 0.95, 0.95, 0.9, 0.8, 0.5)) for e in enterprises}
    records, pending = [], []
    for plan in plans:
        for start in periods.periods_between(plan.frequency, plan.start_date, today):
            if start == periods.period_start(plan.frequency, today) and rng.random() < 0.5:
                continue  # this period's check not done yet
            if rng.random() > diligence[plan.enterprise_id]:
                continue  # missed
            day = min(start + dt.timedelta(days=rng.randint(0, 2 if plan.frequency != "daily" else 0)), today)
            at = timezone.make_aware(
                dt.datetime.combine(day, dt.time(8 + rng.randint(0, 8), rng.randint(0, 59)))
            )
            record = CheckRecord(
                plan=plan,
                period_start=start,
                performed_at=at,
                performer_name=rng.choice(_SURNAMES)
                + rng.choice(_GIVEN)
                + rng.choice(("", rng.choice(_GIVEN))),
            )
            outcomes = [(item, rng.random() > 0.04) for item in plan_items[plan.pk]]
            record.problems = sum(1 for _i, ok in outcomes if not ok)
            records.append(record)
            pending.append((record, outcomes))
    CheckRecord.objects.bulk_create(records, batch_size=BATCH)
    record_bulk(records)
    results = [
        CheckResult(record=record, item=item, ok=ok, note="" if ok else rng.choice(_PROBLEMS))
        for record, outcomes in pending
        for item, ok in outcomes
    ]
    CheckResult.objects.bulk_create(results, batch_size=BATCH)
    record_bulk(results)
    counts["check_plans"] = len(plans)
    counts["check_items"] = len(items)
    counts["check_records"] = len(records)
    counts["check_results"] = len(results)


def remove_demo(counts: dict) -> None:
    """Delete every plan, item, record and result (the demo region they hang on is being removed),
    logged as deletes."""
    from yingji.audit.choices import ChangeAction
    from yingji.audit.services import record_bulk
    from yingji.places.models import Place

    # places are attached from one small query: joining them would make SQLite read their boundaries
    places = {p.pk: p for p in Place.objects.only("id", "code", "name", "path")}
    to_enterprise = {
        CheckResult: ("item", "record__plan__enterprise"),
        CheckRecord: ("plan__enterprise",),
        CheckItem: ("plan__enterprise",),
        CheckPlan: ("enterprise",),
    }
    for model, key in (
        (CheckResult, "check_results"),
        (CheckRecord, "check_records"),
        (CheckItem, "check_items"),
        (CheckPlan, "check_plans"),
    ):
        paths = to_enterprise[model]
        qs = model.objects.select_related(*paths)
        n = 0
        while True:
            batch = list(qs.order_by("pk")[:BATCH])
            if not batch:
                break
            for obj in batch:
                enterprise = obj
                for part in paths[-1].split("__"):
                    enterprise = getattr(enterprise, part)
                enterprise.place = places.get(enterprise.place_id)
            record_bulk(batch, ChangeAction.DELETE)
            model.objects.filter(pk__in=[o.pk for o in batch])._raw_delete(model.objects.db)
            n += len(batch)
        counts[key] = n
