"""Keep the enterprise grade current when an enterprise's risk flags change.

The grade is recomputed by service functions (``yingji.risks.services``) whenever risk points
change. An enterprise's flags are edited in ``yingji.orgs``, which does not know about risks; this
receiver bridges that one case (only for enterprises that already have a risk profile, and only
when the flags that raise the grade differ), and the daily task ``recompute_risk_grades`` is the
safety net for writes that send no signals (bulk imports).
"""

from django.db.models.signals import post_save


def enterprise_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    from yingji.risks import grading
    from yingji.risks.models import RiskProfile
    from yingji.risks.services import recompute_enterprise_grade

    profile = RiskProfile.objects.filter(enterprise=instance).only("raised_by").first()
    if profile is None:
        return
    raising = [f for f in grading.escalating_flags() if f in set(instance.risk_flags or ())]
    if sorted(raising) != sorted(profile.raised_by):
        recompute_enterprise_grade(instance)


def connect() -> None:
    from yingji.orgs.models import Enterprise

    post_save.connect(enterprise_saved, sender=Enterprise, dispatch_uid="risks.enterprise_saved")
