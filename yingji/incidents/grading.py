"""Accident grade from casualties and loss: 生产安全事故报告和调查处理条例 第三条 (domain-facts §1.1).

The three criteria apply independently and the highest grade any of them reaches wins. "以上" includes
the number itself (第三条第三款): exactly 3 deaths is 较大, exactly 10 is 重大, exactly 1000 万元 is 较大.
Serious injuries include acute industrial poisoning (急性工业中毒). Missing persons are not deaths here;
the report counts them separately (第十二条) and the grade is recomputed when the counts change.
"""

from decimal import Decimal

from yingji.incidents.choices import GRADED_BY_493, Grade

#: (grade, deaths ≥, serious injuries ≥, direct loss in 万元 ≥), highest first.
THRESHOLDS = (
    (Grade.PARTICULARLY_MAJOR, 30, 100, Decimal(10000)),
    (Grade.MAJOR, 10, 50, Decimal(5000)),
    (Grade.LARGER, 3, 10, Decimal(1000)),
)


def accident_grade(deaths: int, serious_injuries: int, loss_wan_yuan) -> str:
    """The 493号令 grade of a production-safety accident (a ``Grade`` value)."""
    loss = Decimal(str(loss_wan_yuan or 0))
    for grade, min_deaths, min_injuries, min_loss in THRESHOLDS:
        if (deaths or 0) >= min_deaths or (serious_injuries or 0) >= min_injuries or loss >= min_loss:
            return grade.value
    return Grade.ORDINARY.value


def is_graded_by_rule(event_type: str) -> bool:
    """Whether the grade of this event type is computed (493号令) rather than set by hand."""
    return event_type in GRADED_BY_493
