from django import template
from django.utils.html import format_html

from yingji.risks.choices import LEVEL_COLOURS, RiskLevel

register = template.Library()


@register.simple_tag
def level_badge(level, large=False):
    """A risk level as a badge in its colour (红橙黄蓝)."""
    if level not in LEVEL_COLOURS:
        return ""
    _code, name, colour = LEVEL_COLOURS[level]
    text = "#212529" if level == RiskLevel.GENERAL else "#fff"
    size = " fs-6" if large else ""
    return format_html(
        '<span class="badge{}" style="background:{};color:{}">{}（{}）</span>',
        size,
        colour,
        text,
        RiskLevel(level).label,
        name,
    )
