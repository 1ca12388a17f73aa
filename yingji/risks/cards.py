""" "三卡": printable cards per post (岗位风险告知卡、岗位安全操作卡、应急处置卡), domain-facts §3.3 [U].

The card set is configurable (``settings.YINGJI_RISKS_CARDS``, codes of :data:`CARD_TYPES`). The
content of a card is built by :func:`card_content` from the post's risk points and their control
measures (tested directly); :func:`cards_pdf` lays the cards out, one A4 page per card.
"""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yingji.risks import grading
from yingji.risks.choices import LEVEL_COLOURS, MeasureKind, RiskLevel
from yingji.risks.exports import accident_labels, register_font
from yingji.risks.models import RiskPoint

CARD_TYPES = {
    "risk_notice": gettext_lazy("岗位风险告知卡"),
    "operation": gettext_lazy("岗位安全操作卡"),
    "emergency": gettext_lazy("应急处置卡"),
}
DEFAULT_CARDS = ("risk_notice", "operation", "emergency")
#: Public emergency numbers printed on every emergency card.
EMERGENCY_NUMBERS = (
    (gettext_lazy("火警"), "119"),
    (gettext_lazy("急救"), "120"),
    (gettext_lazy("报警"), "110"),
)


def card_set() -> tuple[str, ...]:
    cards = tuple(getattr(settings, "YINGJI_RISKS_CARDS", DEFAULT_CARDS))
    unknown = [c for c in cards if c not in CARD_TYPES]
    if unknown:
        raise ValueError(f"YINGJI_RISKS_CARDS: unknown card codes {unknown}")
    return cards


def posts_of(enterprise) -> list[str]:
    """The posts (岗位) named on the enterprise's risk points, in name order."""
    return sorted(
        set(RiskPoint.objects.filter(enterprise=enterprise).exclude(post="").values_list("post", flat=True))
    )


def _measures(points, *kinds) -> list[str]:
    seen, out = set(), []
    for p in points:
        for m in p.measures.all():
            if m.kind in kinds and m.content not in seen:
                seen.add(m.content)
                out.append(m.content)
    return out


def _points_by_post(enterprise, posts=None) -> dict[str, list]:
    """post → its risk points (highest score first) with their measures: two queries for all posts."""
    points = RiskPoint.objects.filter(enterprise=enterprise).prefetch_related("measures").order_by("-score")
    if posts is not None:
        points = points.filter(post__in=list(posts))
    by_post: dict[str, list] = {}
    for p in points:
        by_post.setdefault(p.post, []).append(p)
    return by_post


def card_content(enterprise, post: str, card: str, points=None) -> dict:
    """Title, level and sections ``[(heading, [lines])]`` of one card of one post (``points``: the
    post's risk points with their measures, when the caller has them already)."""
    if points is None:
        points = _points_by_post(enterprise, [post]).get(post, [])
    level = grading.highest_level(p.level for p in points) or RiskLevel.LOW
    accidents = []
    for p in points:
        accidents += [c for c in p.accident_types if c not in accidents]
    if card == "risk_notice":
        sections = [
            (
                _("主要风险"),
                [
                    f"{p.name}（{p.get_level_display()}/{LEVEL_COLOURS[p.level][1]}）：{accident_labels(p.accident_types)}"
                    for p in points
                ],
            ),
            (
                _("危险有害因素"),
                [line for p in points for line in p.hazard_factors.splitlines() if line.strip()],
            ),
            (_("主要管控措施"), _measures(points, MeasureKind.ENGINEERING, MeasureKind.MANAGEMENT)),
            (_("个体防护"), _measures(points, MeasureKind.PPE)),
        ]
    elif card == "operation":
        sections = [
            (_("上岗要求"), _measures(points, MeasureKind.TRAINING)),
            (_("安全操作要求"), _measures(points, MeasureKind.MANAGEMENT, MeasureKind.ENGINEERING)),
            (_("个体防护"), _measures(points, MeasureKind.PPE)),
        ]
    elif card == "emergency":
        contact = enterprise.safety_manager_name or enterprise.principal_name
        sections = [
            (_("可能发生的事故"), [accident_labels(accidents)] if accidents else []),
            (_("应急处置措施"), _measures(points, MeasureKind.EMERGENCY)),
            (
                _("应急联系"),
                ([_("企业安全管理人员：%(name)s") % {"name": contact}] if contact else [])
                + [f"{label} {number}" for label, number in EMERGENCY_NUMBERS],
            ),
        ]
    else:
        raise ValueError(f"unknown card {card!r}")
    return {
        "card": card,
        "title": str(CARD_TYPES[card]),
        "enterprise": enterprise.name,
        "post": post,
        "level": level,
        "sections": sections,
    }


def cards_pdf(enterprise, posts=None, cards=None) -> bytes:
    """One A4 page per card per post (all posts and the configured card set by default)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_font()
    posts = posts_of(enterprise) if posts is None else list(posts)
    cards = card_set() if cards is None else tuple(cards)
    title_style = ParagraphStyle(
        "title", fontName=font, fontSize=22, leading=28, alignment=1, textColor=colors.white
    )
    head = ParagraphStyle("head", fontName=font, fontSize=13, leading=18, spaceBefore=6)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=16, leftIndent=4 * mm, wordWrap="CJK")
    meta = ParagraphStyle("meta", fontName=font, fontSize=11, leading=15)
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("岗位三卡"),
    )
    story = []
    by_post = _points_by_post(enterprise, posts)
    for post in posts:
        for card in cards:
            content = card_content(enterprise, post, card, by_post.get(post, []))
            colour = colors.HexColor(LEVEL_COLOURS[content["level"]][2])
            band = Table([[Paragraph(content["title"], title_style)]], colWidths=[180 * mm])
            band.setStyle(
                TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, -1), colour),
                        ("TOPPADDING", (0, 0), (-1, -1), 8),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ]
                )
            )
            story += [
                band,
                Spacer(1, 4 * mm),
                Paragraph(_("单位：%(name)s") % {"name": content["enterprise"]}, meta),
                Paragraph(
                    _("岗位：%(post)s    风险等级：%(level)s")
                    % {"post": post, "level": RiskLevel(content["level"]).label},
                    meta,
                ),
            ]
            for heading, lines in content["sections"]:
                story.append(Paragraph(heading, head))
                for i, line in enumerate(lines or [_("（无）")], 1):
                    story.append(Paragraph(f"{i}. {line}" if lines else line, body))
            story.append(PageBreak())
    if not story:
        story.append(Paragraph(_("该企业的风险点尚未填写岗位，无法生成岗位卡。"), meta))
    elif isinstance(story[-1], PageBreak):
        story.pop()
    doc.build(story)
    return out.getvalue()
